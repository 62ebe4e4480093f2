import type { FastifyBaseLogger } from 'fastify';
import { recordAudit, recordSecurityEvent } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { Actor } from '../context.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import {
  DEFAULT_ONE_TIME_TTL_SECONDS,
  DEFAULT_PASSWORD_POLICY,
  findUsableOneTimeToken,
  findUserByEmail,
  getUser,
  hashToken,
  issueOneTimeToken,
  normaliseEmail,
  randomToken,
  resetPassword,
} from '../identity/index.ts';
import { queueNotification } from '../notify/index.ts';
import { withPlatformTx } from '../tenancy/index.ts';
import { countMail, mailLimitKey } from './account-mail.ts';
import { appLink, passwordChangedMail, passwordResetMail } from './domain/account-mail.ts';

type LinkConfig = Pick<Config, 'publicUrl' | 'host' | 'port'>;

export interface RequestContext {
  ip: string;
  requestId: string;
  log: FastifyBaseLogger;
}

/** What every answer to a reset request says, whether or not the address has an account. */
export const RESET_REQUESTED_MESSAGE =
  'If an account uses that address, we have sent it a link to choose a new password. The link works once, for an hour; check your spam folder if nothing arrives.';

export const passwordResetErrors = {
  // One answer for unknown, expired, used and superseded links, and for disabled accounts.
  linkInvalid: () =>
    new AppError('NOT_FOUND', 'This password reset link has expired or was already used. Ask for a new one.', { reason: 'PASSWORD_RESET_LINK_INVALID' }),
  weakPassword: (problems: string[]) => new AppError('VALIDATION', problems.join(' '), { reason: 'PASSWORD_WEAK', field: 'password', problems }),
};

const ANONYMOUS: Actor = { kind: 'anonymous' };
const userTarget = (id: string) => ({ type: 'identity.user', id });
/** User-level changes (a person, not a business) go to the platform's audit chain, like their security events. */

/** Counts a mail against its recipient's limit; a refusal is recorded as a rate_limited security event. */
export async function countMailOrRecord(db: Db, key: string, c: RequestContext, details: Record<string, unknown>): Promise<void> {
  try {
    await countMail(db, key);
  } catch (error) {
    if (error instanceof AppError && error.code === 'RATE_LIMIT')
      await recordSecurityEvent(db, { kind: 'rate_limited', actor: 'anonymous', ip: c.ip, requestId: c.requestId, details: { limit: 'mail', ...details } }, c.log);
    throw error;
  }
}

/**
 * "Forgot my password". The caller always answers RESET_REQUESTED_MESSAGE: nothing here tells
 * whether the address is registered. Both paths count the mail limit, look the address up and
 * mint a token; only an active account gets the token stored, the email queued and the audit
 * row, all in one transaction (a rollback sends nothing).
 */
export async function requestPasswordReset(db: Db, config: LinkConfig, email: string, c: RequestContext): Promise<void> {
  const address = normaliseEmail(email);
  await countMailOrRecord(db, mailLimitKey.passwordReset(address), c, { purpose: 'password_reset' });
  const user = await findUserByEmail(db, address);
  if (!user || user.status !== 'active') {
    // The same CPU work as a real request (the token's hash); the database writes are the only difference.
    hashToken(randomToken());
    return;
  }
  const ttlSeconds = DEFAULT_ONE_TIME_TTL_SECONDS.password_reset;
  await withPlatformTx({ db, actor: ANONYMOUS, requestId: c.requestId }, async (uow) => {
    const { token, expiresAt } = await issueOneTimeToken(uow.tx, { userId: user.id, purpose: 'password_reset', ttlSeconds });
    await queueNotification(uow, {
      channel: 'email',
      to: user.email,
      template: passwordResetMail,
      data: { displayName: user.displayName, link: appLink(config, `/reset-password/${token}`), validForMinutes: ttlSeconds / 60 },
    });
    recordAudit(uow, {
      action: 'auth.password_reset.requested',
      target: userTarget(user.id),
      data: { ip: c.ip, expiresAt: expiresAt.toISOString() },
    });
  });
}

/** Whether a reset link still works (its page shows the form, or says it is spent). */
export async function resetLinkUsable(db: Db, token: string): Promise<boolean> {
  const found = await findUsableOneTimeToken(db, token, 'password_reset');
  const user = found ? await getUser(db, found.userId) : undefined;
  return user?.status === 'active';
}

/**
 * Sets a new password through a reset link. In one transaction: the link is spent (a row lock,
 * so of two parallel submits one wins and the other finds it used), the password replaced, every
 * session and refresh-token family of the user revoked, the account's lock lifted, a "your
 * password was changed" email queued and the audit row written. A refused password changes
 * nothing and leaves the link usable.
 */
export async function confirmPasswordReset(db: Db, config: LinkConfig, input: { token: string; password: string }, c: RequestContext): Promise<{ userId: string }> {
  // Disabled accounts get the same answer as a dead link (a link may predate the disabling).
  if (!(await resetLinkUsable(db, input.token))) throw passwordResetErrors.linkInvalid();
  return withPlatformTx({ db, actor: ANONYMOUS, requestId: c.requestId }, async (uow) => {
    const outcome = await resetPassword(uow.tx, input.token, input.password, DEFAULT_PASSWORD_POLICY);
    if (!outcome.ok) throw outcome.reason === 'weak_password' ? passwordResetErrors.weakPassword(outcome.problems) : passwordResetErrors.linkInvalid();
    const user = await getUser(uow.tx, outcome.userId);
    if (!user) throw passwordResetErrors.linkInvalid();
    await queueNotification(uow, {
      channel: 'email',
      to: user.email,
      template: passwordChangedMail,
      data: { displayName: user.displayName, resetLink: appLink(config, '/forgot-password') },
    });
    // Last: the audit append lock comes after every row lock (see recordAudit).
    recordAudit(uow, {
      action: 'auth.password_reset.completed',
      target: userTarget(user.id),
      data: { ip: c.ip, signedOutEverywhere: true },
    });
    return { userId: user.id };
  });
}
