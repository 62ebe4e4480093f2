import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { randomToken, sha256 } from './crypto.ts';
import { identityErrors } from './errors.ts';
import { identitySession } from './session.table.ts';
import { announceCredentialChange } from './sign-out.ts';
import { addSeconds, nowOf, type At } from './time.ts';
import { appUser } from './user.table.ts';
import { tenantStateColumns, tenantStateOf, type TenantAccessState } from './tenant-state.ts';
import { tenantTable } from '../tenancy/tenant.table.ts';
import { userColumns, type User } from './user.service.ts';

export interface SessionPolicy {
  /** A session unused this long ends. Default 30 minutes. */
  idleSeconds: number;
  /** A session ends this long after sign-in, however busy. Default 12 hours. */
  absoluteSeconds: number;
  /** last_seen_at (and the idle expiry) move at most this often, sparing a write per request. Default 60 s. */
  touchIntervalSeconds: number;
  /** Live sessions one person may hold (0 or unset: no limit); a new sign-in beyond it does `limitAction`. */
  maxConcurrent?: number;
  /** end_oldest (default): the oldest sessions end; refuse_new: the sign-in is refused (CONFLICT). */
  limitAction?: 'end_oldest' | 'refuse_new';
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 60 * 60, touchIntervalSeconds: 60 };

export interface SessionOptions extends At {
  policy?: SessionPolicy;
}

export interface Session {
  id: string;
  userId: string;
  activeTenantId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  stepUpAt: Date | null;
}

/** What the cookie carries (the token, never stored) and the session it opens. */
export interface IssuedSession {
  token: string;
  session: Session;
}

const columns = {
  id: identitySession.id,
  userId: identitySession.userId,
  activeTenantId: identitySession.activeTenantId,
  createdAt: identitySession.createdAt,
  lastSeenAt: identitySession.lastSeenAt,
  idleExpiresAt: identitySession.idleExpiresAt,
  absoluteExpiresAt: identitySession.absoluteExpiresAt,
  ip: identitySession.ip,
  userAgent: identitySession.userAgent,
  stepUpAt: identitySession.stepUpAt,
};

const earlier = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
const isLive = (session: Session, now: Date) => now < session.idleExpiresAt && now < session.absoluteExpiresAt;

async function insertSession(
  db: Db | Tx,
  values: Omit<Session, 'id' | 'lastSeenAt' | 'idleExpiresAt'>,
  policy: SessionPolicy,
  now: Date,
): Promise<IssuedSession> {
  const token = randomToken();
  const [session] = await db
    .insert(identitySession)
    .values({
      ...values,
      tokenHash: sha256(token),
      lastSeenAt: now,
      idleExpiresAt: earlier(addSeconds(now, policy.idleSeconds), values.absoluteExpiresAt),
    })
    .returning(columns);
  if (!session) throw new Error('insert into identity_session returned no row');
  return { token, session };
}

/**
 * The concurrent-session policy, before a new session: under the user's row lock (two sign-ins at
 * once count each other), either the oldest live sessions end to make room or the sign-in is refused.
 */
async function makeRoomForSession(tx: Tx, userId: string, policy: SessionPolicy, now: Date): Promise<void> {
  const limit = policy.maxConcurrent ?? 0;
  if (limit <= 0) return;
  await tx.select({ id: appUser.id }).from(appUser).where(eq(appUser.id, userId)).for('update');
  const live = await listSessions(tx, userId, { now });
  if (live.length < limit) return;
  if (policy.limitAction === 'refuse_new') throw identityErrors.sessionLimit(limit);
  const ending = live.slice(0, live.length - limit + 1).map((session) => session.id);
  await tx.update(identitySession).set({ revokedAt: now }).where(and(inArray(identitySession.id, ending), isNull(identitySession.revokedAt)));
  await announceCredentialChange(tx, { userIds: [userId] });
}

/**
 * Opens a session after sign-in: always a fresh token, so a token planted before sign-in is
 * worthless. The policy's concurrent-session limit applies (identityErrors.sessionLimit when it refuses).
 */
export function createSession(
  db: Db | Tx,
  input: { userId: string; activeTenantId?: string | null; ip?: string | null; userAgent?: string | null },
  options: SessionOptions = {},
): Promise<IssuedSession> {
  const now = nowOf(options);
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  if (policy.maxConcurrent)
    return db.transaction(async (tx) => {
      await makeRoomForSession(tx, input.userId, policy, now);
      return openSession(tx, input, policy, now);
    });
  return openSession(db, input, policy, now);
}

function openSession(
  db: Db | Tx,
  input: { userId: string; activeTenantId?: string | null; ip?: string | null; userAgent?: string | null },
  policy: SessionPolicy,
  now: Date,
): Promise<IssuedSession> {
  return insertSession(
    db,
    {
      userId: input.userId,
      activeTenantId: input.activeTenantId ?? null,
      createdAt: now,
      absoluteExpiresAt: addSeconds(now, policy.absoluteSeconds),
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
      stepUpAt: null,
    },
    policy,
    now,
  );
}

