import type { PermissionDefinition } from '../module/index.ts';
import { PLATFORM_TENANT_ID } from '../tenancy/index.ts';
import { isPlatformPermission } from './templates.ts';

/** The permissions one module declares, for showing and choosing them module by module. */
export interface PermissionGroup {
  module: string;
  label: string;
  permissions: readonly PermissionDefinition[];
}

/** Groups declared permissions by area (the declaring module's title; else the module id a key starts with), in manifest order. */
export function permissionGroups(definitions: readonly PermissionDefinition[]): PermissionGroup[] {
  const groups = new Map<string, { module: string; permissions: PermissionDefinition[] }>();
  for (const definition of definitions) {
    const module = definition.key.slice(0, definition.key.indexOf('.'));
    const label = definition.area ?? module.charAt(0).toUpperCase() + module.slice(1);
    const group = groups.get(label) ?? { module, permissions: [] };
    group.permissions.push(definition);
    groups.set(label, group);
  }
  return [...groups].map(([label, { module, permissions }]) => ({ module, label, permissions }));
}

/** The groups a role of this tenant can hold: platform permissions (platform.*) only in the platform tenant. */
export function permissionGroupsFor(tenantId: string, definitions: readonly PermissionDefinition[]): PermissionGroup[] {
  return permissionGroups(tenantId === PLATFORM_TENANT_ID ? definitions : definitions.filter((definition) => !isPlatformPermission(definition.key)));
}
