import { inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { Tx } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { PLATFORM_TENANT_ID, scopeTransactionTo, tenantTable, withPlatformTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { checkFiles, type IncomingFile } from './domain/attachment.ts';
import { slaDueTimes } from './domain/sla.ts';
import { canStaffMove, acceptsReplies, nextStatusOnReply, type InboxQuery, type Page, type Ticket, type TicketPriority, type TicketStatus, type TicketThread } from './domain/ticket.ts';
import { supportErrors } from './errors.ts';
import { listStaffMembers, queueStaffReplyMail } from './support.notify.ts';
import { actingUserId, readAttachmentIn } from './ticket.service.ts';
import { inTenantScope, insertAttachments, lockTicket, ofTicket, readThread, ticketTarget, toTicket, withStoredFiles, type Download, type SupportDeps, type TicketRow } from './ticket.rows.ts';
import { supportMessage, supportTicket } from './ticket.table.ts';

/**
 * Staff use cases run for platform staff working in the platform tenant only. Their permissions
 * (`platform.support.*`) exist only there already (no other tenant's role can hold them and the
 * guard refuses them elsewhere); this check in every staff use case is defence in depth, and
 * elsewhere the console answers as if it did not exist.
 */
export function assertPlatformStaff(ctx: Pick<ServiceContext, 'tenantId'>): void {
  if (ctx.tenantId !== PLATFORM_TENANT_ID) throw supportErrors.consoleNotFound();
}

export interface InboxItem extends Omit<Ticket, 'body'> {
  tenantName: string;
}

export interface StaffThread extends TicketThread {
  tenantName: string;
  /** Who may be assigned, for the assign form. */
  staff: { userId: string; name: string; email: string }[];
}

type InboxRow = {
  tenant_id: string;
  id: string;
  subject: string;
  category: string;
  priority: string;
  status: string;
  requester_user_id: string;
  assignee_user_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  first_response_due_at: Date | string;
  first_responded_at: Date | string | null;
  resolution_due_at: Date | string;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
  total: number;
};

/** node-postgres hands timestamptz over as Date; a string is accepted all the same. */
const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/** Tenant names by id (the tenant registry has no tenant_id column, so no tenant scope hides it). */
async function tenantNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: tenantTable.id, name: tenantTable.name }).from(tenantTable).where(inArray(tenantTable.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Platform staff's unit of work in the platform tenant, where the cross-tenant support functions answer. */
function withStaffTx<T>(ctx: ServiceContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  assertPlatformStaff(ctx);
  return withPlatformTx(ctx, work);
}

/** The inbox across every tenant, through the support_staff_inbox function (ticket summaries only). */
export async function listInbox(ctx: ServiceContext, query: InboxQuery): Promise<Page<InboxItem>> {
  return withStaffTx(ctx, async (uow) => {
    const { rows } = await uow.tx.execute<InboxRow>(sql`
      SELECT * FROM support_staff_inbox(${query.status ?? null}, ${query.priority ?? null}, ${query.breached ?? null}::boolean,
        ${query.assignee ?? null}, ${query.pageSize}::integer, ${(query.page - 1) * query.pageSize}::integer)`);
    const names = await tenantNames(uow.tx, rows.map((row) => row.tenant_id));
    const now = new Date();
    const data = rows.map((row): InboxItem => {
      const { body: _body, ...ticket } = toTicket(
        {
          tenantId: row.tenant_id,
          id: row.id,
          subject: row.subject,
          body: '',
          category: row.category as TicketRow['category'],
          priority: row.priority as TicketRow['priority'],
          status: row.status as TicketRow['status'],
          requesterUserId: row.requester_user_id,
          assigneeUserId: row.assignee_user_id,
          createdAt: new Date(row.created_at),
          updatedAt: new Date(row.updated_at),
          firstResponseDueAt: new Date(row.first_response_due_at),
          firstRespondedAt: date(row.first_responded_at),
          resolutionDueAt: new Date(row.resolution_due_at),
          resolvedAt: date(row.resolved_at),
          closedAt: date(row.closed_at),
          firstResponseBreachedAt: null,
          resolutionBreachedAt: null,
        },
        now,
      );
      return { ...ticket, tenantName: names.get(row.tenant_id) ?? row.tenant_id };
    });
    const total = Number(rows[0]?.total ?? 0);
    return { data, pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) } };
  });
}

/**
 * One staff use case on one ticket, in one transaction: scoped to the platform tenant to learn
 * the ticket's tenant (support_ticket_tenant), then to that tenant for the work itself, so the
 * ordinary row-level policy guards everything it reads and writes.
 */
