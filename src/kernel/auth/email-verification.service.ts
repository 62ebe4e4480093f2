import { recordAudit } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { Actor } from '../context.ts';
import type { Db } from '../db/index.ts';
import { DEFAULT_ONE_TIME_TTL_SECONDS, findUsableOneTimeToken, getUser, issueOneTimeToken, verifyEmail } from '../identity/index.ts';
import { queueNotification } from '../notify/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../tenancy/index.ts';
import { mailLimitKey } from './account-mail.ts';
import { appLink, verifyEmailMail } from './domain/account-mail.ts';
import { countMailOrRecord, type RequestContext } from './password-reset.service.ts';

type LinkConfig = Pick<Config, 'publicUrl' | 'host' | 'port'>;
const userTarget = (id: string) => ({ type: 'identity.user', id });

/**
 * Mails the user a link proving their address. Counted against a per-user mail limit (besides
 * the guard's per-user request rate); already verified answers 'verified' and sends nothing.
 * Token, email and audit row commit together.
 */
export async function sendVerificationEmail(db: Db, config: LinkConfig, actor: Actor, userId: string, c: RequestContext): Promise<'sent' | 'verified'> {
  const user = await getUser(db, userId);
  if (!user) throw new Error(`no user ${userId}`);
  if (user.emailVerifiedAt) return 'verified';
  await countMailOrRecord(db, mailLimitKey.verification(userId), c, { purpose: 'email_verification', userId });
  const ttlSeconds = DEFAULT_ONE_TIME_TTL_SECONDS.email_verification;
  await withTenantTx({ db, tenantId: PLATFORM_TENANT_ID, actor, requestId: c.requestId }, async (uow) => {
    const { token } = await issueOneTimeToken(uow.tx, { userId, purpose: 'email_verification', ttlSeconds });
    await queueNotification(uow, {
      channel: 'email',
      to: user.email,
      template: verifyEmailMail,
      data: { displayName: user.displayName, link: appLink(config, `/verify-email/${token}`), validForMinutes: ttlSeconds / 60 },
    });
    recordAudit(uow, {
      action: 'auth.email_verification.sent',
      target: userTarget(userId),
      data: { email: user.email },
    });
  });
  return 'sent';
}

/** The address a still-usable verification link would confirm (its page asks before spending it), or undefined. */
export async function verificationLinkAddress(db: Db, token: string): Promise<string | undefined> {
  const found = await findUsableOneTimeToken(db, token, 'email_verification');
  return found ? (await getUser(db, found.userId))?.email : undefined;
}

/** Spends a verification link and marks the address proven, audited in the same transaction; false when the link is dead. */
export function confirmEmailVerification(db: Db, actor: Actor, token: string, requestId: string): Promise<boolean> {
  return withTenantTx({ db, tenantId: PLATFORM_TENANT_ID, actor, requestId }, async (uow) => {
    const verified = await verifyEmail(uow.tx, token);
    if (!verified) return false;
    const user = await getUser(uow.tx, verified.userId);
    recordAudit(uow, {
      action: 'auth.email.verified',
      target: userTarget(verified.userId),
      data: { email: user?.email ?? null, via: 'link' },
    });
    return true;
  });
}
