import { createHash, randomUUID } from 'node:crypto';
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { tenantTable, withTenantTx } from '../../kernel/tenancy/index.ts';
import { checkFiles, type IncomingFile } from './domain/attachment.ts';
import { slaDueTimes } from './domain/sla.ts';
import { acceptsReplies, nextStatusOnReply, REOPEN_WITHIN_DAYS, type Page, type Ticket, type TicketInput, type TicketListQuery, type TicketThread } from './domain/ticket.ts';
import { supportErrors } from './errors.ts';
import { queueNewTicketMail } from './support.notify.ts';
import {
  findAttachment,
  insertAttachments,
  lockTicket,
  ofTicket,
  readThread,
  ticketTarget,
  toTicket,
  withStoredFiles,
  type Download,
  type SupportDeps,
} from './ticket.rows.ts';
import { supportMessage, supportTicket } from './ticket.table.ts';
import { StoredObjectMissingError } from './storage/index.ts';

const DAY = 86_400_000;

/** The acting person: tickets are opened and answered by people, not terminals or jobs. */
export function actingUserId(ctx: ServiceContext): string {
  const { actor } = ctx;
  if (actor.kind === 'user' || actor.kind === 'api') return actor.userId;
  if (actor.kind === 'device' && actor.staffUserId) return actor.staffUserId;
  throw supportErrors.personRequired();
}

/** The business's tickets, most recently active first; internal state (assignee notes) is never part of a ticket. */
export async function listTickets(ctx: ServiceContext, query: TicketListQuery): Promise<Page<Ticket>> {
  const conditions: SQL[] = [eq(supportTicket.tenantId, ctx.tenantId)];
  if (query.status) conditions.push(eq(supportTicket.status, query.status));
  const where = and(...conditions);
  const { rows, total } = await withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select({ ticket: supportTicket, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(supportTicket)
      .where(where)
      .orderBy(desc(supportTicket.updatedAt), desc(supportTicket.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const total = rows[0]?.total ?? (query.page > 1 ? ((await uow.tx.select({ total: count() }).from(supportTicket).where(where))[0]?.total ?? 0) : 0);
    return { rows, total };
  });
  const now = new Date();
  return {
    data: rows.map((row) => toTicket(row.ticket, now)),
    pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) },
  };
}

/** The ticket with its public thread; internal notes and their files are left out by the query. */
export async function getTicketThread(ctx: ServiceContext, id: string): Promise<TicketThread> {
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(supportTicket).where(ofTicket(ctx.tenantId, id)).limit(1);
    if (!row) throw supportErrors.ticketNotFound();
    return { ...toTicket(row), ...(await readThread(uow.tx, ctx.tenantId, id, false)) };
  });
}

/**
 * Opens a ticket: SLA due times from its priority, the opening message's files stored, platform
 * staff emailed — all in one transaction with its audit entry and `support.ticket.created`.
 */
export async function createTicket(ctx: ServiceContext, deps: SupportDeps, input: TicketInput, files: readonly IncomingFile[] = []): Promise<TicketThread> {
  const checked = checkFiles(files, deps.maxAttachmentBytes);
  const requesterUserId = actingUserId(ctx);
  const id = randomUUID();
  return withStoredFiles(deps, ctx.tenantId, id, checked, (stored) =>
    withTenantTx(ctx, async (uow) => {
      const createdAt = new Date();
      const [row] = await uow.tx
        .insert(supportTicket)
        .values({ ...input, id, tenantId: ctx.tenantId, requesterUserId, createdAt, updatedAt: createdAt, ...slaDueTimes(input.priority, createdAt) })
        .returning();
      if (!row) throw new Error('ticket insert returned no row');
      const attachments = await insertAttachments(uow.tx, { tenantId: ctx.tenantId, ticketId: id, messageId: null, internal: false, uploadedByUserId: requesterUserId }, stored);
      const created = toTicket(row, createdAt);
      recordAudit(uow, {
        action: 'support.ticket.created',
        target: ticketTarget(id),
        data: { ticket: { subject: input.subject, category: input.category, priority: input.priority }, attachments: attachments.map(({ id, fileName, sha256 }) => ({ id, fileName, sha256 })) },
      });
      emit(uow, { type: 'support.ticket.created', payload: { ticketId: id, priority: input.priority, category: input.category, attachments: attachments.length } });
      const [tenant] = await uow.tx.select({ name: tenantTable.name }).from(tenantTable).where(eq(tenantTable.id, ctx.tenantId)).limit(1);
      await queueNewTicketMail(uow, { tenantName: tenant?.name ?? 'A business', subject: input.subject, priority: input.priority, ticketId: id });
      return { ...created, messages: [], attachments };
    }),
  );
}

