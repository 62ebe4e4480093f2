import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
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
import { supportErrors } from './errors.ts';
import { changeTicketAsCustomer, createTicket, getTicketThread, listTickets, replyToTicket } from './ticket.service.ts';

const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

/** A notice carried over a redirect (?notice=…), cut short so a crafted link cannot fill the page. */
const noticeOf = (request: FastifyRequest) => {
  const { notice } = request.query as Record<string, unknown>;
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
};
const withNotice = (path: string, text: string) => `${path}?notice=${encodeURIComponent(text)}`;

/** Zod issues keyed by form field, first message each. */
function issuesByField(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

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

  const sendNewForm = (request: FastifyRequest, reply: FastifyReply, values: TicketFormValues, errors: FieldErrors, formError?: string, status = 200) =>
    sendPage(reply, TicketFormPage({ values, errors, formError, maxBytes, chrome: chrome(request, reply) }), status);

  app.get('/support/tickets/new', { config: TICKET_WRITE, schema: hidden }, async (request, reply) =>
    sendNewForm(request, reply, { subject: '', body: '', category: 'other', priority: 'normal' }, {}),
  );

  app.post('/support/tickets', { config: TICKET_WRITE, bodyLimit: uploadLimit, schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: TicketFormValues = { subject: formText(fields.subject), body: formText(fields.body), category: formText(fields.category), priority: formText(fields.priority) };
    const parsed = ticketInput.safeParse(values);
    if (!parsed.success) return sendNewForm(request, reply, values, issuesByField(parsed.error), undefined, 422);
    try {
      const created = await createTicket(serviceContext(request), deps, parsed.data, uploadedFiles(request));
      return reply.redirect(withNotice(`/support/tickets/${created.id}`, 'Your ticket is open; platform support will answer here and by email.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendNewForm(request, reply, values, rejection.errors, rejection.formError, 422);
    }
  });

  const sendThread = async (request: FastifyRequest, reply: FastifyReply, id: string, values: { body: string }, errors: FieldErrors, formError?: string, status = 200) => {
    const thread = await getTicketThread(serviceContext(request), id);
    const canWrite = request.permissions.has(TICKET_WRITE.access.permission);
    return sendPage(reply, TicketThreadPage({ thread, values, errors, formError, notice: noticeOf(request), canWrite, maxBytes, chrome: chrome(request, reply) }), status);
  };

  app.get('/support/tickets/:id', { config: TICKET_READ, schema: { ...hidden, params: idParams } }, async (request, reply) =>
    sendThread(request, reply, request.params.id, { body: '' }, {}),
  );

  app.post('/support/tickets/:id/messages', { config: TICKET_WRITE, bodyLimit: uploadLimit, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const body = formText(formFields(request.body).body);
    const parsed = messageBody.safeParse(body);
    if (!parsed.success) return sendThread(request, reply, request.params.id, { body }, { body: parsed.error.issues[0]?.message }, undefined, 422);
    try {
      await replyToTicket(serviceContext(request), deps, request.params.id, parsed.data, uploadedFiles(request));
      return reply.redirect(withNotice(`/support/tickets/${request.params.id}`, 'Reply sent.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendThread(request, reply, request.params.id, { body }, rejection.errors, rejection.formError, 422);
    }
  });

  for (const action of ['reopen', 'close'] as const) {
    app.post(`/support/tickets/:id/${action}`, { config: TICKET_WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      try {
        await changeTicketAsCustomer(serviceContext(request), request.params.id, action);
        return reply.redirect(withNotice(`/support/tickets/${request.params.id}`, action === 'reopen' ? 'Ticket reopened.' : 'Ticket closed.'), 303);
      } catch (error) {
        const rejection = formRejection(error);
        return sendThread(request, reply, request.params.id, { body: '' }, {}, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
      }
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

  const sendStaffThread = async (request: FastifyRequest, reply: FastifyReply, id: string, values: { body: string }, errors: FieldErrors, formError?: string, status = 200) => {
    const thread = await getStaffThread(serviceContext(request), id);
    const canWrite = request.permissions.has(STAFF_WRITE.access.permission);
    return sendPage(reply, StaffThreadPage({ thread, values, errors, formError, notice: noticeOf(request), canWrite, maxBytes, chrome: chrome(request, reply) }), status);
  };

  app.get('/console/support/tickets/:id', { config: STAFF_READ, schema: { ...hidden, params: idParams } }, async (request, reply) =>
    sendStaffThread(request, reply, request.params.id, { body: '' }, {}),
  );

  app.post('/console/support/tickets/:id/messages', { config: STAFF_WRITE, bodyLimit: uploadLimit, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const fields = formFields(request.body);
    const body = formText(fields.body);
    const internal = formText(fields.internal) === 'true';
    const parsed = messageBody.safeParse(body);
    if (!parsed.success) return sendStaffThread(request, reply, request.params.id, { body }, { body: parsed.error.issues[0]?.message }, undefined, 422);
    try {
      await staffReply(serviceContext(request), deps, request.params.id, { body: parsed.data, internal }, uploadedFiles(request));
      return reply.redirect(withNotice(`/console/support/tickets/${request.params.id}`, internal ? 'Note added.' : 'Reply sent.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendStaffThread(request, reply, request.params.id, { body }, rejection.errors, rejection.formError, 422);
    }
  });

  app.post('/console/support/tickets/:id/assign', { config: STAFF_WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const assignee = formText(formFields(request.body).assignee);
    const parsed = z.union([z.literal(''), z.uuid()]).safeParse(assignee);
    try {
      if (!parsed.success) throw supportErrors.badChoice('assignee');
      await assignTicket(serviceContext(request), request.params.id, parsed.data === '' ? null : parsed.data);
      return reply.redirect(withNotice(`/console/support/tickets/${request.params.id}`, parsed.data === '' ? 'Ticket unassigned.' : 'Ticket assigned.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendStaffThread(request, reply, request.params.id, { body: '' }, {}, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
    }
  });

  app.post('/console/support/tickets/:id/priority', { config: STAFF_WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const priority = formText(formFields(request.body).priority);
    try {
      if (!(TICKET_PRIORITIES as readonly string[]).includes(priority)) throw supportErrors.badChoice('priority');
      await setTicketPriority(serviceContext(request), request.params.id, priority as TicketPriority);
      return reply.redirect(withNotice(`/console/support/tickets/${request.params.id}`, 'Priority changed; SLA due times follow it.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendStaffThread(request, reply, request.params.id, { body: '' }, {}, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
    }
  });

  app.post('/console/support/tickets/:id/status', { config: STAFF_WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const status = formText(formFields(request.body).status);
    try {
      if (!(TICKET_STATUSES as readonly string[]).includes(status)) throw supportErrors.badChoice('status');
      await setTicketStatus(serviceContext(request), request.params.id, status as TicketStatus);
      return reply.redirect(withNotice(`/console/support/tickets/${request.params.id}`, 'Status changed.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendStaffThread(request, reply, request.params.id, { body: '' }, {}, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
    }
  });
}
