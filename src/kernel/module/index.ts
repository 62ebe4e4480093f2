export { defineModule, type AppInstance, type ModuleManifest, type ModuleServices, type PermissionDefinition, type NavigationItem, type PageBanner, type FieldRule, type ReadinessCheck } from './define.ts';
export { defineEdition, type EditionDefinition, type DemoTenantSeed } from './edition.ts';
export { selectEditions, resolveModules, declaredPermissions, declaredEvents, ModuleGraphError } from './loader.ts';
export { entitlementsOf, type Entitlements } from './entitlement.ts';
