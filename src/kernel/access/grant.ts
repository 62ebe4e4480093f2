import type { ServiceContext } from '../context.ts';
import { AppError } from '../errors.ts';

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
