import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/index.ts';
import { isBreached } from './domain/sla.ts';
import type { AttachmentMeta, Message, Ticket } from './domain/ticket.ts';
import type { CheckedFile } from './domain/attachment.ts';
import { supportErrors } from './errors.ts';
import { storageKeyOf, type AttachmentStorage } from './storage/index.ts';
import { supportAttachment, supportMessage, supportTicket } from './ticket.table.ts';
import { scopeTransactionTo, type UnitOfWork } from '../../kernel/tenancy/index.ts';

/** What the support use cases need besides the context: where files go and how large they may be. */
export interface SupportDeps {
  storage: AttachmentStorage;
  maxAttachmentBytes: number;
}

export type TicketRow = typeof supportTicket.$inferSelect;
type MessageRow = typeof supportMessage.$inferSelect;
type AttachmentRow = typeof supportAttachment.$inferSelect;

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function toTicket(row: TicketRow, now = new Date()): Ticket {
  return {
    id: row.id,
    tenantId: row.tenantId,
    subject: row.subject,
    body: row.body,
    category: row.category,
    priority: row.priority,
    status: row.status,
    requesterUserId: row.requesterUserId,
    assigneeUserId: row.assigneeUserId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: iso(row.closedAt),
    sla: {
      firstResponseDueAt: row.firstResponseDueAt.toISOString(),
      firstRespondedAt: iso(row.firstRespondedAt),
      // A breach the schedule marked stays a breach; otherwise it is computed now.
      firstResponseBreached: row.firstResponseBreachedAt !== null || isBreached(row.firstResponseDueAt, row.firstRespondedAt, now),
      resolutionDueAt: row.resolutionDueAt.toISOString(),
      resolvedAt: iso(row.resolvedAt),
      resolutionBreached: row.resolutionBreachedAt !== null || isBreached(row.resolutionDueAt, row.resolvedAt, now),
    },
  };
}

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  authorUserId: row.authorUserId,
  side: row.side,
  internal: row.internal,
  body: row.body,
  createdAt: row.createdAt.toISOString(),
});

export const toAttachmentMeta = (row: AttachmentRow): AttachmentMeta => ({
  id: row.id,
  messageId: row.messageId,
  fileName: row.fileName,
  contentType: row.contentType,
  sizeBytes: row.sizeBytes,
  sha256: row.sha256,
  createdAt: row.createdAt.toISOString(),
});

export const ticketTarget = (id: string) => ({ type: 'support.ticket', id });

export const ofTicket = (tenantId: string, id: string) => and(eq(supportTicket.tenantId, tenantId), eq(supportTicket.id, id));

/** Locks the ticket so concurrent replies and status changes apply one after the other. */
export async function lockTicket(tx: Tx, tenantId: string, id: string): Promise<TicketRow> {
  const [row] = await tx.select().from(supportTicket).where(ofTicket(tenantId, id)).for('update').limit(1);
  if (!row) throw supportErrors.ticketNotFound();
  return row;
}

/**
 * The thread of a ticket in the current tenant transaction. `withInternal` is true only for
 * platform staff: otherwise internal notes and their files are filtered out in the query itself,
 * so no later step can leak them.
 */
export async function readThread(tx: Tx, tenantId: string, ticketId: string, withInternal: boolean): Promise<{ messages: Message[]; attachments: AttachmentMeta[] }> {
  const visibleMessages = withInternal ? undefined : eq(supportMessage.internal, false);
  const visibleFiles = withInternal ? undefined : eq(supportAttachment.internal, false);
  const messages = await tx
    .select()
    .from(supportMessage)
    .where(and(eq(supportMessage.tenantId, tenantId), eq(supportMessage.ticketId, ticketId), visibleMessages))
    .orderBy(asc(supportMessage.createdAt), asc(supportMessage.id));
  const attachments = await tx
    .select()
    .from(supportAttachment)
    .where(and(eq(supportAttachment.tenantId, tenantId), eq(supportAttachment.ticketId, ticketId), visibleFiles))
    .orderBy(asc(supportAttachment.createdAt), asc(supportAttachment.id));
  return { messages: messages.map(toMessage), attachments: attachments.map(toAttachmentMeta) };
}

/** Files written to storage ahead of the transaction that records them. */
export interface StoredFile extends CheckedFile {
  id: string;
  storageKey: string;
}

/**
 * Stores the files, then runs the use case's transaction; if that fails the files are removed
 * again (the compensation of a step that leaves the database), so no stored file lacks its row.
 */
export async function withStoredFiles<T>(deps: SupportDeps, tenantId: string, ticketId: string, files: readonly CheckedFile[], work: (stored: StoredFile[]) => Promise<T>): Promise<T> {
  const stored: StoredFile[] = [];
  try {
    for (const file of files) {
      const id = randomUUID();
      const storageKey = storageKeyOf(tenantId, ticketId, id);
      await deps.storage.put(storageKey, file.data, file.contentType);
      stored.push({ ...file, id, storageKey });
    }
    return await work(stored);
  } catch (error) {
    await Promise.allSettled(stored.map((file) => deps.storage.delete(file.storageKey)));
    throw error;
  }
}

/** Rows for files stored by withStoredFiles, in the use case's transaction. */
export async function insertAttachments(
  tx: Tx,
  where: { tenantId: string; ticketId: string; messageId: string | null; internal: boolean; uploadedByUserId: string },
  stored: readonly StoredFile[],
): Promise<AttachmentMeta[]> {
  if (stored.length === 0) return [];
  const rows = await tx
    .insert(supportAttachment)
    .values(
      stored.map((file) => ({
        ...where,
        id: file.id,
        fileName: file.fileName,
        contentType: file.contentType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        storageKey: file.storageKey,
      })),
    )
    .returning();
  return rows.map(toAttachmentMeta);
}

/** One attachment's row, visible to this reader (internal ones only to staff), or NOT_FOUND. */
export async function findAttachment(tx: Tx, tenantId: string, ticketId: string, attachmentId: string, withInternal: boolean): Promise<AttachmentRow> {
  const [row] = await tx
    .select()
    .from(supportAttachment)
    .where(
      and(
        eq(supportAttachment.tenantId, tenantId),
        eq(supportAttachment.ticketId, ticketId),
        eq(supportAttachment.id, attachmentId),
        withInternal ? undefined : eq(supportAttachment.internal, false),
      ),
    )
    .limit(1);
  if (!row) throw supportErrors.attachmentNotFound();
  return row;
}

/**
 * Runs `work` with the unit of work scoped to another tenant, then scopes it back. For the few
 * writes that belong to another tenant than the ticket's (a staff email queued under the platform
 * tenant, an internal note's audit entry), so they commit atomically with the use case.
 */
export async function inTenantScope<U extends UnitOfWork<{ tenantId: string }>, T>(uow: U, tenantId: string, work: (scoped: U) => Promise<T>): Promise<T> {
  const scoped = await scopeTransactionTo(uow, tenantId);
  const result = await work(scoped);
  await scopeTransactionTo(scoped, uow.tenantId);
  return result;
}

export interface Download {
  fileName: string;
  contentType: string;
  sha256: string;
  data: Buffer;
}
