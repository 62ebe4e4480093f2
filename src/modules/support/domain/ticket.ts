import { z } from 'zod';

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['new', 'open', 'waiting_on_customer', 'waiting_on_platform', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CATEGORIES = ['account', 'billing', 'technical', 'data', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  waiting_on_customer: 'Waiting on customer',
  waiting_on_platform: 'Waiting on platform',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;
/** How long after resolution the requester may still reopen a ticket. */
export const REOPEN_WITHIN_DAYS = 7;
export const PAGE_SIZE_MAX = 100;

/**
 * Status changes platform staff may make by hand. `closed` is final; a resolved ticket goes back
 * to `open` (staff) or is reopened by its requester within REOPEN_WITHIN_DAYS. Replies move the
 * status too (see nextStatusOnReply), always along one of these edges.
 */
const STAFF_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'waiting_on_customer', 'waiting_on_platform', 'resolved', 'closed'],
  open: ['waiting_on_customer', 'waiting_on_platform', 'resolved', 'closed'],
  waiting_on_customer: ['open', 'waiting_on_platform', 'resolved', 'closed'],
  waiting_on_platform: ['open', 'waiting_on_customer', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

export const canStaffMove = (from: TicketStatus, to: TicketStatus): boolean => STAFF_TRANSITIONS[from].includes(to);

/** The status a public reply leaves the ticket in: the ball is now in the other side's court. */
export function nextStatusOnReply(current: TicketStatus, side: 'customer' | 'staff'): TicketStatus {
  if (side === 'staff') return 'waiting_on_customer';
  // A new ticket stays new (unseen by staff) until staff pick it up.
  return current === 'new' ? 'new' : 'waiting_on_platform';
}

/** Replies are refused on finished tickets: a resolved one must be reopened first, a closed one is final. */
export const acceptsReplies = (status: TicketStatus): boolean => status !== 'resolved' && status !== 'closed';

export const ticketInput = z.strictObject({
  subject: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(SUBJECT_MAX, { error: `must be at most ${SUBJECT_MAX} characters` }),
  body: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(BODY_MAX, { error: `must be at most ${BODY_MAX} characters` }),
  category: z.enum(TICKET_CATEGORIES, { error: `must be one of ${TICKET_CATEGORIES.join(', ')}` }).default('other'),
  priority: z.enum(TICKET_PRIORITIES, { error: `must be one of ${TICKET_PRIORITIES.join(', ')}` }).default('normal'),
});
export type TicketInput = z.output<typeof ticketInput>;

export const messageBody = ticketInput.shape.body;

export const ticketListQuery = z.strictObject({
  page: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1).max(PAGE_SIZE_MAX).default(25),
  status: z.enum(TICKET_STATUSES).optional(),
});
export type TicketListQuery = z.output<typeof ticketListQuery>;

/** The staff inbox's filters; `assignee` is a user id or `none` for unassigned tickets. */
export const inboxQuery = z.strictObject({
  page: ticketListQuery.shape.page,
  pageSize: ticketListQuery.shape.pageSize,
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  breached: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  assignee: z.union([z.uuid(), z.literal('none')]).optional(),
});
export type InboxQuery = z.output<typeof inboxQuery>;

export const attachmentMeta = z.object({
  id: z.uuid(),
  messageId: z.uuid().nullable(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
});
export type AttachmentMeta = z.output<typeof attachmentMeta>;

export const sla = z.object({
  firstResponseDueAt: z.iso.datetime(),
  firstRespondedAt: z.iso.datetime().nullable(),
  firstResponseBreached: z.boolean(),
  resolutionDueAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  resolutionBreached: z.boolean(),
});

export const ticket = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  subject: z.string(),
  body: z.string(),
  category: z.enum(TICKET_CATEGORIES),
  priority: z.enum(TICKET_PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  requesterUserId: z.uuid(),
  assigneeUserId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  sla,
});
export type Ticket = z.output<typeof ticket>;

export const message = z.object({
  id: z.uuid(),
  authorUserId: z.uuid(),
  side: z.enum(['customer', 'staff']),
  /** Always false in answers to tenant users: they never receive internal notes. */
  internal: z.boolean(),
  body: z.string(),
  createdAt: z.iso.datetime(),
});
export type Message = z.output<typeof message>;

export const ticketThread = ticket.extend({ messages: z.array(message), attachments: z.array(attachmentMeta) });
export type TicketThread = z.output<typeof ticketThread>;

export interface Page<T> {
  data: T[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}
