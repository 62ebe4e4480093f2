import type { FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AppInstance } from '../module/index.ts';
import { tenantTable, withTenantTx } from '../tenancy/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { optOut } from './opt-out.service.ts';
import { UnsubscribePage, type UnsubscribePageProps } from './unsubscribe.page.tsx';
import { unsubscribeKey, verifyUnsubscribeToken, type UnsubscribeClaim } from './unsubscribe-token.ts';

const query = z.object({ token: z.string().max(2000).optional() });
/** A browser's confirm form (token in the url, `_csrf`), or JSON naming the token. */
const body = z.looseObject({ token: z.string().max(2000).optional() }).optional();
const tags = ['notify'];

const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

/**
 * The email unsubscribe link (public: the signed token is the credential). GET shows a confirm
 * button, POST records the opt-out for the token's tenant, channel and recipient.
 */
export function unsubscribeRoutes(app: AppInstance, rootSecret: Buffer): void {
  const key = unsubscribeKey(rootSecret);

  /** The token's claim and the sending tenant's name, or undefined for any link we did not sign. */
  const resolve = async (token: string | undefined): Promise<{ claim: UnsubscribeClaim; sender: string } | undefined> => {
    const claim = token ? verifyUnsubscribeToken(key, token) : undefined;
    if (!claim) return undefined;
    const [tenant] = await app.db.select({ name: tenantTable.name }).from(tenantTable).where(eq(tenantTable.id, claim.tenantId));
    return tenant && { claim, sender: tenant.name };
  };

  const page = (request: FastifyRequest, reply: FastifyReply, token: string, state: UnsubscribePageProps['state']) =>
    sendPage(reply, UnsubscribePage({ chrome: chrome(request, reply), token, state }), state.kind === 'invalid' ? 400 : 200);

  app.get(
    '/notify/unsubscribe',
    { config: { access: 'public' }, schema: { hide: true, querystring: query } },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const found = await resolve(token);
      return page(request, reply, token, found ? { kind: 'confirm', recipient: found.claim.recipient, sender: found.sender } : { kind: 'invalid' });
    },
  );

  app.post(
    '/notify/unsubscribe',
    {
      // The signed token is the credential (RFC 8058 one-click posts come without cookies).
      config: { access: 'public', csrf: false },
      schema: {
        tags,
        summary: 'Unsubscribe the recipient a signed unsubscribe link names (the confirm form, or JSON with the token)',
        querystring: query,
        body,
        response: { 200: z.object({ data: z.object({ unsubscribed: z.literal(true), channel: z.enum(['email', 'sms']) }) }) },
      },
    },
    async (request, reply) => {
      const token = request.query.token ?? request.body?.token ?? '';
      const found = await resolve(token);
      if (!found) {
        if (wantsHtml(request)) return page(request, reply, token, { kind: 'invalid' });
        throw new AppError('VALIDATION', 'This unsubscribe link is not valid.', { reason: 'NOTIFY_UNSUBSCRIBE_INVALID' });
      }
      const { claim } = found;
      const ctx = { db: app.db, tenantId: claim.tenantId, actor: { kind: 'anonymous' as const }, requestId: request.id };
      await withTenantTx(ctx, (uow) => optOut(uow, claim.channel, claim.recipient, 'unsubscribe-link'));
      request.log.info({ tenantId: claim.tenantId, channel: claim.channel }, 'recipient unsubscribed by link');
      if (wantsHtml(request)) return page(request, reply, token, { kind: 'done', recipient: claim.recipient, sender: found.sender });
      return { data: { unsubscribed: true as const, channel: claim.channel } };
    },
  );
}
