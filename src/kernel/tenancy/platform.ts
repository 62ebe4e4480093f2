/**
 * The platform's own tenant: platform staff are its members (role super_admin), and events that
 * belong to no customer tenant (console actions, sign-in failures for unknown accounts) are
 * recorded under it. Created by the tenancy migrations.
 */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';
export const PLATFORM_TENANT_SLUG = 'platform';
