import { and, asc, count, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import type { Realtime } from '../../kernel/realtime/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { usernamesOf } from '../community/index.ts';
import {
  transitionRefusal,
  visibleTo,
  type Comment,
  type CommentInput,
  type Page,
  type RequestDetail,
  type RequestInput,
  type RequestListQuery,
  type RequestStatus,
  type RequestSummary,
  type SyncScope,
} from './domain/request.ts';
import { requestsErrors } from './errors.ts';
import { ACTIVITY_CHANNEL, REQUEST_PERMISSIONS } from './permissions.ts';
import { requestsComment, requestsRequest } from './requests.table.ts';

/** What the use cases need besides their context: the realtime gateway, to tell open pages. */
export interface RequestsDeps {
  realtime: Pick<Realtime, 'publishAfterCommit'>;
}

/** What open pages of a request hear: something changed, fetch it again. */
export interface ActivityEvent {
  requestId: string;
  kind: 'comment' | 'status';
}

type Uow = UnitOfWork<Omit<ServiceContext, 'db'>>;
type RequestRow = typeof requestsRequest.$inferSelect;

function actingUserId(ctx: ServiceContext): string {
  const { actor } = ctx;
  if (actor.kind === 'user' || actor.kind === 'api') return actor.userId;
  throw requestsErrors.personRequired();
}

const holds = (ctx: ServiceContext, permission: string) => ctx.permissions?.has(permission) ?? true;
const moderates = (ctx: ServiceContext) => holds(ctx, REQUEST_PERMISSIONS.moderate);
const requestTarget = (id: string) => ({ type: 'requests.request', id });
const commentTarget = (id: string) => ({ type: 'requests.comment', id });
const ofRequest = (tenantId: string, id: string) => and(eq(requestsRequest.tenantId, tenantId), eq(requestsRequest.id, id));
const iso = (at: Date | null) => (at ? at.toISOString() : null);

function toSummary(row: RequestRow, names: ReadonlyMap<string, string>, commentCount: number): RequestSummary {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    author: names.get(row.authorUserId) ?? 'a former member',
    status: row.status,
    syncScope: row.syncScope,
    commentCount,
    createdAt: row.createdAt.toISOString(),
    completedAt: iso(row.completedAt),
    completedBy: row.completedByUserId ? (names.get(row.completedByUserId) ?? 'a former member') : null,
  };
}

/** The request if the actor may see it (locked for update when `lock`); NOT_FOUND otherwise. */
async function visibleRequest(uow: Uow, ctx: ServiceContext, id: string, lock = false): Promise<RequestRow> {
  const query = uow.tx.select().from(requestsRequest).where(ofRequest(ctx.tenantId, id)).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row || !visibleTo(row.status, row.authorUserId === actingUserId(ctx), moderates(ctx))) throw requestsErrors.requestNotFound();
  return row;
}

/**
 * Posts a request. Its author's sign-in decides its status: a verified member (holding
 * requests.request.write) posts it open; a half-authenticated one drafts it as pending, shown to
 * others once their sign-in is verified (see promotePendingRequests).
 */
