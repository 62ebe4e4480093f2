import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { contentDisposition, MAX_FILES_PER_MESSAGE, type IncomingFile } from './domain/attachment.ts';
import { inboxQuery, messageBody, ticket, ticketInput, ticketListQuery, ticketThread, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES } from './domain/ticket.ts';
import { listInbox, readStaffAttachment } from './staff.service.ts';
import type { Download, SupportDeps } from './ticket.rows.ts';
import { changeTicketAsCustomer, createTicket, getTicketThread, listTickets, readAttachment, replyToTicket } from './ticket.service.ts';

export const TICKET_READ = { access: { permission: 'support.ticket.read' } } as const;
export const TICKET_WRITE = { access: { permission: 'support.ticket.write' } } as const;
export const STAFF_READ = { access: { permission: 'platform.support.read' } } as const;
export const STAFF_WRITE = { access: { permission: 'platform.support.write' } } as const;

const tags = ['support'];
const idParams = z.strictObject({ id: z.uuid({ error: 'must be a ticket id (UUID)' }) });
const attachmentParams = idParams.extend({ attachmentId: z.uuid({ error: 'must be an attachment id (UUID)' }) });
const pagination = z.object({ page: z.number(), pageSize: z.number(), total: z.number(), totalPages: z.number() });

/** Files in a JSON body travel as base64; the checks (type, size, name) are the same as for form uploads. */
const jsonFiles = z
  .array(z.strictObject({ fileName: z.string().min(1).max(1000), contentType: z.string().min(1).max(200), contentBase64: z.base64({ error: 'must be base64' }) }))
  .max(MAX_FILES_PER_MESSAGE, { error: `at most ${MAX_FILES_PER_MESSAGE} files` })
  .default([]);
const toIncoming = (files: z.output<typeof jsonFiles>): IncomingFile[] =>
  files.map((file) => ({ fileName: file.fileName, contentType: file.contentType, data: Buffer.from(file.contentBase64, 'base64') }));

/** Room for every allowed file at the largest size: raw (multipart) or base64 (JSON, 4/3 larger), plus the text. */
export const uploadBodyLimit = (maxBytes: number, encoding: 'raw' | 'base64') =>
  Math.ceil(maxBytes * MAX_FILES_PER_MESSAGE * (encoding === 'base64' ? 4 / 3 : 1)) + 256 * 1024;

/** Sends a checked attachment as a download: never rendered inline, never sniffed into something runnable. */
export function sendDownload(reply: FastifyReply, file: Download): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .header('x-checksum-sha256', file.sha256)
    .send(file.data);
}

export function supportApiRoutes(app: AppInstance, deps: SupportDeps): void {
  app.get(
    '/v1/support/tickets',
    {
      config: TICKET_READ,
      schema: { tags, summary: "List the business's support tickets, most recently active first", querystring: ticketListQuery, response: { 200: z.object({ data: z.array(ticket), pagination }) } },
    },
    (request) => listTickets(serviceContext(request), request.query),
  );

  app.post(
    '/v1/support/tickets',
    {
      config: TICKET_WRITE,
      bodyLimit: uploadBodyLimit(deps.maxAttachmentBytes, 'base64'),
      schema: {
        tags,
        summary: `Open a ticket (category: ${TICKET_CATEGORIES.join(', ')}; priority: ${TICKET_PRIORITIES.join(', ')}), optionally with files`,
        body: ticketInput.extend({ attachments: jsonFiles }),
        response: { 201: z.object({ data: ticketThread }) },
      },
    },
    async (request, reply) => {
      const { attachments, ...input } = request.body;
      return reply.code(201).send({ data: await createTicket(serviceContext(request), deps, input, toIncoming(attachments)) });
    },
  );

  app.get(
    '/v1/support/tickets/:id',
    { config: TICKET_READ, schema: { tags, summary: 'A ticket and its public thread', params: idParams, response: { 200: z.object({ data: ticketThread }) } } },
    async (request) => ({ data: await getTicketThread(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/support/tickets/:id/messages',
    {
      config: TICKET_WRITE,
      bodyLimit: uploadBodyLimit(deps.maxAttachmentBytes, 'base64'),
      schema: {
        tags,
        summary: 'Reply to a ticket, optionally with files',
        params: idParams,
        body: z.strictObject({ body: messageBody, attachments: jsonFiles }),
        response: { 201: z.object({ data: ticketThread }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ data: await replyToTicket(serviceContext(request), deps, request.params.id, request.body.body, toIncoming(request.body.attachments)) }),
  );

  for (const action of ['reopen', 'close'] as const) {
    app.post(
      `/v1/support/tickets/:id/${action}`,
      {
        config: TICKET_WRITE,
        schema: {
          tags,
          summary: action === 'reopen' ? 'Reopen a resolved ticket (within 7 days of its resolution)' : 'Close a ticket',
          params: idParams,
          response: { 200: z.object({ data: ticket }) },
        },
      },
      async (request) => ({ data: await changeTicketAsCustomer(serviceContext(request), request.params.id, action) }),
    );
  }

  app.get(
    '/v1/support/tickets/:id/attachments/:attachmentId',
    { config: TICKET_READ, schema: { tags, summary: "Download a file of one of the business's tickets", params: attachmentParams } },
    async (request, reply) => sendDownload(reply, await readAttachment(serviceContext(request), deps, request.params.id, request.params.attachmentId)),
  );

  app.get(
    '/v1/support/inbox',
    {
      config: STAFF_READ,
      schema: {
        tags,
        summary: `Platform staff: tickets of every business (filters: status ${TICKET_STATUSES.join('/')}, priority, breached, assignee)`,
        querystring: inboxQuery,
        response: { 200: z.object({ data: z.array(ticket.omit({ body: true }).extend({ tenantName: z.string() })), pagination }) },
      },
    },
    (request) => listInbox(serviceContext(request), request.query),
  );

  app.get(
    '/console/support/tickets/:id/attachments/:attachmentId',
    { config: STAFF_READ, schema: { hide: true, params: attachmentParams } },
    async (request, reply) => sendDownload(reply, await readStaffAttachment(serviceContext(request), deps, request.params.id, request.params.attachmentId)),
  );
}
