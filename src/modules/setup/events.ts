import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';

/** Setup's event: the install's one business was created. */
export const setupEvents = defineEvents({
  'setup.install.completed': z.object({ tenantId: z.guid(), slug: z.string() }),
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof setupEvents> {}
}
