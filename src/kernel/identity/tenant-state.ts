import type { TenantStatus } from '../tenancy/index.ts';

/**
 * The tenant a credential works in, read in the same statement as the credential itself: its
 * status and access_version (which moves whenever anything deciding access in it changes).
 */
export interface TenantAccessState {
  status: TenantStatus;
  accessVersion: number;
}

export const tenantStateOf = (status: TenantStatus | null, accessVersion: number | null): TenantAccessState | null =>
  status === null || accessVersion === null ? null : { status, accessVersion };
