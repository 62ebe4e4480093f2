import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { REQUEST_STATUSES } from './domain/request.ts';

const request = z.object({ requestId: z.guid() });

/** Requests' events: a request posted, commented on, completed or reopened. */
export const requestsEvents = defineEvents({
  'requests.request.created': z.object({ requestId: z.guid(), status: z.enum(REQUEST_STATUSES) }),
  'requests.comment.created': z.object({ requestId: z.guid(), commentId: z.guid() }),
  'requests.request.completed': request,
  'requests.request.reopened': request,
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof requestsEvents> {}
}
