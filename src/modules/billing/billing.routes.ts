import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import type { PaymentsProvider } from '../../kernel/payments/index.ts';
import { invoiceView, subscribeInput, subscriptionView } from './domain/types.ts';
import { cancelAtPeriodEnd, getSubscription, getTenantBilling, listInvoices, openBillingPortal, resumeSubscription, subscribe, subscribeTenant } from './subscription.service.ts';

export const READ = { access: { permission: 'billing.subscription.read' } } as const;
export const MANAGE = { access: { permission: 'billing.subscription.manage' } } as const;
const STAFF_READ = { access: { permission: 'platform.billing.read' } } as const;
const STAFF_MANAGE = { access: { permission: 'platform.billing.manage' } } as const;
const tenantParams = z.strictObject({ id: z.uuid({ error: 'must be a business id (UUID)' }) });
const tags = ['billing'];
const one = z.object({ data: subscriptionView });

export interface BillingDeps {
  /** The payments port subscriptions go through; undefined when the installation has none. */
  payments: PaymentsProvider | undefined;
  /** Where the provider's billing portal sends the owner back to: the billing page under PUBLIC_URL. */
  portalReturnUrl: string;
}

export function billingApiRoutes(app: AppInstance, deps: BillingDeps): void {
  app.get(
    '/v1/billing/subscription',
    { config: READ, schema: { tags, summary: "The business's subscription (null before it first subscribes)", response: { 200: z.object({ data: subscriptionView.nullable() }) } } },
    async (request) => ({ data: await getSubscription(serviceContext(request)) }),
  );

  app.get(
    '/v1/billing/invoices',
    { config: READ, schema: { tags, summary: "The business's invoices, newest first", response: { 200: z.object({ data: z.array(invoiceView) }) } } },
    async (request) => ({ data: await listInvoices(serviceContext(request)) }),
  );

  app.post(
    '/v1/billing/subscription',
    { config: MANAGE, schema: { tags, summary: 'Subscribe to a plan or change plans (idempotent per plan)', body: subscribeInput, response: { 200: one } } },
    async (request) => ({ data: await subscribe(serviceContext(request), deps.payments, request.body) }),
  );

  app.post(
    '/v1/billing/subscription/cancel',
    { config: MANAGE, schema: { tags, summary: 'Cancel at the end of the current period (idempotent)', response: { 200: one } } },
    async (request) => ({ data: await cancelAtPeriodEnd(serviceContext(request), deps.payments) }),
  );

  app.post(
    '/v1/billing/subscription/resume',
    { config: MANAGE, schema: { tags, summary: 'Take back a cancellation at the end of the period (idempotent)', response: { 200: one } } },
    async (request) => ({ data: await resumeSubscription(serviceContext(request), deps.payments) }),
  );

  app.post(
    '/v1/billing/portal-session',
    {
      config: MANAGE,
      schema: { tags, summary: "A short-lived session of the provider's billing portal (change card, see invoices)", response: { 200: z.object({ data: z.object({ url: z.url() }) }) } },
    },
    async (request) => ({ data: await openBillingPortal(serviceContext(request), deps.payments, deps.portalReturnUrl) }),
  );

  // Platform staff: one business's billing, and subscribing it to a plan on its behalf.
  app.get(
    '/v1/platform/billing/tenants/:id',
    {
      config: STAFF_READ,
      schema: { tags, summary: "A business's subscription and invoices (platform staff)", params: tenantParams, response: { 200: z.object({ data: z.object({ subscription: subscriptionView.nullable(), invoices: z.array(invoiceView) }) }) } },
    },
    async (request) => ({ data: await getTenantBilling(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/platform/billing/tenants/:id/subscription',
    { config: STAFF_MANAGE, schema: { tags, summary: 'Subscribe a business to a plan or change its plan (platform staff)', params: tenantParams, body: subscribeInput, response: { 200: one } } },
    async (request) => ({ data: await subscribeTenant(serviceContext(request), deps.payments, request.params.id, request.body) }),
  );
}
