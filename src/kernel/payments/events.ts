import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../jobs/index.ts';

/** A charge as its outcome events carry it. */
const charge = z.object({
  chargeId: z.guid(),
  operationKey: z.string().nullable(),
  provider: z.string(),
  providerPaymentId: z.string().nullable(),
  amountMinor: z.number().int(),
  currency: z.string(),
  failureMessage: z.string().optional(),
});

/** Payments' events: a charge reached an outcome (for modules such as billing and the POS to react to). */
export const paymentsEvents = defineEvents({
  'payments.charge.succeeded': charge,
  'payments.charge.failed': charge,
  'payments.charge.canceled': charge,
});

declare module '../jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof paymentsEvents> {}
}
