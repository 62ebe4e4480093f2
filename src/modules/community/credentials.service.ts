import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Actor, ServiceContext } from '../../kernel/context.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { Db, Tx } from '../../kernel/db/index.ts';
import type { AppError } from '../../kernel/errors.ts';
import { getUser, revokeFamily, revokeSession } from '../../kernel/identity/index.ts';
import { queueNotification } from '../../kernel/notify/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { afterFailure, afterSend, codeMatches, CODE_POLICY, hashCode, newCode, sendWait, type CredentialState, type DecidedVia } from './domain/credential.ts';
import { communityErrors } from './errors.ts';
import { communityCredential, communityMember } from './community.table.ts';
import { announceTrusted, ofCredential, ofCredentialKey, recordCredential } from './credentials.rows.ts';
import { signInCodeMail } from './community.mail.ts';

/** The key under which the community knows a credential: the browser session, or the API token family. */
export function credentialKeyOf(actor: Actor): string | undefined {
  if (actor.kind === 'user') return `session:${actor.sessionId}`;
  if (actor.kind === 'api') return `token:${actor.tokenFamilyId}`;
  return undefined;
}

const credentialTarget = (id: string) => ({ type: 'community.credential', id });

/**
 * The trust of the request's credential. A credential the community has not seen yet is
 * recorded as pending: every sign-in into a community starts half-authenticated, whichever
 * page it came through (the kernel's /sign-in, an API token).
 */
export async function credentialTrust(db: Db, tenantId: string, actor: Actor, where: { ip: string; userAgent: string | null }): Promise<CredentialState> {
  const key = credentialKeyOf(actor);
  if (!key || (actor.kind !== 'user' && actor.kind !== 'api')) return 'pending';
  return withTenantTx({ db, tenantId, actor, requestId: 'community-gate' }, async (uow) => {
    const [row] = await uow.tx.select({ state: communityCredential.state }).from(communityCredential).where(ofCredentialKey(tenantId, key)).limit(1);
    if (row) return row.state;
    await recordCredential(uow, { credentialKey: key, userId: actor.userId, ip: where.ip, userAgent: where.userAgent });
    return 'pending';
  });
}

/** What /verify shows: where the sign-in stands and what the person can do next. */
export interface VerificationStatus {
  state: CredentialState;
  /** The member joined through an invite that needs an administrator's approval, which has not come yet. */
  awaitsApproval: boolean;
  /** The address codes go to, partly hidden. */
  email: string;
  codeSentAt: Date | null;
  /** Seconds until another code may be sent (0: now). */
  sendWaitSeconds: number;
}

const maskEmail = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1…$2');

async function lockOwnCredential(uow: { tx: Tx }, tenantId: string, actor: Actor) {
  const key = credentialKeyOf(actor);
  if (!key) throw communityErrors.personRequired();
  const [row] = await uow.tx.select().from(communityCredential).where(ofCredentialKey(tenantId, key)).for('update').limit(1);
  if (!row) throw communityErrors.credentialNotFound();
  const [member] = await uow.tx
    .select({ approvedAt: communityMember.approvedAt })
    .from(communityMember)
    .where(and(eq(communityMember.tenantId, tenantId), eq(communityMember.userId, row.userId)))
    .limit(1);
  // A member without community standing (a founding owner) needs no approval.
  return { row, awaitsApproval: member !== undefined && member.approvedAt === null };
}

export async function verificationStatus(ctx: ServiceContext): Promise<VerificationStatus> {
  return withTenantTx(ctx, async (uow) => {
    const { row, awaitsApproval } = await lockOwnCredential(uow, ctx.tenantId, ctx.actor);
    const user = await getUser(uow.tx, row.userId);
    return { state: row.state, awaitsApproval, email: maskEmail(user?.email ?? ''), codeSentAt: row.lastCodeSentAt, sendWaitSeconds: sendWait(row, new Date()) };
  });
}

/**
 * Emails a fresh verification code for the acting credential; the previous code stops working
 * (codes rotate). At most one a minute and five an hour; none while locked.
 */
