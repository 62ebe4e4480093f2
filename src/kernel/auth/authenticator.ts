import type { Db } from '../db/index.ts';
import type { Authenticator } from '../http/index.ts';
import { validateSession, verifyAccessToken, type IdentityKeys, type SessionPolicy } from '../identity/index.ts';

/** The guard's view of identity: a session cookie or a bearer access token becomes an actor. */
export function createAuthenticator(db: Db, keys: IdentityKeys, sessionPolicy: SessionPolicy): Authenticator {
  return {
    async fromSessionCookie(token) {
      const found = await validateSession(db, token, { policy: sessionPolicy });
      if (!found) return null;
      const { session, tenantState } = found;
      return {
        tenantState,
        actor: { kind: 'user', userId: session.userId, sessionId: session.id },
        userId: session.userId,
        tenantId: session.activeTenantId,
        via: 'session',
        sessionId: session.id,
      };
    },
    async fromBearer(token) {
      const outcome = await verifyAccessToken(db, keys, token);
      if (!outcome.ok) return null;
      const { claims } = outcome;
      // At a terminal the staff member signed in with their PIN is the one whose permissions apply.
      const actor = claims.deviceId
        ? ({ kind: 'device', deviceId: claims.deviceId, staffUserId: claims.userId } as const)
        : ({ kind: 'api', userId: claims.userId, tokenFamilyId: claims.familyId } as const);
      return {
        tenantState: claims.tenantState,
        actor,
        userId: claims.userId,
        tenantId: claims.tenantId,
        via: 'bearer',
      };
    },
  };
}

export function sessionPolicyOf(config: { session: { idleMinutes: number; absoluteHours: number; maxConcurrent?: number; limitAction?: SessionPolicy['limitAction'] } }): SessionPolicy {
  const { idleMinutes, absoluteHours, maxConcurrent, limitAction } = config.session;
  return { idleSeconds: idleMinutes * 60, absoluteSeconds: absoluteHours * 3600, touchIntervalSeconds: 60, ...(maxConcurrent ? { maxConcurrent, limitAction: limitAction ?? 'end_oldest' } : {}) };
}
