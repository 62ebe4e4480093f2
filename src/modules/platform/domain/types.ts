import type { RoleTemplate } from '../../../kernel/access/index.ts';
import type { TenantStatus } from '../../../kernel/tenancy/index.ts';

/** An edition as the platform offers it: what a business of it gets on approval. */
export interface OfferedEdition {
  id: string;
  title: string;
  /** Ids of the edition's modules: what module toggles and plan entitlements choose from. */
  modules: readonly string[];
  roleTemplates: readonly RoleTemplate[];
}

/** What the platform's use cases need from the composition: editions served and permissions declared. */
export interface PlatformSetup {
  editions: readonly OfferedEdition[];
  declared: ReadonlySet<string>;
}

export interface Plan {
  id: string;
  key: string;
  name: string;
  priceMinor: number;
  currency: string;
  interval: 'month' | 'year';
  stripePriceId: string | null;
  maxMembers: number | null;
  maxLocations: number | null;
  maxTerminals: number | null;
  modules: string[] | null;
}

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  edition: string;
  status: TenantStatus;
  planKey: string | null;
  ownerEmail: string | null;
  createdAt: string;
}

export interface TenantDetail extends TenantSummary {
  plan: Plan | null;
  signup: { ownerName: string; ownerEmail: string; decision: 'approved' | 'rejected' | null; reason: string | null; decidedAt: string | null } | null;
  /** Limit (null: none) and what is in use now, where the kernel can count it. */
  limits: { key: 'members' | 'locations' | 'terminals'; max: number | null; used: number | null }[];
  memberCount: number;
  modules: { id: string; enabled: boolean; inPlan: boolean }[];
  flags: { flag: string; enabled: boolean }[];
}

export interface Announcement {
  id: string;
  kind: 'announcement' | 'maintenance';
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
  audience: 'all' | 'editions' | 'tenants';
  editions: string[];
  tenantIds: string[];
  visibleFrom: string;
  startsAt: string;
  endsAt: string;
  withdrawnAt: string | null;
}
