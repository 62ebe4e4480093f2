import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';

/** Payments: the provider port and the charge/refund ledger that keeps refunds within what was captured. */
export const paymentsModule = defineModule({
  id: 'payments',
  permissions: [],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
});