/** A public reply from the business; moves the ticket to waiting_on_platform (a new ticket stays new). */
export async function replyToTicket(ctx: ServiceContext, deps: SupportDeps, id: string, body: string, files: readonly IncomingFile[] = []): Promise<TicketThread> {
  const checked = checkFiles(files, deps.maxAttachmentBytes);
  const authorUserId = actingUserId(ctx);
  return withStoredFiles(deps, ctx.tenantId, id, checked, (stored) =>
    withTenantTx(ctx, async (uow) => {
      const current = await lockTicket(uow.tx, ctx.tenantId, id);
      if (!acceptsReplies(current.status)) throw supportErrors.repliesClosed(current.status);
      const [message] = await uow.tx.insert(supportMessage).values({ tenantId: ctx.tenantId, ticketId: id, authorUserId, side: 'customer', internal: false, body }).returning();
      if (!message) throw new Error('message insert returned no row');
      const attachments = await insertAttachments(uow.tx, { tenantId: ctx.tenantId, ticketId: id, messageId: message.id, internal: false, uploadedByUserId: authorUserId }, stored);
      const status = nextStatusOnReply(current.status, 'customer');
      const [row] = await uow.tx.update(supportTicket).set({ status, updatedAt: sql`now()` }).where(ofTicket(ctx.tenantId, id)).returning();
      if (!row) throw supportErrors.ticketNotFound();
      recordAudit(uow, {
        action: 'support.ticket.replied',
        target: ticketTarget(id),
        data: { messageId: message.id, side: 'customer', status: { before: current.status, after: status }, attachments: attachments.map(({ id, fileName, sha256 }) => ({ id, fileName, sha256 })) },
      });
      emit(uow, { type: 'support.ticket.replied', payload: { ticketId: id, messageId: message.id, side: 'customer', attachments: attachments.length } });
      return { ...toTicket(row), ...(await readThread(uow.tx, ctx.tenantId, id, false)) };
    }),
  );
}

/** The requester's side of the status machine: reopen a resolved ticket (within the window), or close it. */
export function changeTicketAsCustomer(ctx: ServiceContext, id: string, action: 'reopen' | 'close'): Promise<Ticket> {
  return withTenantTx(ctx, async (uow) => {
    const current = await lockTicket(uow.tx, ctx.tenantId, id);
    const now = new Date();
    let set: Partial<typeof supportTicket.$inferInsert>;
    if (action === 'reopen') {
      if (current.status !== 'resolved') throw supportErrors.transitionRefused(current.status, 'open');
      if (current.resolvedAt && now.getTime() - current.resolvedAt.getTime() > REOPEN_WITHIN_DAYS * DAY) throw supportErrors.reopenExpired(REOPEN_WITHIN_DAYS);
      set = { status: 'open', resolvedAt: null };
    } else {
      if (current.status === 'closed') throw supportErrors.transitionRefused('closed', 'closed');
      set = { status: 'closed', closedAt: now, resolvedAt: current.resolvedAt ?? now };
    }
    const [row] = await uow.tx.update(supportTicket).set({ ...set, updatedAt: now }).where(ofTicket(ctx.tenantId, id)).returning();
    if (!row) throw supportErrors.ticketNotFound();
    recordAudit(uow, { action: `support.ticket.${action === 'reopen' ? 'reopened' : 'closed'}`, target: ticketTarget(id), data: { status: { before: current.status, after: row.status } } });
    emit(uow, { type: 'support.ticket.status_changed', payload: { ticketId: id, from: current.status, to: row.status, side: 'customer' } });
    return toTicket(row, now);
  });
}

/**
 * An attachment's bytes for whoever may see it. The row is read in `tenantId`'s transaction
 * (the caller's own tenant, or the ticket's for staff); the bytes are checked against the stored
 * size and checksum so a damaged or swapped file is never handed out.
 */
export async function readAttachmentIn(ctx: ServiceContext, deps: SupportDeps, ticketId: string, attachmentId: string, withInternal: boolean): Promise<Download> {
  const row = await withTenantTx(ctx, (uow) => findAttachment(uow.tx, ctx.tenantId, ticketId, attachmentId, withInternal));
  let data: Buffer;
  try {
    data = await deps.storage.get(row.storageKey);
  } catch (error) {
    if (error instanceof StoredObjectMissingError) throw supportErrors.checksumMismatch();
    throw error;
  }
  if (data.length !== row.sizeBytes || createHash('sha256').update(data).digest('hex') !== row.sha256) throw supportErrors.checksumMismatch();
  return { fileName: row.fileName, contentType: row.contentType, sha256: row.sha256, data };
}

/** A tenant user's download: public files of the business's own tickets only. */
export const readAttachment = (ctx: ServiceContext, deps: SupportDeps, ticketId: string, attachmentId: string): Promise<Download> =>
  readAttachmentIn(ctx, deps, ticketId, attachmentId, false);
