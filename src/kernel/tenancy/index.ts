export { tenantTable, TENANT_STATUSES, type TenantStatus } from './tenant.table.ts';
export { findTenantBySlug, listTenants, ensureTenant, setTenantTimeZone, tenantTimeZone, type Tenant } from './tenant.service.ts';
export { scopeTransactionTo, withTenantTx } from './tx.ts';
export { PLATFORM_TENANT_ID, PLATFORM_TENANT_SLUG } from './platform.ts';
export { disabledModules, setModuleEnabled, isFeatureEnabled, setFeatureFlag } from './toggles.service.ts';
export { tenantModuleToggle, tenantFeatureFlag } from './toggles.table.ts';
export { tenantLimit } from './limits.table.ts';
export { LIMITS, assertRoomFor, setTenantLimit, limitErrors, type LimitKey } from './limits.service.ts';
export { changeTenantStatus, canChangeTenantStatus, lifecycleErrors } from './lifecycle.ts';
