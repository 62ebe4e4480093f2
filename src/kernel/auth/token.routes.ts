import { z } from 'zod';
import { membershipRefusal } from '../access/index.ts';
import { recordSecurityEvent } from '../audit/index.ts';
import { AppError } from '../errors.ts';
import { issueTokenPair, refreshTokens, type IdentityKeys, type PasswordPolicy, type TokenPair } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { signIn } from './sign-in.service.ts';

const tags = ['auth'];
export const tokenView = z.object({
  accessToken: z.string(),
  accessExpiresAt: z.iso.datetime(),
  refreshToken: z.string(),
  refreshExpiresAt: z.iso.datetime(),
  tenantId: z.uuid().nullable(),
});

export const tokenPairView = (pair: TokenPair, tenantId: string | null) => ({
  accessToken: pair.accessToken,
  accessExpiresAt: pair.accessExpiresAt.toISOString(),
  refreshToken: pair.refreshToken,
  refreshExpiresAt: pair.refreshExpiresAt.toISOString(),
  tenantId,
});

/** Sign-in for API clients and devices: short-lived access token plus a rotating refresh token. */
export function tokenRoutes(app: AppInstance, keys: IdentityKeys, passwordPolicy: PasswordPolicy): void {
  app.post(
    '/v1/auth/token',
    {
      config: { access: 'public', rateClass: 'auth' },
      schema: {
        tags,
        summary:
          'Exchange email and password (and TOTP code when enrolled) for tokens. Refused with reason SIGN_IN_STEPS_REQUIRED while a temporary password ' +
          'must be replaced (send newPassword) or a role demands two-step sign-in not yet set up (add details.enrolment.secret to an app, send its first code as totpEnrolmentCode; the recovery codes come back once)',
        body: z.strictObject({
          email: z.string().trim().min(3).max(254),
          password: z.string().min(1).max(1024),
          totpCode: z.string().trim().max(32).optional(),
          tenant: z.string().trim().max(63).optional(),
          newPassword: z.string().min(1).max(1024).optional(),
          totpEnrolmentCode: z.string().trim().max(32).optional(),
        }),
        response: { 200: z.object({ data: tokenView.extend({ recoveryCodes: z.array(z.string()).optional() }) }) },
      },
    },
    async (request) => {
      const { user, tenantId, recoveryCodes } = await signIn(app.db, keys, { ...request.body, ip: request.ip, requestId: request.id }, request.log, passwordPolicy);
      const pair = await issueTokenPair(app.db, keys, { userId: user.id, tenantId });
      return { data: { ...tokenPairView(pair, tenantId), ...(recoveryCodes ? { recoveryCodes } : {}) } };
    },
  );

  app.post(
    '/v1/auth/token/refresh',
    {
      config: { access: 'public', rateClass: 'auth' },
      schema: {
        tags,
        summary: 'Trade a refresh token for a new pair (each refresh token works once)',
        body: z.strictObject({ refreshToken: z.string().min(1).max(512) }),
        response: { 200: z.object({ data: tokenView.omit({ tenantId: true }) }) },
      },
    },
    async (request) => {
      const outcome = await refreshTokens(app.db, keys, request.body.refreshToken, { admit: membershipRefusal });
      if (outcome.ok) {
        const { tenantId: _omitted, ...rest } = tokenPairView(outcome.tokens, null);
        return { data: rest };
      }
      const seen = { ip: request.ip, requestId: request.id };
      if (outcome.reason === 'reuse') {
        await recordSecurityEvent(app.db, { ...seen, kind: 'token_reuse', actor: `user:${outcome.userId}`, details: { familyId: outcome.familyId } }, request.log);
      }
      if (outcome.reason === 'refused') {
        // Recorded like the guard's denials, but as a warning in the member's business: the family ended with it.
        const details = { via: 'refresh_token', reason: outcome.refusal, familyId: outcome.familyId };
        await recordSecurityEvent(
          app.db,
          { ...seen, kind: 'authn_failed', severity: 'warning', tenantId: outcome.tenantId, actor: `user:${outcome.userId}`, details },
          request.log,
        );
      }
      const reason = outcome.reason === 'refused' ? outcome.refusal : outcome.reason;
      throw new AppError('AUTHN', 'The refresh token is not valid; sign in again.', { reason: reason.toUpperCase() });
    },
  );
}