/**
 * The live session a cookie's token names and its (active) user, or null when the token is
 * unknown, revoked, past its idle or absolute expiry, or its user is disabled. Use slides the
 * idle expiry (never past the absolute one), written at most once per touch interval.
 */
export async function validateSession(
  db: Db | Tx,
  token: string,
  options: SessionOptions = {},
): Promise<{ session: Session; user: User; tenantState: TenantAccessState | null } | null> {
  const now = nowOf(options);
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const [row] = await db
    .select({
      session: columns,
      user: userColumns,
      revokedAt: identitySession.revokedAt,
      ...tenantStateColumns,
    })
    .from(identitySession)
    .innerJoin(appUser, eq(appUser.id, identitySession.userId))
    .leftJoin(tenantTable, eq(tenantTable.id, identitySession.activeTenantId))
    .where(eq(identitySession.tokenHash, sha256(token)))
    .limit(1);
  if (!row || row.revokedAt || !isLive(row.session, now) || row.user.status !== 'active') return null;

  let session = row.session;
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.touchIntervalSeconds * 1000) {
    const [touched] = await db
      .update(identitySession)
      .set({ lastSeenAt: now, idleExpiresAt: earlier(addSeconds(now, policy.idleSeconds), session.absoluteExpiresAt) })
      .where(and(eq(identitySession.id, session.id), isNull(identitySession.revokedAt)))
      .returning(columns);
    if (!touched) return null;
    session = touched;
  }
  return { session, user: row.user, tenantState: tenantStateOf(row) };
}

/**
 * Replaces the session a token names with a new token (after sign-in steps and privilege
 * changes: step-up, role or tenant switch), revoking the old one. The absolute expiry and
 * step-up time carry over. Null when the token is no longer live; the row lock makes two
 * concurrent rotations of one token yield one new session.
 */
export function rotateSession(db: Db | Tx, token: string, options: SessionOptions = {}): Promise<IssuedSession | null> {
  const now = nowOf(options);
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  return db.transaction(async (tx) => {
    const [old] = await tx
      .select({ ...columns, revokedAt: identitySession.revokedAt })
      .from(identitySession)
      .where(eq(identitySession.tokenHash, sha256(token)))
      .for('update')
      .limit(1);
    if (!old || old.revokedAt || !isLive(old, now)) return null;
    await tx.update(identitySession).set({ revokedAt: now }).where(eq(identitySession.id, old.id));
    return insertSession(
      tx,
      {
        userId: old.userId,
        activeTenantId: old.activeTenantId,
        createdAt: now,
        absoluteExpiresAt: old.absoluteExpiresAt,
        ip: old.ip,
        userAgent: old.userAgent,
        stepUpAt: old.stepUpAt,
      },
      policy,
      now,
    );
  });
}

/**
 * Ends one session: the actor's own, or anyone's when the caller has established that the actor
 * administers users (`admin: true`). False when there is no such live session for the actor,
 * which also covers "not yours" without saying so.
 */
export async function revokeSession(db: Db | Tx, sessionId: string, by: { userId: string; admin?: boolean }, options: At = {}): Promise<boolean> {
  const owned = by.admin ? undefined : eq(identitySession.userId, by.userId);
  const revoked = await db
    .update(identitySession)
    .set({ revokedAt: nowOf(options) })
    .where(and(eq(identitySession.id, sessionId), isNull(identitySession.revokedAt), owned))
    .returning({ id: identitySession.id, userId: identitySession.userId });
  if (revoked[0]) await announceCredentialChange(db, { userIds: [revoked[0].userId] });
  return revoked.length > 0;
}

/** The user's live sessions, oldest first ("where you are signed in"). */
export function listSessions(db: Db | Tx, userId: string, options: At = {}): Promise<Session[]> {
  const now = nowOf(options);
  return db
    .select(columns)
    .from(identitySession)
    .where(
      and(
        eq(identitySession.userId, userId),
        isNull(identitySession.revokedAt),
        gt(identitySession.idleExpiresAt, now),
        gt(identitySession.absoluteExpiresAt, now),
      ),
    )
    .orderBy(asc(identitySession.createdAt), asc(identitySession.id));
}

/**
 * Points a live session at another tenant (or none). The caller checks membership first, and
 * should rotate the session (rotateSession) when the switch changes what the user may do.
 */
export async function setActiveTenant(db: Db | Tx, sessionId: string, tenantId: string | null): Promise<boolean> {
  const updated = await db
    .update(identitySession)
    .set({ activeTenantId: tenantId })
    .where(and(eq(identitySession.id, sessionId), isNull(identitySession.revokedAt)))
    .returning({ id: identitySession.id });
  return updated.length > 0;
}

/** Records that the user just proved their second factor in this session (see verifyTotp). */
export async function markStepUp(db: Db | Tx, sessionId: string, options: At = {}): Promise<boolean> {
  const updated = await db
    .update(identitySession)
    .set({ stepUpAt: nowOf(options) })
    .where(and(eq(identitySession.id, sessionId), isNull(identitySession.revokedAt)))
    .returning({ id: identitySession.id });
  return updated.length > 0;
}
