import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { provisionTenant, type RoleTemplate } from '../../kernel/access/index.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { Db } from '../../kernel/db/index.ts';
import { createUser, DEFAULT_PASSWORD_POLICY, findUserByEmail, setPassword } from '../../kernel/identity/index.ts';
import { withTenantTx, type Tenant } from '../../kernel/tenancy/index.ts';
import { communityMember } from './community.table.ts';

export interface AdminBootstrap {
  slug: string;
  communityName: string;
  email: string;
  displayName: string;
  username: string;
  timeZone?: string | undefined;
  /** The edition's role templates (the administrator gets `owner`) and every declared permission. */
  templates: readonly RoleTemplate[];
  declared: ReadonlySet<string>;
}

export interface AdminBootstrapOutcome {
  tenant: Tenant;
  userId: string;
  /** Set only when this run created the account: the first password, to change after signing in. */
  password?: string;
  /** False when the community, the account and the administrator's standing were all there already. */
  changed: boolean;
}

/**
 * The first administrator of a community, idempotently: creates the community (a tenant of the
 * mutualaid edition) if missing, the account if missing (with a generated password), seats it as
 * owner and gives it community standing (username, approved). Running it again changes nothing
 * and never resets a password.
 */
export async function bootstrapAdmin(db: Db, input: AdminBootstrap): Promise<AdminBootstrapOutcome> {
  let password: string | undefined;
  let user = await findUserByEmail(db, input.email);
  if (!user) {
    password = `${randomBytes(12).toString('base64url')}`;
    user = await createUser(db, { email: input.email, displayName: input.displayName });
    const set = await setPassword(db, user.id, password, DEFAULT_PASSWORD_POLICY);
    if (!set.ok) throw new Error(`generated password refused: ${set.problems.join('; ')}`);
  }
  const tenant = await provisionTenant(db, { slug: input.slug, name: input.communityName, edition: 'mutualaid', templates: input.templates, declared: input.declared, ownerUserId: user.id, ...(input.timeZone ? { timeZone: input.timeZone } : {}) });
  const userId = user.id;
  const seated = await withTenantTx({ db, tenantId: tenant.id, actor: { kind: 'system' as const, process: 'community-bootstrap' }, requestId: 'community-bootstrap' }, async (uow) => {
    const [existing] = await uow.tx
      .select({ userId: communityMember.userId })
      .from(communityMember)
      .where(and(eq(communityMember.tenantId, tenant.id), eq(communityMember.userId, userId)))
      .limit(1);
    if (existing) return false;
    await uow.tx.insert(communityMember).values({ tenantId: tenant.id, userId, username: input.username, approvedAt: new Date() });
    recordAudit(uow, { action: 'community.admin.bootstrapped', target: { type: 'community.member', id: userId }, data: { username: input.username, accountCreated: password !== undefined } });
    return true;
  });
  return { tenant, userId, ...(password ? { password } : {}), changed: seated || password !== undefined };
}
