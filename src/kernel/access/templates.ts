/**
 * A role an edition ships ready-made (owner, manager, cashier, …). Entries are exact permissions,
 * `module.*` / `module.resource.*` wildcards, or `*` for everything mounted.
 */
export interface RoleTemplate {
  key: string;
  name: string;
  permissions: readonly string[];
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
export function expandPermissions(entries: readonly string[], declared: ReadonlySet<string>, owner = 'role template'): string[] {
  const granted = new Set<string>();
  for (const entry of entries) {
    if (entry === '*') declared.forEach((permission) => granted.add(permission));
    else if (entry.endsWith('.*')) {
      const prefix = entry.slice(0, -1);
      declared.forEach((permission) => permission.startsWith(prefix) && granted.add(permission));
    } else if (declared.has(entry)) granted.add(entry);
    else throw new RoleTemplateError(`${owner} names permission ${entry}, which no mounted module declares.`);
  }
  return [...granted].sort();
}