export async function sendSignInCode(ctx: ServiceContext, codeKey: Buffer, ip: string): Promise<void> {
  await withTenantTx(ctx, async (uow) => {
    const { row, awaitsApproval } = await lockOwnCredential(uow, ctx.tenantId, ctx.actor);
    if (row.state !== 'pending') return;
    if (awaitsApproval) throw communityErrors.needsApproval();
    const now = new Date();
    const wait = sendWait(row, now);
    if (wait > 0) throw communityErrors.codeWait(wait);
    const user = await getUser(uow.tx, row.userId);
    if (!user) throw communityErrors.credentialNotFound();
    const code = newCode();
    await uow.tx
      .update(communityCredential)
      .set({ codeHash: hashCode(codeKey, row.id, code), codeExpiresAt: new Date(now.getTime() + CODE_POLICY.ttlSeconds * 1000), failedAttempts: 0, lockedUntil: null, ...afterSend(row, now) })
      .where(ofCredential(ctx.tenantId, row.id));
    await queueNotification(uow, { channel: 'email', to: user.email, template: signInCodeMail, data: { name: user.displayName, code, minutes: CODE_POLICY.ttlSeconds / 60 } });
    recordAudit(uow, { action: 'community.sign_in.code_sent', target: credentialTarget(row.id), data: { userId: row.userId, ip } });
  });
}

/**
 * Checks a code for the acting credential. A wrong code counts (five lock the credential for 15
 * minutes and void its code) and that count commits even though the answer is an error.
 */
export async function verifySignInCode(ctx: ServiceContext, codeKey: Buffer, code: string, ip: string): Promise<void> {
  const refusal = await withTenantTx(ctx, async (uow): Promise<AppError | undefined> => {
    const { row } = await lockOwnCredential(uow, ctx.tenantId, ctx.actor);
    if (row.state === 'trusted') return undefined;
    if (row.state === 'denied') return communityErrors.unverified();
    const now = new Date();
    if (row.lockedUntil && row.lockedUntil > now) return communityErrors.locked(Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
    if (!row.codeHash || !row.codeExpiresAt) return communityErrors.codeInvalid();
    if (!codeMatches(codeKey, row.id, code.trim(), row.codeHash)) {
      const failure = afterFailure(row.failedAttempts, now);
      await uow.tx
        .update(communityCredential)
        .set({ ...failure, ...(failure.lockedUntil ? { codeHash: null, codeExpiresAt: null } : {}) })
        .where(ofCredential(ctx.tenantId, row.id));
      if (failure.lockedUntil) {
        recordAudit(uow, { action: 'community.sign_in.locked', target: credentialTarget(row.id), data: { userId: row.userId, ip, until: failure.lockedUntil.toISOString() } });
        return communityErrors.locked(CODE_POLICY.lockSeconds);
      }
      return communityErrors.codeInvalid();
    }
    if (row.codeExpiresAt <= now) return communityErrors.codeExpired();
    await trust(uow, row, { via: 'code', byUserId: row.userId, from: ip });
    return undefined;
  });
  if (refusal) throw refusal;
}

type CredentialRow = typeof communityCredential.$inferSelect;

async function trust(
  uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>,
  row: CredentialRow,
  decision: { via: DecidedVia; byUserId: string | null; from: string },
): Promise<void> {
  const now = new Date();
  await uow.tx
    .update(communityCredential)
    .set({ state: 'trusted', decidedAt: now, decidedVia: decision.via, decidedByUserId: decision.byUserId, decidedFrom: decision.from, codeHash: null, codeExpiresAt: null, failedAttempts: 0, lockedUntil: null })
    .where(ofCredential(uow.tenantId, row.id));
  recordAudit(uow, {
    action: decision.via === 'code' ? 'community.sign_in.verified' : 'community.sign_in.approved',
    target: credentialTarget(row.id),
    data: { userId: row.userId, via: decision.via, by: decision.byUserId, from: decision.from },
  });
  announceTrusted(uow, row.id, row.userId, decision.via);
}

/** A sign-in awaiting verification, as /admin/sessions lists it. */
export interface PendingSignIn {
  id: string;
  username: string;
  displayName: string;
  kind: 'browser' | 'API token';
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  awaitsApproval: boolean;
  codeSentAt: Date | null;
}

export async function listPendingSignIns(ctx: ServiceContext): Promise<PendingSignIn[]> {
  return withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select({ credential: communityCredential, username: communityMember.username, approvedAt: communityMember.approvedAt, hasStanding: communityMember.userId })
      .from(communityCredential)
      .leftJoin(communityMember, and(eq(communityMember.tenantId, communityCredential.tenantId), eq(communityMember.userId, communityCredential.userId)))
      .where(and(eq(communityCredential.tenantId, ctx.tenantId), eq(communityCredential.state, 'pending')))
      .orderBy(asc(communityCredential.createdAt))
      .limit(200);
    const out: PendingSignIn[] = [];
    for (const { credential, username, approvedAt, hasStanding } of rows) {
      const user = await getUser(uow.tx, credential.userId);
      out.push({
        id: credential.id,
        username: username ?? '—',
        displayName: user?.displayName ?? 'Unknown person',
        kind: credential.credentialKey.startsWith('token:') ? 'API token' : 'browser',
        ip: credential.ip,
        userAgent: credential.userAgent,
        createdAt: credential.createdAt,
        awaitsApproval: hasStanding !== null && approvedAt === null,
        codeSentAt: credential.lastCodeSentAt,
      });
    }
    return out;
  });
}

