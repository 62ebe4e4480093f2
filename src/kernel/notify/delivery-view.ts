import { z } from 'zod';
import { CHANNELS, DELIVERY_STATUSES } from './delivery.table.ts';

/** One delivery as the log shows it, in the API and on the page. */
export const deliveryView = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  recipient: z.string(),
  template: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  settledAt: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliveryView>;
