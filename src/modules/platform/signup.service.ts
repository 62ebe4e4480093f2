import { and, eq, sql } from 'drizzle-orm';
import { accessRole, tenantMember, tenantMemberRole } from '../../kernel/access/index.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Db, Tx } from '../../kernel/db/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { createUser, DEFAULT_PASSWORD_POLICY, getUser, setPassword } from '../../kernel/identity/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { queueNotification } from '../../kernel/notify/index.ts';
import { PLATFORM_TENANT_ID, tenantTable, withTenantTx } from '../../kernel/tenancy/index.ts';
import type { SignupInput } from './domain/inputs.ts';
import type { PlatformSetup } from './domain/types.ts';
import { platformErrors } from './errors.ts';
import { signupReceivedMail, signupToReviewMail } from './mail.ts';
import { platformSignup } from './platform.table.ts';

/** Platform staff who hear about new sign-ups: those who may decide on them. */
export const SIGNUP_REVIEW_PERMISSION = 'platform.tenant.approve';

/** Email addresses of active platform members who may approve businesses, read in the platform's scope. */
async function reviewers(tx: Tx): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ userId: tenantMember.userId })
    .from(tenantMember)
    .innerJoin(tenantMemberRole, and(eq(tenantMemberRole.tenantId, tenantMember.tenantId), eq(tenantMemberRole.userId, tenantMember.userId)))
    .innerJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
    .where(and(eq(tenantMember.tenantId, PLATFORM_TENANT_ID), eq(tenantMember.status, 'active'), sql`${SIGNUP_REVIEW_PERMISSION} = ANY(${accessRole.permissions})`));
  const emails: string[] = [];
  for (const { userId } of rows) {
    const user = await getUser(tx, userId);
    if (user && user.status === 'active') emails.push(user.email);
  }
  return emails.sort();
}

export interface SubmittedSignup {
  tenantId: string;
  slug: string;
  status: 'pending';
}

/**
 * A business applies: a pending tenant (unusable until approved: no member, status pending) and
 * the owner's account with its password commit together with the audit entry, the event and
 * both emails (applicant and reviewers), or nothing does.
 */
export async function submitSignup(
  db: Db,
  setup: PlatformSetup,
  input: SignupInput,
  request: Pick<ServiceContext, 'requestId'>,
): Promise<SubmittedSignup> {
  if (!setup.editions.some((edition) => edition.id === input.edition)) throw platformErrors.editionUnknown(input.edition);
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenantTable)
      .values({ slug: input.slug, name: input.businessName, edition: input.edition, status: 'pending', ...(input.timeZone ? { timeZone: input.timeZone } : {}) })
      .onConflictDoNothing({ target: tenantTable.slug })
      .returning({ id: tenantTable.id, slug: tenantTable.slug });
    if (!tenant) throw platformErrors.slugTaken(input.slug);
    const owner = await createUser(tx, { email: input.email, displayName: input.ownerName }).catch((error: unknown) => {
      throw error instanceof AppError && error.details?.reason === 'IDENTITY_EMAIL_TAKEN' ? platformErrors.emailTaken() : error;
    });
    const password = await setPassword(tx, owner.id, input.password, DEFAULT_PASSWORD_POLICY);
    if (!password.ok) throw platformErrors.password(password.problems);
    await tx.insert(platformSignup).values({ businessTenantId: tenant.id, ownerUserId: owner.id, ownerName: input.ownerName, ownerEmail: owner.email });
    await withTenantTx({ db: tx, tenantId: PLATFORM_TENANT_ID, actor: { kind: 'anonymous' } as const, requestId: request.requestId }, async (scoped) => {
      const data = { businessName: input.businessName, slug: tenant.slug, edition: input.edition, ownerEmail: owner.email };
      await queueNotification(scoped, { channel: 'email', to: owner.email, template: signupReceivedMail, data: { ownerName: input.ownerName, businessName: input.businessName } });
      for (const to of await reviewers(scoped.tx)) await queueNotification(scoped, { channel: 'email', to, template: signupToReviewMail, data });
      emit(scoped, { type: 'platform.signup.received', payload: { tenantId: tenant.id, slug: tenant.slug, edition: input.edition } });
      recordAudit(scoped, { action: 'platform.signup.received', target: { type: 'tenancy.tenant', id: tenant.id }, data: { ...data, ownerUserId: owner.id } });
    });
    return { tenantId: tenant.id, slug: tenant.slug, status: 'pending' as const };
  });
}