/** Who decides and from where: an administrator's request (their IP) or the CLI (its host). */
export interface Decider {
  via: 'admin' | 'cli';
  from: string;
}

/** Approves a pending sign-in (and, with it, a member who awaited approval); audited with who and from where. */
export async function approveSignIn(ctx: ServiceContext, credentialId: string, decider: Decider): Promise<void> {
  await withTenantTx(ctx, async (uow) => {
    const row = await lockPending(uow, ctx.tenantId, credentialId);
    await trust(uow, row, { via: decider.via, byUserId: deciderUserId(ctx.actor), from: decider.from });
    await uow.tx
      .update(communityMember)
      .set({ approvedAt: new Date() })
      .where(and(eq(communityMember.tenantId, ctx.tenantId), eq(communityMember.userId, row.userId), isNull(communityMember.approvedAt)));
  });
}

/** Denies a pending sign-in: the session (or token family) is ended at once; audited with who and from where. */
export async function denySignIn(ctx: ServiceContext, credentialId: string, decider: Decider): Promise<void> {
  await withTenantTx(ctx, async (uow) => {
    const row = await lockPending(uow, ctx.tenantId, credentialId);
    const byUserId = deciderUserId(ctx.actor);
    await uow.tx
      .update(communityCredential)
      .set({ state: 'denied', decidedAt: new Date(), decidedVia: decider.via, decidedByUserId: byUserId, decidedFrom: decider.from, codeHash: null, codeExpiresAt: null })
      .where(ofCredential(ctx.tenantId, row.id));
    const [kind, id] = row.credentialKey.split(':') as [string, string];
    if (kind === 'session') await revokeSession(uow.tx, id, { userId: row.userId, admin: true });
    else await revokeFamily(uow.tx, id, { reason: 'community_sign_in_denied' });
    recordAudit(uow, { action: 'community.sign_in.denied', target: credentialTarget(row.id), data: { userId: row.userId, via: decider.via, by: byUserId, from: decider.from } });
  });
}

const deciderUserId = (actor: Actor) => (actor.kind === 'user' || actor.kind === 'api' ? actor.userId : null);

async function lockPending(uow: { tx: Tx }, tenantId: string, id: string): Promise<CredentialRow> {
  const [row] = await uow.tx.select().from(communityCredential).where(ofCredential(tenantId, id)).for('update').limit(1);
  if (!row) throw communityErrors.credentialNotFound();
  if (row.state !== 'pending') throw communityErrors.alreadyDecided();
  return row;
}