function withTicketTx<T>(ctx: ServiceContext, ticketId: string, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  return withStaffTx(ctx, async (uow) => {
    const { rows } = await uow.tx.execute<{ tenant_id: string | null }>(sql`SELECT support_ticket_tenant(${ticketId}::uuid) AS tenant_id`);
    const tenantId = rows[0]?.tenant_id;
    if (!tenantId) throw supportErrors.ticketNotFound();
    return work(await scopeTransactionTo(uow, tenantId));
  });
}

/** The whole thread, internal notes included, with the staff who may be assigned. */
export function getStaffThread(ctx: ServiceContext, ticketId: string): Promise<StaffThread> {
  return withTicketTx(ctx, ticketId, async (uow) => {
    const [row] = await uow.tx.select().from(supportTicket).where(ofTicket(uow.tenantId, ticketId)).limit(1);
    if (!row) throw supportErrors.ticketNotFound();
    const thread = await readThread(uow.tx, uow.tenantId, ticketId, true);
    const names = await tenantNames(uow.tx, [uow.tenantId]);
    const staff = await inTenantScope(uow, PLATFORM_TENANT_ID, (platform) => listStaffMembers(platform.tx));
    return { ...toTicket(row), ...thread, tenantName: names.get(uow.tenantId) ?? '', staff };
  });
}

/**
 * A staff reply. Public: the requester is emailed, the first response is stamped (SLA) and the
 * ticket waits on the customer. Internal: a note only staff ever see; the ticket's status and SLA
 * are untouched, and its audit entry and event are the platform tenant's, so nothing in the
 * business's own audit log or event stream hints at it.
 */
export async function staffReply(ctx: ServiceContext, deps: SupportDeps, ticketId: string, input: { body: string; internal: boolean }, files: readonly IncomingFile[] = []): Promise<Ticket> {
  assertPlatformStaff(ctx);
  const checked = checkFiles(files, deps.maxAttachmentBytes);
  const authorUserId = actingUserId(ctx);
  return withTicketTx(ctx, ticketId, async (uow) => {
    const tenantId = uow.tenantId;
    const current = await lockTicket(uow.tx, tenantId, ticketId);
    if (!input.internal && !acceptsReplies(current.status)) throw supportErrors.repliesClosed(current.status);
    // Files are keyed under the ticket's tenant, known only now; a failure below removes them again.
    return withStoredFiles(deps, tenantId, ticketId, checked, async (stored) => {
      const [message] = await uow.tx.insert(supportMessage).values({ tenantId, ticketId, authorUserId, side: 'staff', internal: input.internal, body: input.body }).returning();
      if (!message) throw new Error('message insert returned no row');
      const attachments = await insertAttachments(uow.tx, { tenantId, ticketId, messageId: message.id, internal: input.internal, uploadedByUserId: authorUserId }, stored);
      const files = attachments.map(({ id, fileName, sha256 }) => ({ id, fileName, sha256 }));
      if (input.internal) {
        const [row] = await uow.tx.update(supportTicket).set({ updatedAt: sql`now()` }).where(ofTicket(tenantId, ticketId)).returning();
        await inTenantScope(uow, PLATFORM_TENANT_ID, async (platform) => {
          recordAudit(platform, { action: 'support.ticket.note_added', target: ticketTarget(ticketId), data: { tenantId, messageId: message.id, attachments: files } });
          emit(platform, { type: 'support.ticket.note_added', payload: { tenantId, ticketId, messageId: message.id } });
        });
        return toTicket(row ?? current);
      }
      const status = nextStatusOnReply(current.status, 'staff');
      const [row] = await uow.tx
        .update(supportTicket)
        .set({ status, firstRespondedAt: current.firstRespondedAt ?? sql`now()`, updatedAt: sql`now()` })
        .where(ofTicket(tenantId, ticketId))
        .returning();
      if (!row) throw supportErrors.ticketNotFound();
      recordAudit(uow, {
        action: 'support.ticket.replied',
        target: ticketTarget(ticketId),
        data: { messageId: message.id, side: 'staff', status: { before: current.status, after: status }, attachments: files },
      });
      emit(uow, { type: 'support.ticket.replied', payload: { ticketId, messageId: message.id, side: 'staff', attachments: attachments.length } });
      await queueStaffReplyMail(uow, row.requesterUserId, { subject: row.subject, reply: input.body, ticketId });
      return toTicket(row);
    });
  });
}

