import type { PermissionDefinition } from '../module/index.ts';
import { PLATFORM_TENANT_ID } from '../tenancy/index.ts';
import { isPlatformPermission } from './templates.ts';

/** The permissions one module declares, for showing and choosing them module by module. */
export interface PermissionGroup {
  module: string;
  label: string;
  permissions: readonly PermissionDefinition[];
}

/** Groups declared permissions by module (a key starts with its module's id), in manifest order. */
export function permissionGroups(definitions: readonly PermissionDefinition[]): PermissionGroup[] {
  const groups = new Map<string, PermissionDefinition[]>();
  for (const definition of definitions) {
    const module = definition.key.slice(0, definition.key.indexOf('.'));
    groups.set(module, [...(groups.get(module) ?? []), definition]);
  }
  return [...groups].map(([module, permissions]) => ({ module, label: module.charAt(0).toUpperCase() + module.slice(1), permissions }));
}

/** The groups a role of this tenant can hold: platform permissions (platform.*) only in the platform tenant. */
export function permissionGroupsFor(tenantId: string, definitions: readonly PermissionDefinition[]): PermissionGroup[] {
  return permissionGroups(tenantId === PLATFORM_TENANT_ID ? definitions : definitions.filter((definition) => !isPlatformPermission(definition.key)));
}
