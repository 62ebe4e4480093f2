import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { PLATFORM_TENANT_ID } from '../../kernel/tenancy/index.ts';
import { chrome, formFields, formText, sendPage } from '../../web/index.ts';
import { MANAGE, READ, type BillingDeps } from './billing.routes.ts';
import { subscribeInput } from './domain/types.ts';
import { BillingPage } from './pages/billing.page.tsx';
import { billablePlans, cancelAtPeriodEnd, getSubscription, listInvoices, openBillingPortal, resumeSubscription, subscribe } from './subscription.service.ts';

const hidden = { hide: true };
const ctxIsPlatform = (request: FastifyRequest) => serviceContext(request).tenantId === PLATFORM_TENANT_ID;

/**
 * The page's form to the billing portal is answered by a redirect to Stripe's portal host, which
 * the site-wide `form-action 'self'` would make the browser refuse: this page alone allows it.
 */
const PORTAL_ORIGIN = 'https://billing.stripe.com';
function allowPortalRedirect(reply: FastifyReply): void {
  const policy = reply.getHeader('content-security-policy');
  if (typeof policy === 'string') reply.header('content-security-policy', policy.replace("form-action 'self'", `form-action 'self' ${PORTAL_ORIGIN}`));
}

async function render(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string | undefined; error?: string | undefined }, status = 200) {
  const ctx = serviceContext(request);
  allowPortalRedirect(reply);
  // The platform's staff (wildcard roles) see the link too: the platform itself has no subscription.
  if (ctx.tenantId === PLATFORM_TENANT_ID)
    return sendPage(reply, BillingPage({ subscription: null, plans: [], invoices: [], canManage: false, notice: 'Billing is for businesses: the platform itself has no subscription.', chrome: chrome(request, reply) }), status);
  const [subscription, plans, invoices] = await Promise.all([getSubscription(ctx), billablePlans(ctx), listInvoices(ctx)]);
  const canManage = request.permissions.has('billing.subscription.manage');
  return sendPage(reply, BillingPage({ subscription, plans, invoices, canManage, ...extra, chrome: chrome(request, reply) }), status);
}

/** A refusal shown on the page with the status it carries (409 for a plan over its limits, and so on). */
async function refusal(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof AppError) || ctxIsPlatform(request)) throw error;
  return render(request, reply, { error: error.message }, error.status);
}

export function billingPageRoutes(app: AppInstance, deps: BillingDeps): void {
  app.get('/billing', { config: READ, schema: hidden }, async (request, reply) => {
    const { notice } = request.query as Record<string, unknown>;
    return render(request, reply, { notice: typeof notice === 'string' ? notice.slice(0, 200) : undefined });
  });

  app.post('/billing/subscription', { config: MANAGE, schema: hidden }, async (request, reply) => {
    const parsed = subscribeInput.safeParse({ planKey: formText(formFields(request.body).planKey) });
    if (!parsed.success) return render(request, reply, { error: 'Choose a plan.' }, 422);
    try {
      const subscription = await subscribe(serviceContext(request), deps.payments, parsed.data);
      return reply.redirect(`/billing?notice=${encodeURIComponent(`You are on plan ${subscription.plan?.name ?? subscription.planKey ?? ''}.`)}`, 303);
    } catch (error) {
      return refusal(request, reply, error);
    }
  });

  const scheduling = (path: string, change: typeof cancelAtPeriodEnd, notice: string) =>
    app.post(path, { config: MANAGE, schema: hidden }, async (request, reply) => {
      try {
        await change(serviceContext(request), deps.payments);
        return reply.redirect(`/billing?notice=${encodeURIComponent(notice)}`, 303);
      } catch (error) {
        return refusal(request, reply, error);
      }
    });
  scheduling('/billing/subscription/cancel', cancelAtPeriodEnd, 'Your plan ends at the end of the current period.');
  scheduling('/billing/subscription/resume', resumeSubscription, 'Your plan renews as before.');

  // The provider's portal is where the card is changed: Plinth never sees card numbers.
  app.post('/billing/portal', { config: MANAGE, schema: hidden }, async (request, reply) => {
    try {
      const session = await openBillingPortal(serviceContext(request), deps.payments, deps.portalReturnUrl);
      return reply.redirect(session.url, 303);
    } catch (error) {
      return refusal(request, reply, error);
    }
  });
}
