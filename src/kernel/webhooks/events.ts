import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../jobs/index.ts';
import { WEBHOOK_PROVIDERS } from './inbox.service.ts';

/** The webhook inbox's events: a verified provider event was stored (its handlers read it from the inbox). */
export const webhooksEvents = defineEvents({
  'webhooks.event.received': z.object({ inboxId: z.guid(), provider: z.enum(WEBHOOK_PROVIDERS), eventType: z.string() }),
});

declare module '../jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof webhooksEvents> {}
}
