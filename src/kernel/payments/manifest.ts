import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { paymentsEvents } from './events.ts';
import { providerEventsHandler } from './provider-events.job.ts';

/**
 * Payments: the provider port, the charge lifecycle (started, settled by the provider's answer or
 * webhook) and the refund ledger that keeps refunds within what was captured.
 */
export const paymentsModule = defineModule({
  id: 'payments',
  permissions: [],
  emits: paymentsEvents,
  eventHandlers: [providerEventsHandler],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
});
