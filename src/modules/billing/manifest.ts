import { fileURLToPath } from 'node:url';
import type { Config } from '../../kernel/config/index.ts';
import { defineModule } from '../../kernel/module/index.ts';
import { billingEvents } from './events.ts';
import { createFakePayments, type PaymentsProvider } from '../../kernel/payments/index.ts';
import { billingPageRoutes } from './billing.pages.ts';
import { billingApiRoutes } from './billing.routes.ts';
import { billingEventsHandler } from './stripe-events.job.ts';
import { dunningBanners } from './subscription.service.ts';

export interface BillingModuleOptions {
  /**
   * The payments port subscriptions go through. By default the FAKE provider in demo mode and
   * tests (it moves no money), and none otherwise: subscribing is then refused until an
   * installation wires a real provider (createStripePayments) here.
   */
  payments?: (config: Config) => PaymentsProvider | undefined;
}

const defaultPayments = (config: Config): PaymentsProvider | undefined => (config.demo || config.env === 'test' ? createFakePayments() : undefined);

/**
 * Billing: a business's subscription to a platform plan at the payments provider, its invoices,
 * and dunning from the provider's webhooks (through the kernel inbox). Its subscription events
 * (`billing.subscription.*`) are the platform's to act on: it moves the business's plan with the
 * subscription and suspends a business whose subscription lapsed; billing itself suspends no one.
 */
export function createBillingModule(options: BillingModuleOptions = {}) {
  return defineModule({
    id: 'billing',
    title: 'Billing',
    emits: billingEvents,
    dependsOn: ['platform'],
    permissions: [
      { key: 'billing.subscription.read', description: "See the business's plan, subscription status and invoices" },
      { key: 'billing.subscription.manage', description: 'Subscribe the business to a plan, change plans and cancel' },
      { key: 'platform.billing.read', description: "Platform staff: see any business's subscription and invoices" },
      { key: 'platform.billing.manage', description: 'Platform staff: subscribe a business to a plan or change its plan' },
    ],
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    navigation: [{ label: 'Billing', href: '/billing', group: 'settings', permission: 'billing.subscription.read' }],
    eventHandlers: [billingEventsHandler],
    pageBanners: (db, tenant) => dunningBanners(db, tenant),
    routes: (app, services) => {
      const { config } = services;
      const portalReturnUrl = new URL('/billing', config.publicUrl ?? `http://${config.host}:${config.port}`).toString();
      const deps = { payments: (options.payments ?? defaultPayments)(config), portalReturnUrl };
      billingApiRoutes(app, deps);
      billingPageRoutes(app, deps);
    },
  });
}

export const billingModule = createBillingModule();
