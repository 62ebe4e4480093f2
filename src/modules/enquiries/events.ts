import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { ENQUIRY_KINDS, ENQUIRY_STATUSES } from './domain/enquiry.ts';

/** Enquiries' events: one received from the public site, one moved along the pipeline. */
export const enquiriesEvents = defineEvents({
  'enquiries.enquiry.received': z.object({ enquiryId: z.guid(), kind: z.enum(ENQUIRY_KINDS) }),
  'enquiries.enquiry.moved': z.object({ enquiryId: z.guid(), from: z.enum(ENQUIRY_STATUSES), to: z.enum(ENQUIRY_STATUSES) }),
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof enquiriesEvents> {}
}
