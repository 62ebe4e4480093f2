import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { listSessions, revokeSession } from '../identity/index.ts';
import { summariseUserAgent } from './user-agent.ts';

/** One of the user's live browser sessions, as "where you are signed in" shows it. */
export interface MySession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** When it ends if left alone: the earlier of the idle and the absolute expiry. */
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** e.g. "Firefox on Linux". */
  device: string;
  /** The session this request came with ("this browser"). */
  current: boolean;
}

export const mySessionErrors = {
  // The same answer for another user's session as for none: ids reveal nothing.
  notFound: () => new AppError('NOT_FOUND', 'Session was not found.', { reason: 'AUTH_SESSION_NOT_FOUND' }),
};

/** The user's live sessions, this browser's first, then the most recently used. */
export async function mySessions(db: Db, userId: string, currentSessionId: string | undefined): Promise<MySession[]> {
  const sessions = await listSessions(db, userId);
  return sessions
    .map((session) => ({
      id: session.id,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.idleExpiresAt < session.absoluteExpiresAt ? session.idleExpiresAt : session.absoluteExpiresAt,
      ip: session.ip,
      userAgent: session.userAgent,
      device: summariseUserAgent(session.userAgent),
      current: session.id === currentSessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

/** Ends one of the user's own sessions; NOT_FOUND when it is not theirs, not live, or not there at all. */
export async function revokeMySession(db: Db, userId: string, sessionId: string): Promise<void> {
  if (!(await revokeSession(db, sessionId, { userId }))) throw mySessionErrors.notFound();
}

/** "Sign out everywhere else": every live session of the user except this one; returns how many ended. */
export async function revokeMyOtherSessions(db: Db, userId: string, currentSessionId: string): Promise<number> {
  const others = (await listSessions(db, userId)).filter((session) => session.id !== currentSessionId);
  let ended = 0;
  for (const session of others) if (await revokeSession(db, session.id, { userId })) ended += 1;
  return ended;
}
