import { PLATFORM_TENANT_ID } from '../tenancy/index.ts';

/**
 * A role an edition ships ready-made (owner, manager, cashier, …). Entries are exact permissions,
 * `module.*` / `module.resource.*` wildcards, or `*` for everything mounted.
 */
export interface RoleTemplate {
  key: string;
  name: string;
  permissions: readonly string[];
  /** Holders must use two-step sign-in; the business's setting starts so and is theirs to change afterwards. */
  requireTwoStep?: boolean;
}

/**
 * Permissions of the platform's own staff (the `platform` module's: tenant approval, plans, the
 * console). They exist only in the platform tenant: its roles may hold them, no other tenant's
 * role can (template or custom), and the guard refuses them in any other tenant all the same.
 */
export const PLATFORM_PERMISSION_PREFIX = 'platform.';
export const isPlatformPermission = (permission: string): boolean => permission.startsWith(PLATFORM_PERMISSION_PREFIX);

/** The declared permissions a role of this tenant may hold. */
export function permissionsFor(tenantId: string, declared: ReadonlySet<string>): ReadonlySet<string> {
  if (tenantId === PLATFORM_TENANT_ID) return declared;
  return new Set([...declared].filter((permission) => !isPlatformPermission(permission)));
}

export class RoleTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleTemplateError';
  }
}

/**
 * Expands a template against the permissions the mounted modules declare. A wildcard that
 * matches nothing is fine (its module is not mounted in this edition); an exact permission no
 * module declares is a mistake and fails at start-up.
 */
export function expandPermissions(entries: readonly string[], declared: ReadonlySet<string>, owner = 'role template', wildcardsWithin: ReadonlySet<string> = declared): string[] {
  const granted = new Set<string>();
  for (const entry of entries) {
    if (entry === '*') wildcardsWithin.forEach((permission) => granted.add(permission));
    else if (entry.endsWith('.*')) {
      const prefix = entry.slice(0, -1);
      wildcardsWithin.forEach((permission) => permission.startsWith(prefix) && granted.add(permission));
    } else if (declared.has(entry)) granted.add(entry);
    else throw new RoleTemplateError(`${owner} names permission ${entry}, which no mounted module declares.`);
  }
  return [...granted].sort();
}
