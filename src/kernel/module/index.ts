export { defineModule, type AppInstance, type ModuleManifest, type ModuleServices, type PermissionDefinition, type NavigationItem, type NavGroup, NAV_GROUPS, type DashboardCard, type CardContent, type CardLink, type ChartPoint, type PageBanner, type FieldRule, type ReadinessCheck } from './define.ts';
export { defineEdition, type EditionDefinition, type DemoTenantSeed } from './edition.ts';
export { selectEditions, resolveModules, declaredPermissions, declaredEvents, ModuleGraphError } from './loader.ts';
export { entitlementsOf, type Entitlements } from './entitlement.ts';
