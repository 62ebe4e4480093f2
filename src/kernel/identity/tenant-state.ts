import type { TenantStatus } from '../tenancy/index.ts';
import { tenantTable } from '../tenancy/tenant.table.ts';

/**
 * The tenant a credential works in, read in the same statement as the credential itself: its
 * status and access_version (which moves whenever anything deciding access in it changes).
 */
export interface TenantAccessState {
  status: TenantStatus;
  accessVersion: number;
}

/** The columns to select, beside a credential's, from `tenant` left-joined on its active tenant. */
export const tenantStateColumns = { tenantStatus: tenantTable.status, tenantAccessVersion: tenantTable.accessVersion };

/** The state those columns read; null when the credential has no (existing) tenant. */
export const tenantStateOf = (row: { tenantStatus: TenantStatus | null; tenantAccessVersion: number | null }): TenantAccessState | null =>
  row.tenantStatus === null || row.tenantAccessVersion === null ? null : { status: row.tenantStatus, accessVersion: row.tenantAccessVersion };
