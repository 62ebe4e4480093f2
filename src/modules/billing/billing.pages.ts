import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { PLATFORM_TENANT_ID } from '../../kernel/tenancy/index.ts';
import { actionRoute, chrome, firstError, formRoute, noticeOf, withNotice, type FormState } from '../../web/index.ts';
import { MANAGE, READ, type BillingDeps } from './billing.routes.ts';
import { subscribeInput } from './domain/types.ts';
import { BillingPage } from './pages/billing.page.tsx';
import { billablePlans, cancelAtPeriodEnd, getSubscription, listInvoices, openBillingPortal, resumeSubscription, subscribe } from './subscription.service.ts';


/**
 * The page's form to the billing portal is answered by a redirect to Stripe's portal host, which
 * the site-wide `form-action 'self'` would make the browser refuse: this page alone allows it.
 */
const PORTAL_ORIGIN = 'https://billing.stripe.com';
function allowPortalRedirect(reply: FastifyReply): void {
  const policy = reply.getHeader('content-security-policy');
  if (typeof policy === 'string') reply.header('content-security-policy', policy.replace("form-action 'self'", `form-action 'self' ${PORTAL_ORIGIN}`));
}

/** The billing page; a refused change shows on it with its status (409 for a plan over its limits, and so on). */
async function renderBilling(form: FormState<object>, request: FastifyRequest, reply: FastifyReply) {
  const ctx = serviceContext(request);
  allowPortalRedirect(reply);
  // The platform's staff (wildcard roles) see the link too: the platform itself has no subscription.
  if (ctx.tenantId === PLATFORM_TENANT_ID)
    return BillingPage({ subscription: null, plans: [], invoices: [], canManage: false, notice: 'Billing is for businesses: the platform itself has no subscription.', chrome: chrome(request, reply) });
  const [subscription, plans, invoices] = await Promise.all([getSubscription(ctx), billablePlans(ctx), listInvoices(ctx)]);
  const canManage = request.permissions.has('billing.subscription.manage');
  return BillingPage({ subscription, plans, invoices, canManage, notice: noticeOf(request), error: firstError(form), chrome: chrome(request, reply) });
}

export function billingPageRoutes(app: AppInstance, deps: BillingDeps): void {
  formRoute(app, {
    path: '/billing/subscription',
    config: MANAGE,
    show: { path: '/billing', config: READ, values: () => ({ planKey: '' }) },
    values: (form) => ({ planKey: form.text('planKey') }),
    parse: (values) => {
      const parsed = subscribeInput.safeParse(values);
      return parsed.success ? { input: parsed.data } : { errors: {}, formError: 'Choose a plan.' };
    },
    submit: async (input, request) => {
      const subscription = await subscribe(serviceContext(request), deps.payments, input);
      return withNotice('/billing', `You are on plan ${subscription.plan?.name ?? subscription.planKey ?? ''}.`);
    },
    render: renderBilling,
  });

  const scheduling = (path: string, change: typeof cancelAtPeriodEnd, notice: string) =>
    actionRoute(app, {
      path,
      config: MANAGE,
      submit: async (_none, request) => {
        await change(serviceContext(request), deps.payments);
        return withNotice('/billing', notice);
      },
      render: renderBilling,
    });
  scheduling('/billing/subscription/cancel', cancelAtPeriodEnd, 'Your plan ends at the end of the current period.');
  scheduling('/billing/subscription/resume', resumeSubscription, 'Your plan renews as before.');

  // The provider's portal is where the card is changed: Plinth never sees card numbers.
  actionRoute(app, {
    path: '/billing/portal',
    config: MANAGE,
    submit: async (_none, request) => (await openBillingPortal(serviceContext(request), deps.payments, deps.portalReturnUrl)).url,
    render: renderBilling,
  });
}
