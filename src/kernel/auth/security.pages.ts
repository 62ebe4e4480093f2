import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { beginTotpEnrolment, isTotpEnabled, type IdentityKeys, type SecondFactorOutcome, type SessionPolicy } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { adoptSession, browserSession, selfUserId } from './browser-session.ts';
import { RecoveryCodesPage, SecurityPage, TotpEnrolPage } from './security.page.tsx';
import { serviceContext } from '../http/index.ts';
import { AppError } from '../errors.ts';
import { setOwnPin, terminalErrors } from './terminal.service.ts';
import { enableTotp, turnOffTotp, type SecurityChangeContext } from './two-step.service.ts';

/** The name authenticator apps show next to the code. */
const ISSUER = 'Plinth';
const AUTHENTICATED = { access: 'authenticated' } as const;
/** Code checks are credential checks: the tighter `auth` rate class, as at sign-in. */
const CODE_CHECK = { access: 'authenticated', rateClass: 'auth' } as const;

const NOTICES = { on: 'Two-step sign-in is on.', off: 'Two-step sign-in is off.', pin: 'Your till PIN is set.' } as const;
const securityQuery = z.object({ done: z.enum(['on', 'off', 'pin']).optional().catch(undefined) });
const pinForm = z.object({ pin: z.string().max(64).default('') });
export const codeForm = z.object({ code: z.string().max(64).default('') });

type Refused = Exclude<SecondFactorOutcome, { ok: true }>;

/** A refused code as the page says it, and its status. */
export function refusal(outcome: Refused, notEnabled: string): { error: string; status: number } {
  switch (outcome.reason) {
    case 'invalid':
      return { error: 'That code is not valid. Enter the 6-digit code your app shows now.', status: 422 };
    case 'locked':
      return { error: `Too many wrong codes; try again in ${outcome.retryAfterSeconds ?? 60} s.`, status: 429 };
    case 'not_enabled':
      return { error: notEnabled, status: 409 };
  }
}

function changeContext(request: FastifyRequest, policy: SessionPolicy): SecurityChangeContext {
  const session = browserSession(request);
  return {
    db: request.server.db,
    session,
    policy,
    actor: { kind: 'user', userId: session.userId, sessionId: session.sessionId },
    tenantId: request.tenant?.id ?? null,
    ip: request.ip,
    requestId: request.id,
    log: request.log,
  };
}

async function renderSecurity(request: FastifyRequest, reply: FastifyReply, message: { notice?: string; error?: string; pinError?: string }, status = 200) {
  const totpEnabled = await isTotpEnabled(request.server.db, selfUserId(request));
  const { pinError, ...totpMessage } = message;
  const pin = { available: Boolean(request.tenant), error: pinError };
  return sendPage(reply, SecurityPage({ totpEnabled, ...totpMessage, pin, chrome: chrome(request, reply) }), status);
}

/**
 * Two-step sign-in (TOTP) for oneself: set-up with a QR code and a first code, recovery codes
 * shown once, and turning it off against a current code. Turning it on or off rotates the
 * session and is audited in the business the user works in (a security event when none).
 */
export function securityPages(app: AppInstance, keys: IdentityKeys, policy: SessionPolicy): void {
  app.get('/account/security', { config: AUTHENTICATED, schema: { hide: true, querystring: securityQuery } }, async (request, reply) => {
    const notice = request.query.done ? NOTICES[request.query.done] : undefined;
    return renderSecurity(request, reply, notice ? { notice } : {});
  });

  app.post('/account/security/totp', { config: AUTHENTICATED, schema: { hide: true } }, async (request, reply) => {
    const { userId } = browserSession(request);
    const enrolment = await beginTotpEnrolment(app.db, keys, { userId, issuer: ISSUER });
    return sendPage(reply, TotpEnrolPage({ enrolment, chrome: chrome(request, reply) }));
  });

  app.post('/account/security/totp/confirm', { config: CODE_CHECK, schema: { hide: true, body: codeForm } }, async (request, reply) => {
    const outcome = await enableTotp(changeContext(request, policy), keys, request.body.code);
    if (!outcome.ok) {
      const { error, status } = refusal(outcome, 'No set-up is in progress; start again.');
      if (outcome.reason === 'not_enabled') return renderSecurity(request, reply, { error }, status);
      return sendPage(reply, TotpEnrolPage({ error, chrome: chrome(request, reply) }), status);
    }
    adoptSession(request, reply, outcome.session, policy);
    return sendPage(reply, RecoveryCodesPage({ codes: outcome.recoveryCodes, chrome: chrome(request, reply) }));
  });

  // The form face of PUT /v1/me/pin: a weak PIN is shown on the form, with nothing changed.
  app.post('/account/security/pin', { config: AUTHENTICATED, schema: { hide: true, body: pinForm } }, async (request, reply) => {
    if (!request.tenant) throw terminalErrors.noTenant();
    try {
      await setOwnPin(serviceContext(request), selfUserId(request), request.body.pin);
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION') return renderSecurity(request, reply, { pinError: error.message }, 422);
      throw error;
    }
    return reply.redirect('/account/security?done=pin', 303);
  });

  app.post('/account/security/totp/disable', { config: CODE_CHECK, schema: { hide: true, body: codeForm } }, async (request, reply) => {
    const outcome = await turnOffTotp(changeContext(request, policy), keys, request.body.code);
    if (!outcome.ok) {
      const { error, status } = refusal(outcome, 'Two-step sign-in is already off.');
      return renderSecurity(request, reply, { error }, status);
    }
    adoptSession(request, reply, outcome.session, policy);
    return reply.redirect('/account/security?done=off', 303);
  });
}
