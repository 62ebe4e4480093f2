import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { putMember } from '../../kernel/access/index.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Db } from '../../kernel/db/index.ts';
import { createSession, createUser, DEFAULT_PASSWORD_POLICY, findUserByEmail, setPassword, type SessionPolicy } from '../../kernel/identity/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { findTenantBySlug, withTenantTx } from '../../kernel/tenancy/index.ts';
import { inviteRefusal, type InviteInput, type InviteMode, type RegistrationInput } from './domain/invite.ts';
import { communityErrors } from './errors.ts';
import { communityInvite, communityMember } from './community.table.ts';
import { recordCredential } from './credentials.rows.ts';
import { actingUserId, usernamesOf } from './people.ts';

const DAY = 86_400_000;
/** The role every invited newcomer gets (see the edition's role templates). */
export const MEMBER_ROLE = 'member';

const hashInviteCode = (code: string) => createHash('sha256').update(code).digest('hex');
const inviteTarget = (id: string) => ({ type: 'community.invite', id });

export interface Invite {
  id: string;
  mode: InviteMode;
  maxUses: number;
  uses: number;
  expiresAt: Date;
  note: string | null;
  suggestedUsername: string | null;
  inviter: string;
  createdAt: Date;
  usable: boolean;
}

/** A new invite and the link that uses it; the code is shown this once (only its hash is kept). */
export interface CreatedInvite {
  invite: Invite;
  path: string;
}

export const invitePath = (communitySlug: string, code: string) => `/join/${communitySlug}/${code}`;

/** Creates an invite of the acting member (recorded as its inviter, for the invite graph). */
export async function createInvite(ctx: ServiceContext, communitySlug: string, input: InviteInput): Promise<CreatedInvite> {
  const inviterUserId = actingUserId(ctx);
  const code = randomBytes(18).toString('base64url');
  return withTenantTx(ctx, async (uow) => {
    const now = new Date();
    const [row] = await uow.tx
      .insert(communityInvite)
      .values({
        tenantId: ctx.tenantId,
        codeHash: hashInviteCode(code),
        inviterUserId,
        mode: input.mode,
        maxUses: input.maxUses,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY),
        note: input.note || null,
        suggestedUsername: input.suggestedUsername || null,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('invite insert returned no row');
    recordAudit(uow, { action: 'community.invite.created', target: inviteTarget(row.id), data: { mode: row.mode, maxUses: row.maxUses, expiresAt: row.expiresAt.toISOString() } });
    emit(uow, { type: 'community.invite.created', payload: { inviteId: row.id, inviterUserId, mode: row.mode } });
    const names = await usernamesOf(uow.tx, ctx.tenantId, [inviterUserId]);
    return { invite: toInvite(row, names, now), path: invitePath(communitySlug, code) };
  });
}

function toInvite(row: typeof communityInvite.$inferSelect, names: ReadonlyMap<string, string>, now: Date): Invite {
  return {
    id: row.id,
    mode: row.mode,
    maxUses: row.maxUses,
    uses: row.uses,
    expiresAt: row.expiresAt,
    note: row.note,
    suggestedUsername: row.suggestedUsername,
    inviter: names.get(row.inviterUserId) ?? 'a former member',
    createdAt: row.createdAt,
    usable: inviteRefusal(row, now) === undefined,
  };
}

/** The community's invites, newest first (administrators see all; others their own: `onlyMine`). */
export async function listInvites(ctx: ServiceContext, onlyMine: boolean): Promise<Invite[]> {
  const me = actingUserId(ctx);
  return withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select()
      .from(communityInvite)
      .where(and(eq(communityInvite.tenantId, ctx.tenantId), onlyMine ? eq(communityInvite.inviterUserId, me) : undefined))
      .orderBy(desc(communityInvite.createdAt), desc(communityInvite.id))
      .limit(200);
    const names = await usernamesOf(uow.tx, ctx.tenantId, rows.map((row) => row.inviterUserId));
    const now = new Date();
    return rows.map((row) => toInvite(row, names, now));
  });
}

/** What the invite page shows a newcomer before they register. */
export interface InvitePreview {
  communityName: string;
  inviter: string;
  note: string | null;
  suggestedUsername: string | null;
  mode: InviteMode;
}

async function communityOf(db: Db, slug: string) {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant || tenant.status !== 'active') throw communityErrors.inviteNotFound();
  return tenant;
}

