import { acceptInvitation, previewInvitation } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import {
  createSession,
  createUser,
  DEFAULT_PASSWORD_POLICY,
  getUser,
  markEmailVerified,
  normaliseEmail,
  setActiveTenant,
  setPassword,
  type IssuedSession,
  type SessionPolicy,
} from '../identity/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../tenancy/index.ts';
import { rotateOrFail, type BrowserSession } from './browser-session.ts';

export interface SignUpInput {
  token: string;
  displayName: string;
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  requestId: string;
}

const signUpErrors = {
  name: () => new AppError('VALIDATION', 'Enter your name.', { field: 'displayName' }),
  password: (problems: string[]) => new AppError('VALIDATION', problems.join(' '), { field: 'password', problems }),
  emailTaken: () =>
    new AppError('CONFLICT', 'An account with this email already exists: sign in first, then open the invitation link again.', {
      reason: 'IDENTITY_EMAIL_TAKEN',
      field: 'email',
    }),
};

/**
 * A new person accepts an invitation: account, password, membership and a signed-in session
 * commit together, so a weak password or a used-up link leaves nothing behind. The address
 * starts unconfirmed, unless the invitation was made out to it (acceptance refuses any other).
 */
export async function signUpWithInvitation(db: Db, input: SignUpInput, policy: SessionPolicy): Promise<IssuedSession> {
  const displayName = input.displayName.trim();
  if (displayName.length < 1 || displayName.length > 100) throw signUpErrors.name();
  // An invitation's address never changes, so reading it before the transaction is safe; a dead link fails in acceptInvitation.
  const invitedAddress = await previewInvitation(db, input.token).then(
    (preview) => preview.email,
    () => null,
  );
  return db
    .transaction(async (tx) => {
      const user = await createUser(tx, { email: input.email, displayName });
      const password = await setPassword(tx, user.id, input.password, DEFAULT_PASSWORD_POLICY);
      if (!password.ok) throw signUpErrors.password(password.problems);
      const issued = await createSession(tx, { userId: user.id, ip: input.ip, userAgent: input.userAgent }, { policy });
      const actor = { kind: 'user', userId: user.id, sessionId: issued.session.id } as const;
      const { tenantId } = await acceptInvitation(tx, { actor, requestId: input.requestId }, input.token, user);
      await setActiveTenant(tx, issued.session.id, tenantId);
      // The link reached this address's owner: that proves it. Last, as it takes the platform chain's audit lock.
      if (invitedAddress !== null && invitedAddress === normaliseEmail(user.email)) {
        await withTenantTx({ db: tx, tenantId: PLATFORM_TENANT_ID, actor, requestId: input.requestId }, async (scoped) => {
          await markEmailVerified(scoped.tx, user.id);
          recordAudit(scoped, {
            action: 'auth.email.verified',
            target: { type: 'identity.user', id: user.id },
            data: { email: user.email, via: 'invitation' },
          });
        });
      }
      return { ...issued, session: { ...issued.session, activeTenantId: tenantId } };
    })
    .catch((error: unknown) => {
      throw error instanceof AppError && error.details?.reason === 'IDENTITY_EMAIL_TAKEN' ? signUpErrors.emailTaken() : error;
    });
}

/** A signed-in person accepts: membership, the switch to the new business and a rotated session, together. */
export function joinWithInvitation(db: Db, session: BrowserSession, token: string, requestId: string, policy: SessionPolicy): Promise<IssuedSession> {
  return db.transaction(async (tx) => {
    const user = await getUser(tx, session.userId);
    if (!user) throw new AppError('AUTHN', 'Sign in to continue.');
    const actor = { kind: 'user', userId: user.id, sessionId: session.sessionId } as const;
    const { tenantId } = await acceptInvitation(tx, { actor, requestId }, token, user);
    await setActiveTenant(tx, session.sessionId, tenantId);
    return rotateOrFail(tx, session, policy);
  });
}
