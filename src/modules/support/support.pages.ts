import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { actionRoute, chrome, firstError, formRoute, noticeOf, parseWith, sendPage, withNotice, type FormState } from '../../web/index.ts';
import { inboxQuery, messageBody, ticketInput, ticketListQuery, TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from './domain/ticket.ts';
import { uploadedFiles } from './multipart.ts';
import { InboxPage } from './pages/inbox.page.tsx';
import { StaffThreadPage } from './pages/staff-thread.page.tsx';
import { TicketFormPage, type TicketFormValues } from './pages/ticket-form.page.tsx';
import { TicketListPage } from './pages/ticket-list.page.tsx';
import { TicketThreadPage } from './pages/ticket-thread.page.tsx';
import { STAFF_READ, STAFF_WRITE, TICKET_READ, TICKET_WRITE, uploadBodyLimit } from './support.routes.ts';
import { assignTicket, getStaffThread, listInbox, listSupportStaff, setTicketPriority, setTicketStatus, staffReply } from './staff.service.ts';
import type { SupportDeps } from './ticket.rows.ts';
import { changeTicketAsCustomer, createTicket, getTicketThread, listTickets, replyToTicket } from './ticket.service.ts';

const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

/** Query filters from a GET form: a select left at "Any" sends an empty value, which means no filter. */
const nonEmpty = (query: unknown) => Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([key, value]) => value !== '' && key !== 'notice'));