export async function createRequest(ctx: ServiceContext, input: RequestInput): Promise<RequestDetail> {
  const authorUserId = actingUserId(ctx);
  const status: RequestStatus = holds(ctx, REQUEST_PERMISSIONS.write) ? 'open' : 'pending';
  return withTenantTx(ctx, async (uow) => {
    const now = new Date();
    const [row] = await uow.tx
      .insert(requestsRequest)
      .values({ tenantId: ctx.tenantId, title: input.title, body: input.body, syncScope: input.syncScope, authorUserId, status, createdAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error('request insert returned no row');
    recordAudit(uow, { action: 'requests.request.created', target: requestTarget(row.id), data: { title: row.title, status, syncScope: row.syncScope } });
    emit(uow, { type: 'requests.request.created', payload: { requestId: row.id, status } });
    const names = await usernamesOf(uow.tx, ctx.tenantId, [authorUserId]);
    return { ...toSummary(row, names, 0), comments: [], mine: true };
  });
}

/** The feed: newest first, filtered by status, scope or authorship; pending requests only to their authors and moderators. */
export async function listRequests(ctx: ServiceContext, query: RequestListQuery): Promise<Page<RequestSummary>> {
  const me = actingUserId(ctx);
  const conditions: (SQL | undefined)[] = [eq(requestsRequest.tenantId, ctx.tenantId)];
  if (query.status) conditions.push(eq(requestsRequest.status, query.status));
  if (query.scope) conditions.push(eq(requestsRequest.syncScope, query.scope));
  if (query.mine) conditions.push(eq(requestsRequest.authorUserId, me));
  if (!moderates(ctx)) conditions.push(or(sql`${requestsRequest.status} <> 'pending'`, eq(requestsRequest.authorUserId, me)));
  const where = and(...conditions);
  return withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select({
        request: requestsRequest,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(requestsRequest)
      .where(where)
      .orderBy(desc(requestsRequest.createdAt), desc(requestsRequest.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const total = rows[0]?.total ?? (query.page > 1 ? ((await uow.tx.select({ total: count() }).from(requestsRequest).where(where))[0]?.total ?? 0) : 0);
    const names = await usernamesOf(uow.tx, ctx.tenantId, rows.flatMap(({ request }) => [request.authorUserId, request.completedByUserId ?? request.authorUserId]));
    const comments = await commentCounts(uow.tx, ctx.tenantId, rows.map(({ request }) => request.id));
    return {
      data: rows.map((row) => toSummary(row.request, names, comments.get(row.request.id) ?? 0)),
      pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) },
    };
  });
}

/** Visible (not removed) comments per request. */
async function commentCounts(tx: Tx, tenantId: string, requestIds: readonly string[]): Promise<Map<string, number>> {
  if (requestIds.length === 0) return new Map();
  const rows = await tx
    .select({ requestId: requestsComment.requestId, comments: count() })
    .from(requestsComment)
    .where(and(eq(requestsComment.tenantId, tenantId), inArray(requestsComment.requestId, [...requestIds]), isNull(requestsComment.deletedAt)))
    .groupBy(requestsComment.requestId);
  return new Map(rows.map((row) => [row.requestId, row.comments]));
}

async function readDetail(tx: Tx, ctx: ServiceContext, row: RequestRow): Promise<RequestDetail> {
  const me = actingUserId(ctx);
  const comments = await tx
    .select()
    .from(requestsComment)
    .where(and(eq(requestsComment.tenantId, ctx.tenantId), eq(requestsComment.requestId, row.id)))
    .orderBy(asc(requestsComment.createdAt), asc(requestsComment.id));
  const names = await usernamesOf(tx, ctx.tenantId, [row.authorUserId, ...(row.completedByUserId ? [row.completedByUserId] : []), ...comments.map((one) => one.authorUserId)]);
  const shown: Comment[] = comments.map((one) => ({
    id: one.id,
    author: names.get(one.authorUserId) ?? 'a former member',
    body: one.deletedAt ? '' : one.body,
    syncScope: one.syncScope,
    createdAt: one.createdAt.toISOString(),
    removed: one.deletedAt !== null,
    mine: one.authorUserId === me,
  }));
  return { ...toSummary(row, names, shown.filter((one) => !one.removed).length), comments: shown, mine: row.authorUserId === me };
}

export async function getRequest(ctx: ServiceContext, id: string): Promise<RequestDetail> {
  return withTenantTx(ctx, async (uow) => readDetail(uow.tx, ctx, await visibleRequest(uow, ctx, id)));
}

async function touched(uow: Uow, deps: RequestsDeps, ctx: ServiceContext, id: string, kind: ActivityEvent['kind']): Promise<RequestDetail> {
  await deps.realtime.publishAfterCommit(uow, ACTIVITY_CHANNEL, { requestId: id, kind } satisfies ActivityEvent);
  const [row] = await uow.tx.select().from(requestsRequest).where(ofRequest(ctx.tenantId, id)).limit(1);
  if (!row) throw requestsErrors.requestNotFound();
  return readDetail(uow.tx, ctx, row);
}

/** A comment on an open or completed request; pages showing the request hear of it at once. */
export async function addComment(ctx: ServiceContext, deps: RequestsDeps, id: string, input: CommentInput): Promise<RequestDetail> {
  const authorUserId = actingUserId(ctx);
  return withTenantTx(ctx, async (uow) => {
    const request = await visibleRequest(uow, ctx, id, true);
    if (request.status === 'pending') throw requestsErrors.pendingRequest();
    const [row] = await uow.tx.insert(requestsComment).values({ tenantId: ctx.tenantId, requestId: id, authorUserId, body: input.body, syncScope: input.syncScope }).returning({ id: requestsComment.id });
    if (!row) throw new Error('comment insert returned no row');
    await uow.tx.update(requestsRequest).set({ updatedAt: new Date() }).where(ofRequest(ctx.tenantId, id));
    recordAudit(uow, { action: 'requests.comment.created', target: commentTarget(row.id), data: { requestId: id, syncScope: input.syncScope } });
    emit(uow, { type: 'requests.comment.created', payload: { requestId: id, commentId: row.id } });
    return touched(uow, deps, ctx, id, 'comment');
  });
}

/** Completes an open request, or reopens a completed one; any verified member may, as help often comes from others. */
export async function changeRequestStatus(ctx: ServiceContext, deps: RequestsDeps, id: string, action: 'complete' | 'reopen'): Promise<RequestDetail> {
  const me = actingUserId(ctx);
  return withTenantTx(ctx, async (uow) => {
    const request = await visibleRequest(uow, ctx, id, true);
    const refusal = transitionRefusal(request.status, action);
    if (refusal) throw requestsErrors.transitionRefused(refusal);
    const now = new Date();
    const completing = action === 'complete';
    await uow.tx
      .update(requestsRequest)
      .set({ status: completing ? 'completed' : 'open', completedAt: completing ? now : null, completedByUserId: completing ? me : null, updatedAt: now })
      .where(ofRequest(ctx.tenantId, id));
    recordAudit(uow, { action: completing ? 'requests.request.completed' : 'requests.request.reopened', target: requestTarget(id), data: { from: request.status } });
    emit(uow, { type: completing ? 'requests.request.completed' : 'requests.request.reopened', payload: { requestId: id } });
    return touched(uow, deps, ctx, id, 'status');
  });
}

/** Changes whether a request may leave this node (its author or a moderator). */
export async function setRequestScope(ctx: ServiceContext, deps: RequestsDeps, id: string, syncScope: SyncScope): Promise<RequestDetail> {
  return withTenantTx(ctx, async (uow) => {
    const request = await visibleRequest(uow, ctx, id, true);
    if (request.authorUserId !== actingUserId(ctx) && !moderates(ctx)) throw requestsErrors.notAuthor();
    await uow.tx.update(requestsRequest).set({ syncScope, updatedAt: new Date() }).where(ofRequest(ctx.tenantId, id));
    recordAudit(uow, { action: 'requests.request.scope_changed', target: requestTarget(id), data: { from: request.syncScope, to: syncScope } });
    return touched(uow, deps, ctx, id, 'status');
  });
}

async function lockComment(uow: Uow, ctx: ServiceContext, requestId: string, commentId: string) {
  await visibleRequest(uow, ctx, requestId, true);
  const [row] = await uow.tx
    .select()
    .from(requestsComment)
    .where(and(eq(requestsComment.tenantId, ctx.tenantId), eq(requestsComment.requestId, requestId), eq(requestsComment.id, commentId)))
    .for('update')
    .limit(1);
  if (!row) throw requestsErrors.commentNotFound();
  return row;
}

/** Changes a comment's scope (its author or a moderator). */
export async function setCommentScope(ctx: ServiceContext, deps: RequestsDeps, requestId: string, commentId: string, syncScope: SyncScope): Promise<RequestDetail> {
  return withTenantTx(ctx, async (uow) => {
    const row = await lockComment(uow, ctx, requestId, commentId);
    if (row.authorUserId !== actingUserId(ctx) && !moderates(ctx)) throw requestsErrors.notAuthor();
    await uow.tx.update(requestsComment).set({ syncScope }).where(and(eq(requestsComment.tenantId, ctx.tenantId), eq(requestsComment.id, commentId)));
    recordAudit(uow, { action: 'requests.comment.scope_changed', target: commentTarget(commentId), data: { requestId, from: row.syncScope, to: syncScope } });
    return touched(uow, deps, ctx, requestId, 'comment');
  });
}

/** Moderation: hides a comment (kept, with who removed it and why); the audit entry keeps its text. */
export async function removeComment(ctx: ServiceContext, deps: RequestsDeps, requestId: string, commentId: string, reason: string): Promise<RequestDetail> {
  const me = actingUserId(ctx);
  return withTenantTx(ctx, async (uow) => {
    const row = await lockComment(uow, ctx, requestId, commentId);
    if (row.deletedAt) return readDetail(uow.tx, ctx, await visibleRequest(uow, ctx, requestId));
    await uow.tx
      .update(requestsComment)
      .set({ deletedAt: new Date(), deletedByUserId: me, deletedReason: reason || null })
      .where(and(eq(requestsComment.tenantId, ctx.tenantId), eq(requestsComment.id, commentId)));
    recordAudit(uow, { action: 'requests.comment.removed', target: commentTarget(commentId), data: { requestId, reason, authorUserId: row.authorUserId, body: row.body } });
    return touched(uow, deps, ctx, requestId, 'comment');
  });
}

/** Opens what a person drafted while half-authenticated, once a sign-in of theirs is trusted (event handler step). */
export async function promotePendingRequests(uow: UnitOfWork, userId: string): Promise<number> {
  const promoted = await uow.tx
    .update(requestsRequest)
    .set({ status: 'open', updatedAt: new Date() })
    .where(and(eq(requestsRequest.tenantId, uow.tenantId), eq(requestsRequest.authorUserId, userId), inArray(requestsRequest.status, ['pending'])))
    .returning({ id: requestsRequest.id });
  for (const { id } of promoted) recordAudit(uow, { action: 'requests.request.promoted', target: requestTarget(id), data: { authorUserId: userId } });
  return promoted.length;
}
