import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';

/** Reports' events: an export was asked for (its job renders it). */
export const reportsEvents = defineEvents({
  'reports.export.requested': z.object({ exportId: z.guid(), report: z.string() }),
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof reportsEvents> {}
}