export function supportPageRoutes(app: AppInstance, deps: SupportDeps): void {
  const maxBytes = deps.maxAttachmentBytes;
  // For bodies read whole (a urlencoded post); a multipart upload is bounded by its parser's limits (multipart.ts).
  const uploadLimit = uploadBodyLimit(maxBytes, 'raw');

  // The business's side.

  app.get('/support', { config: TICKET_READ, schema: hidden }, async (request, reply) => {
    const parsed = ticketListQuery.safeParse(nonEmpty(request.query));
    const query = parsed.success ? parsed.data : ticketListQuery.parse({});
    const page = await listTickets(serviceContext(request), query);
    const canWrite = request.permissions.has(TICKET_WRITE.access.permission);
    return sendPage(reply, TicketListPage({ page, query, notice: noticeOf(request), canWrite, chrome: chrome(request, reply) }));
  });

  formRoute(app, {
    path: '/support/tickets',
    config: TICKET_WRITE,
    bodyLimit: uploadLimit,
    show: { path: '/support/tickets/new', values: (): TicketFormValues => ({ subject: '', body: '', category: 'other', priority: 'normal' }) },
    values: (form): TicketFormValues => ({ subject: form.text('subject'), body: form.text('body'), category: form.text('category'), priority: form.text('priority') }),
    parse: (values) => parseWith(ticketInput, values),
    submit: async (input, request) => {
      const created = await createTicket(serviceContext(request), deps, input, uploadedFiles(request));
      return withNotice(`/support/tickets/${created.id}`, 'Your ticket is open; platform support will answer here and by email.');
    },
    render: (form, request, reply) => TicketFormPage({ ...form, maxBytes, chrome: chrome(request, reply) }),
  });

  /** A ticket's thread with its reply form; a refused button shows above it. */
  const renderThread = async (form: FormState<{ body?: string }>, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const thread = await getTicketThread(serviceContext(request), request.params.id);
    const canWrite = request.permissions.has(TICKET_WRITE.access.permission);
    const values = { body: form.values.body ?? '' };
    return TicketThreadPage({ thread, values, errors: form.errors, formError: form.formError, notice: noticeOf(request), canWrite, maxBytes, chrome: chrome(request, reply) });
  };

  formRoute(app, {
    path: '/support/tickets/:id/messages',
    config: TICKET_WRITE,
    bodyLimit: uploadLimit,
    params: idParams,
    show: { path: '/support/tickets/:id', config: TICKET_READ, values: () => ({ body: '' }) },
    values: (form) => ({ body: form.text('body') }),
    parse: ({ body }) => parseWith(messageBody, body, { rename: { form: 'body' } }),
    submit: async (body, request) => {
      await replyToTicket(serviceContext(request), deps, request.params.id, body, uploadedFiles(request));
      return withNotice(`/support/tickets/${request.params.id}`, 'Reply sent.');
    },
    render: renderThread,
  });

  for (const action of ['reopen', 'close'] as const) {
    actionRoute(app, {
      path: `/support/tickets/:id/${action}`,
      config: TICKET_WRITE,
      params: idParams,
      submit: async (_none, request) => {
        await changeTicketAsCustomer(serviceContext(request), request.params.id, action);
        return withNotice(`/support/tickets/${request.params.id}`, action === 'reopen' ? 'Ticket reopened.' : 'Ticket closed.');
      },
      render: (form, request, reply) => renderThread({ values: {}, errors: {}, formError: firstError(form) }, request, reply),
    });
  }

  // Platform staff's console (answers 404 outside the platform tenant: see assertPlatformStaff).

  app.get('/console/support', { config: STAFF_READ, schema: hidden }, async (request, reply) => {
    const ctx = serviceContext(request);
    const parsed = inboxQuery.safeParse(nonEmpty(request.query));
    const query = parsed.success ? parsed.data : inboxQuery.parse({});
    const page = await listInbox(ctx, query);
    const staff = await listSupportStaff(ctx);
    return sendPage(reply, InboxPage({ page, query, staff, chrome: chrome(request, reply) }));
  });

  /** A ticket's thread for staff with its reply form; a refused change (assignee, priority, status) shows above it. */
  const renderStaffThread = async (form: FormState<{ body?: string }>, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const thread = await getStaffThread(serviceContext(request), request.params.id);
    const canWrite = request.permissions.has(STAFF_WRITE.access.permission);
    const values = { body: form.values.body ?? '' };
    return StaffThreadPage({ thread, values, errors: form.errors, formError: form.formError, notice: noticeOf(request), canWrite, maxBytes, chrome: chrome(request, reply) });
  };
  const staffChange = (form: FormState<object>) => ({ values: {}, errors: {}, formError: firstError(form) });
  const threadPath = (request: FastifyRequest<{ Params: { id: string } }>) => `/console/support/tickets/${request.params.id}`;

  formRoute(app, {
    path: '/console/support/tickets/:id/messages',
    config: STAFF_WRITE,
    bodyLimit: uploadLimit,
    params: idParams,
    show: { path: '/console/support/tickets/:id', config: STAFF_READ, values: () => ({ body: '', internal: false }) },
    values: (form) => ({ body: form.text('body'), internal: form.text('internal') === 'true' }),
    parse: ({ body, internal }) => {
      const parsed = parseWith(messageBody, body, { rename: { form: 'body' } });
      return 'input' in parsed ? { input: { body: parsed.input, internal } } : parsed;
    },
    submit: async (message, request) => {
      await staffReply(serviceContext(request), deps, request.params.id, message, uploadedFiles(request));
      return withNotice(threadPath(request), message.internal ? 'Note added.' : 'Reply sent.');
    },
    render: renderStaffThread,
  });

  /** A staff choice (assignee, priority, status): one field, checked against what the page offers. */
  const staffChoice = <Choice>(action: string, field: string, check: (value: string) => { choice: Choice } | undefined, change: (request: FastifyRequest<{ Params: { id: string } }>, choice: Choice) => Promise<string>) =>
    formRoute(app, {
      path: `/console/support/tickets/:id/${action}`,
      config: STAFF_WRITE,
      params: idParams,
      values: (form) => ({ value: form.text(field) }),
      parse: ({ value }) => {
        const checked = check(value);
        return checked ? { input: checked.choice } : { errors: {}, formError: 'Choose one of the offered values.' };
      },
      submit: async (choice, request) => withNotice(threadPath(request), await change(request, choice)),
      render: (form, request, reply) => renderStaffThread(staffChange(form), request, reply),
    });

  const assignee = z.union([z.literal(''), z.uuid()]);
  staffChoice(
    'assign',
    'assignee',
    (value) => (assignee.safeParse(value).success ? { choice: value === '' ? null : value } : undefined),
    async (request, staffId) => {
      await assignTicket(serviceContext(request), request.params.id, staffId);
      return staffId === null ? 'Ticket unassigned.' : 'Ticket assigned.';
    },
  );
  const oneOf = <Choice extends string>(choices: readonly Choice[]) => (value: string) => (choices.includes(value as Choice) ? { choice: value as Choice } : undefined);
  staffChoice('priority', 'priority', oneOf<TicketPriority>(TICKET_PRIORITIES), async (request, priority) => {
    await setTicketPriority(serviceContext(request), request.params.id, priority);
    return 'Priority changed; SLA due times follow it.';
  });
  staffChoice('status', 'status', oneOf<TicketStatus>(TICKET_STATUSES), async (request, status) => {
    await setTicketStatus(serviceContext(request), request.params.id, status);
    return 'Status changed.';
  });
}
