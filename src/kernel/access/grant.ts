import type { ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { rolesByKey } from './roles.service.ts';

export const grantErrors = {
  exceedsOwn: (missing: string[]) =>
    new AppError('AUTHZ', 'You cannot give permissions you do not hold yourself.', { reason: 'GRANT_EXCEEDS_OWN', permissions: missing.slice(0, 50) }),
};

/**
 * No privilege escalation: whoever hands out permissions (custom roles, role changes,
 * invitations) must hold every one of them. Contexts without permissions are the system's own
 * (provisioning, demo seeding) and are not limited.
 */
export function assertPermissionsGrantable(ctx: Pick<ServiceContext, 'permissions'>, permissions: Iterable<string>): void {
  if (!ctx.permissions) return;
  const own = ctx.permissions;
  const missing = [...new Set(permissions)].filter((permission) => !own.has(permission)).sort();
  if (missing.length > 0) throw grantErrors.exceedsOwn(missing);
}

/** The same for roles named by key: the union of their permissions must be the granter's. */
export async function assertGrantable(tx: Tx, ctx: Pick<ServiceContext, 'permissions' | 'tenantId'>, roleKeys: readonly string[]): Promise<void> {
  const roles = await rolesByKey(tx, ctx.tenantId, roleKeys);
  assertPermissionsGrantable(ctx, roles.flatMap((role) => role.permissions));
}
