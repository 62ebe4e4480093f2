import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES } from './domain/ticket.ts';

const id = z.guid();
const side = z.enum(['customer', 'staff']);
const priority = z.enum(TICKET_PRIORITIES);
const status = z.enum(TICKET_STATUSES);

/** Support's events: a ticket's life, from either side. */
export const supportEvents = defineEvents({
  'support.ticket.created': z.object({ ticketId: id, priority, category: z.enum(TICKET_CATEGORIES), attachments: z.number().int() }),
  'support.ticket.replied': z.object({ ticketId: id, messageId: id, side, attachments: z.number().int() }),
  'support.ticket.note_added': z.object({ tenantId: id, ticketId: id, messageId: id }),
  'support.ticket.status_changed': z.object({ ticketId: id, from: status, to: status, side }),
  'support.ticket.assigned': z.object({ ticketId: id, assigneeUserId: id.nullable() }),
  'support.ticket.priority_changed': z.object({ ticketId: id, from: priority, to: priority }),
  'support.ticket.sla_breached': z.object({ ticketId: id, kind: z.enum(['first_response', 'resolution']), dueAt: z.iso.datetime({ offset: true }) }),
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof supportEvents> {}
}