/** The invite a link names, if it can still be used; unknown links and other communities' codes look alike. */
export async function previewInvite(db: Db, slug: string, code: string): Promise<InvitePreview> {
  const tenant = await communityOf(db, slug);
  return withTenantTx({ db, tenantId: tenant.id }, async (uow) => {
    const [row] = await uow.tx.select().from(communityInvite).where(and(eq(communityInvite.tenantId, tenant.id), eq(communityInvite.codeHash, hashInviteCode(code)))).limit(1);
    if (!row) throw communityErrors.inviteNotFound();
    const refusal = inviteRefusal(row, new Date());
    if (refusal) throw communityErrors.inviteUnusable(refusal);
    const names = await usernamesOf(uow.tx, tenant.id, [row.inviterUserId]);
    return { communityName: tenant.name, inviter: names.get(row.inviterUserId) ?? 'a member', note: row.note, suggestedUsername: row.suggestedUsername, mode: row.mode };
  });
}

export interface Registration {
  /** The new browser session's cookie token. */
  sessionToken: string;
  /** False when the invite asks an administrator to approve the newcomer first (a half-authenticated session). */
  trusted: boolean;
}

/**
 * Registers a newcomer from an invite, in one transaction: the kernel user and password, the
 * membership (role `member`), the community standing (username, inviter), one use of the invite
 * (row-locked, so parallel registrations cannot exceed max uses), and a browser session whose
 * trust follows the invite's mode.
 */
export async function registerFromInvite(
  db: Db,
  policy: SessionPolicy,
  request: { slug: string; code: string; ip: string; userAgent: string | null; requestId: string },
  input: RegistrationInput,
): Promise<Registration> {
  const tenant = await communityOf(db, request.slug);
  if (await findUserByEmail(db, input.email)) throw communityErrors.emailTaken();
  return db.transaction(async (tx) => {
    const user = await createUser(tx, { email: input.email, displayName: input.displayName });
    const password = await setPassword(tx, user.id, input.password, DEFAULT_PASSWORD_POLICY);
    if (!password.ok) throw communityErrors.weakPassword(password.problems);
    const issued = await createSession(tx, { userId: user.id, activeTenantId: tenant.id, ip: request.ip, userAgent: request.userAgent }, { policy });
    const actor = { kind: 'user', userId: user.id, sessionId: issued.session.id } as const;
    const trusted = await withTenantTx({ db: tx, tenantId: tenant.id, actor, requestId: request.requestId }, async (uow) => {
      const [invite] = await uow.tx
        .select()
        .from(communityInvite)
        .where(and(eq(communityInvite.tenantId, tenant.id), eq(communityInvite.codeHash, hashInviteCode(request.code))))
        .for('update')
        .limit(1);
      if (!invite) throw communityErrors.inviteNotFound();
      const refusal = inviteRefusal(invite, new Date());
      if (refusal) throw communityErrors.inviteUnusable(refusal);
      const [taken] = await uow.tx
        .select({ userId: communityMember.userId })
        .from(communityMember)
        .where(and(eq(communityMember.tenantId, tenant.id), eq(communityMember.username, input.username)))
        .limit(1);
      if (taken) throw communityErrors.usernameTaken();
      await putMember(uow.tx, tenant.id, user.id, [MEMBER_ROLE]);
      const joinsAtOnce = invite.mode === 'join';
      await uow.tx.insert(communityMember).values({
        tenantId: tenant.id,
        userId: user.id,
        username: input.username,
        inviteId: invite.id,
        inviterUserId: invite.inviterUserId,
        approvedAt: joinsAtOnce ? new Date() : null,
      });
      await uow.tx
        .update(communityInvite)
        .set({ uses: sql`${communityInvite.uses} + 1` })
        .where(and(eq(communityInvite.tenantId, tenant.id), eq(communityInvite.id, invite.id)));
      await recordCredential(uow, {
        credentialKey: `session:${issued.session.id}`,
        userId: user.id,
        ip: request.ip,
        userAgent: request.userAgent,
        trustedVia: joinsAtOnce ? 'invite' : undefined,
      });
      recordAudit(uow, {
        action: 'community.member.registered',
        target: { type: 'community.member', id: user.id },
        data: { username: input.username, inviteId: invite.id, inviterUserId: invite.inviterUserId, mode: invite.mode, ip: request.ip },
      });
      emit(uow, { type: 'community.member.registered', payload: { userId: user.id, inviteId: invite.id, inviterUserId: invite.inviterUserId, mode: invite.mode } });
      return joinsAtOnce;
    });
    return { sessionToken: issued.token, trusted };
  });
}
