import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../jobs/index.ts';

/** Backups' events: a backup or a restore was queued (its job runs it). */
export const tenancyEvents = defineEvents({
  'tenancy.backup.requested': z.object({ jobId: z.guid(), tenantId: z.guid() }),
  'tenancy.restore.requested': z.object({ jobId: z.guid(), backupId: z.guid(), tenantId: z.guid() }),
});

declare module '../../jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof tenancyEvents> {}
}
