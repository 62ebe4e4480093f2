import type { FastifyBaseLogger } from 'fastify';
import { recordAudit, recordSecurityEvent } from '../audit/index.ts';
import { actorLabel, type Actor } from '../context.ts';
import { withTx, type Db, type Tx } from '../db/index.ts';
import {
  confirmTotpEnrolment,
  disableTotp,
  verifyTotp,
  type IdentityKeys,
  type IssuedSession,
  type SecondFactorOutcome,
  type SessionPolicy,
} from '../identity/index.ts';
import { withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { rotateOrFail, type BrowserSession } from './browser-session.ts';

/** Who changes their own sign-in security, from which browser session, and where it is recorded. */
export interface SecurityChangeContext {
  db: Db;
  session: BrowserSession;
  policy: SessionPolicy;
  actor: Actor;
  /**
   * The business the user works in (as an active member), whose audit chain records the change.
   * Null when there is none: the change is then a security event (audit chains are per tenant).
   */
  tenantId: string | null;
  ip: string;
  requestId: string;
  log: FastifyBaseLogger;
}

type Refused = Exclude<SecondFactorOutcome, { ok: true }>;
type Change = 'totp_enabled' | 'totp_disabled';

const AUDIT_ACTION: Record<Change, string> = { totp_enabled: 'auth.totp.enabled', totp_disabled: 'auth.totp.disabled' };

/**
 * A privilege change in one transaction: the change itself, the session's rotation (the old
 * cookie dies) and the audit row commit together. A refused code changes nothing but still
 * counts towards the second-factor lock (its record commits with the refusal).
 */
async function securityChange<T extends { ok: true }>(
  c: SecurityChangeContext,
  change: Change,
  work: (tx: Tx) => Promise<T | Refused>,
): Promise<(T & { session: IssuedSession }) | Refused> {
  const userId = c.session.userId;
  /** In a business, the change is audited in its unit of work; without one there is no chain to audit in (a security event records it). */
  const run = async (tx: Tx, uow?: UnitOfWork): Promise<(T & { session: IssuedSession }) | Refused> => {
    const outcome = await work(tx);
    if (!outcome.ok) return outcome;
    // Rotation takes a row lock, so it comes before the audit append lock (see recordAudit).
    const session = await rotateOrFail(tx, c.session, c.policy);
    if (uow) {
      recordAudit(uow, { action: AUDIT_ACTION[change], target: { type: 'user', id: userId }, data: { sessionRotated: true } });
    }
    return { ...outcome, session };
  };
  const result = c.tenantId
    ? await withTenantTx({ db: c.db, tenantId: c.tenantId, actor: c.actor, requestId: c.requestId, log: c.log }, (uow) => run(uow.tx, uow))
    : await withTx(c.db, (tx) => run(tx));
  if (result.ok && !c.tenantId) {
    const severity = change === 'totp_disabled' ? 'warning' : 'info';
    await recordSecurityEvent(c.db, { kind: change, severity, actor: actorLabel(c.actor), ip: c.ip, requestId: c.requestId, details: { userId } }, c.log);
  }
  return result;
}

/** Finishes TOTP set-up with a first correct code; the recovery codes come back this once. */
export function enableTotp(c: SecurityChangeContext, keys: Pick<IdentityKeys, 'totp'>, code: string) {
  return securityChange(c, 'totp_enabled', (tx) => confirmTotpEnrolment(tx, keys, c.session.userId, code));
}

/** Turns TOTP off, only against a current code from the app. */
export function turnOffTotp(c: SecurityChangeContext, keys: Pick<IdentityKeys, 'totp'>, code: string) {
  return securityChange(c, 'totp_disabled', async (tx) => {
    const checked = await verifyTotp(tx, keys, c.session.userId, code);
    if (!checked.ok) return checked;
    await disableTotp(tx, c.session.userId);
    return { ok: true as const };
  });
}
