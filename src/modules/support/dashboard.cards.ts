import type { ServiceContext } from '../../kernel/context.ts';
import type { CardContent, DashboardCard } from '../../kernel/module/index.ts';
import type { Ticket, TicketStatus } from './domain/ticket.ts';
import { listInbox } from './staff.service.ts';
import { listTickets } from './ticket.service.ts';

const STATUS_WORDS: Record<TicketStatus, string> = {
  new: 'new',
  open: 'open',
  waiting_on_customer: 'waiting for you',
  waiting_on_platform: 'with the platform team',
  resolved: 'resolved',
  closed: 'closed',
};

/** Still being worked on, by the business or by the platform team. */
const UNRESOLVED: readonly TicketStatus[] = ['new', 'open', 'waiting_on_customer', 'waiting_on_platform'];
/** Waiting for the platform team to act. */
const FOR_STAFF: readonly TicketStatus[] = ['new', 'open', 'waiting_on_platform'];

/** A few tickets of the given statuses and how many there are in all. */
type Listed = Pick<Ticket, 'id' | 'subject' | 'status' | 'updatedAt'>;

async function ticketsIn(statuses: readonly TicketStatus[], list: (status: TicketStatus) => Promise<{ data: Listed[]; pagination: { total: number } }>) {
  const pages = await Promise.all(statuses.map(list));
  const total = pages.reduce((sum, page) => sum + page.pagination.total, 0);
  const tickets = pages.flatMap((page) => page.data).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 5);
  return { total, tickets };
}

async function businessTicketsCard(ctx: ServiceContext): Promise<CardContent> {
  const { total, tickets } = await ticketsIn(UNRESOLVED, (status) => listTickets(ctx, { page: 1, pageSize: 5, status }));
  return {
    ...(total > 0 ? { headline: { value: String(total), caption: total === 1 ? 'ticket open' : 'tickets open' } } : {}),
    items: tickets.map((ticket) => ({ label: ticket.subject, detail: STATUS_WORDS[ticket.status], href: `/support/tickets/${ticket.id}` })),
    empty: { text: 'No open support tickets. Ask the platform team whenever something is unclear.', action: { label: 'New ticket', href: '/support/tickets/new' } },
    link: { label: 'All tickets', href: '/support' },
  };
}

async function inboxCard(ctx: ServiceContext): Promise<CardContent> {
  const { total, tickets } = await ticketsIn(FOR_STAFF, (status) => listInbox(ctx, { page: 1, pageSize: 5, status }));
  return {
    headline: { value: String(total), caption: 'waiting for the platform team' },
    items: tickets.map((ticket) => ({ label: ticket.subject, detail: STATUS_WORDS[ticket.status], href: `/console/support/tickets/${ticket.id}` })),
    link: { label: 'Support inbox', href: '/console/support' },
  };
}

export const SUPPORT_CARDS: readonly DashboardCard[] = [
  { id: 'open-tickets', title: 'Support tickets', area: 'business', permission: 'support.ticket.read', order: 70, load: businessTicketsCard },
  { id: 'support-inbox', title: 'Open support tickets', area: 'platform', permission: 'platform.support.read', order: 40, load: inboxCard },
];