/** Assigns the ticket to a platform staff member (or to nobody). */
export function assignTicket(ctx: ServiceContext, ticketId: string, assigneeUserId: string | null): Promise<Ticket> {
  return withTicketTx(ctx, ticketId, async (uow) => {
    const current = await lockTicket(uow.tx, uow.tenantId, ticketId);
    if (assigneeUserId !== null) {
      const staff = await inTenantScope(uow, PLATFORM_TENANT_ID, (platform) => listStaffMembers(platform.tx));
      if (!staff.some((member) => member.userId === assigneeUserId)) throw supportErrors.notStaff();
    }
    if (current.assigneeUserId === assigneeUserId) return toTicket(current);
    const [row] = await uow.tx.update(supportTicket).set({ assigneeUserId, updatedAt: sql`now()` }).where(ofTicket(uow.tenantId, ticketId)).returning();
    if (!row) throw supportErrors.ticketNotFound();
    recordAudit(uow, { action: 'support.ticket.assigned', target: ticketTarget(ticketId), data: { changes: { assigneeUserId: { before: current.assigneeUserId, after: assigneeUserId } } } });
    emit(uow, { type: 'support.ticket.assigned', payload: { ticketId, assigneeUserId } });
    return toTicket(row);
  });
}

/** Staff move a ticket along the status machine; any other move is a CONFLICT. */
export function setTicketStatus(ctx: ServiceContext, ticketId: string, to: TicketStatus): Promise<Ticket> {
  return withTicketTx(ctx, ticketId, async (uow) => {
    const current = await lockTicket(uow.tx, uow.tenantId, ticketId);
    if (!canStaffMove(current.status, to)) throw supportErrors.transitionRefused(current.status, to);
    const now = new Date();
    const set: Partial<typeof supportTicket.$inferInsert> = { status: to, updatedAt: now };
    if (to === 'resolved') set.resolvedAt = now;
    if (current.status === 'resolved' && to === 'open') set.resolvedAt = null;
    if (to === 'closed') Object.assign(set, { closedAt: now, resolvedAt: current.resolvedAt ?? now });
    const [row] = await uow.tx.update(supportTicket).set(set).where(ofTicket(uow.tenantId, ticketId)).returning();
    if (!row) throw supportErrors.ticketNotFound();
    recordAudit(uow, { action: 'support.ticket.status_changed', target: ticketTarget(ticketId), data: { status: { before: current.status, after: to } } });
    emit(uow, { type: 'support.ticket.status_changed', payload: { ticketId, from: current.status, to, side: 'staff' } });
    return toTicket(row, now);
  });
}

/**
 * Staff re-prioritise a ticket: its SLA due times are computed again from its creation under the
 * new priority. A breach already marked stays marked (and its event stays sent).
 */
export function setTicketPriority(ctx: ServiceContext, ticketId: string, priority: TicketPriority): Promise<Ticket> {
  return withTicketTx(ctx, ticketId, async (uow) => {
    const current = await lockTicket(uow.tx, uow.tenantId, ticketId);
    if (current.priority === priority) return toTicket(current);
    const due = slaDueTimes(priority, current.createdAt);
    const [row] = await uow.tx.update(supportTicket).set({ priority, ...due, updatedAt: sql`now()` }).where(ofTicket(uow.tenantId, ticketId)).returning();
    if (!row) throw supportErrors.ticketNotFound();
    recordAudit(uow, {
      action: 'support.ticket.priority_changed',
      target: ticketTarget(ticketId),
      data: {
        changes: {
          priority: { before: current.priority, after: priority },
          firstResponseDueAt: { before: current.firstResponseDueAt.toISOString(), after: due.firstResponseDueAt.toISOString() },
          resolutionDueAt: { before: current.resolutionDueAt.toISOString(), after: due.resolutionDueAt.toISOString() },
        },
      },
    });
    emit(uow, { type: 'support.ticket.priority_changed', payload: { ticketId, from: current.priority, to: priority } });
    return toTicket(row);
  });
}

/** Any attachment of any ticket, internal ones included, for platform staff. */
export async function readStaffAttachment(ctx: ServiceContext, deps: SupportDeps, ticketId: string, attachmentId: string): Promise<Download> {
  const tenantId = await withTicketTx(ctx, ticketId, async (uow) => uow.tenantId);
  return readAttachmentIn({ ...ctx, tenantId }, deps, ticketId, attachmentId, true);
}

/** Platform staff who may be assigned tickets (for the inbox's assignee filter). */
export function listSupportStaff(ctx: ServiceContext): Promise<{ userId: string; name: string; email: string }[]> {
  return withStaffTx(ctx, (uow) => listStaffMembers(uow.tx));
}
