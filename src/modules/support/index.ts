/** Support's public surface: the only file other modules and editions import. */
export { supportEvents } from './events.ts';
export { supportModule } from './manifest.ts';
export { createTicket, getTicketThread, listTickets, replyToTicket } from './ticket.service.ts';
export { SLA_POLICY, slaDueTimes } from './domain/sla.ts';
export type { Ticket, TicketInput, TicketThread, TicketPriority, TicketStatus } from './domain/ticket.ts';
