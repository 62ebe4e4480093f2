import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Entitlements } from '../../kernel/module/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { disabledModules, findTenantBySlug, withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { canMove, KIND_LABELS, type EnquiryInput, type EnquiryKind, type EnquiryListQuery, type EnquiryStatus, type EnquiryView } from './domain/enquiry.ts';
import { spamVerdict, type SpamVerdict } from './domain/spam-guard.ts';
import { enquiriesEnquiry } from './enquiry.table.ts';
import { queueNewEnquiryMail } from './enquiry.notify.ts';
import { enquiryErrors } from './errors.ts';

type Uow = UnitOfWork<Omit<ServiceContext, 'db'>>;
type EnquiryRow = typeof enquiriesEnquiry.$inferSelect;

const target = (id: string) => ({ type: 'enquiries.enquiry', id });
const ofEnquiry = (tenantId: string, id: string) => and(eq(enquiriesEnquiry.tenantId, tenantId), eq(enquiriesEnquiry.id, id));

function toView(row: EnquiryRow): EnquiryView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    name: row.name,
    email: row.email,
    phone: row.phone,
    postcode: row.postcode,
    message: row.message,
    closeReason: row.closeReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The business a public form belongs to, by its slug; a missing or inactive one, or one whose
 * edition (or switches) leave out enquiries, looks like a missing page.
 */
export async function publicBusiness(
  ctx: Omit<ServiceContext, 'tenantId'>,
  entitlements: Entitlements,
  slug: string,
): Promise<{ id: string; slug: string; name: string }> {
  const tenant = await findTenantBySlug(ctx.db, slug);
  if (!tenant || tenant.status !== 'active') throw enquiryErrors.businessNotFound();
  const switchedOff = await withTenantTx({ ...ctx, tenantId: tenant.id }, (uow) => disabledModules(uow.tx, tenant.id));
  if (!entitlements.of(tenant.edition, switchedOff).has('enquiries')) throw enquiryErrors.businessNotFound();
  return { id: tenant.id, slug: tenant.slug, name: tenant.name };
}

export interface PublicSubmission {
  kind: EnquiryKind;
  input: EnquiryInput;
  honeypot: string;
  /** When the form was shown (from its signed clock token); undefined when the token is missing or forged. */
  shownAt: number | undefined;
}

/**
 * A visitor's enquiry or access request, from the business's public site: stored as new, audited
 * and announced to the staff who answer enquiries, in one transaction. A submission the spam
 * guards catch is dropped (logged, not stored): the visitor sees the same thanks either way.
 */
export async function submitEnquiry(ctx: ServiceContext, submission: PublicSubmission, now = Date.now()): Promise<{ verdict: SpamVerdict; enquiryId?: string }> {
  const verdict = spamVerdict({ honeypot: submission.honeypot, shownAt: submission.shownAt, now });
  if (verdict !== 'human') {
    ctx.log.info({ verdict, kind: submission.kind }, 'enquiry dropped by the spam guard');
    return { verdict };
  }
  const enquiryId = await withTenantTx(ctx, async (uow) => {
    const { input, kind } = submission;
    const [row] = await uow.tx.insert(enquiriesEnquiry).values({ tenantId: ctx.tenantId, kind, ...input }).returning();
    if (!row) throw new Error('enquiry insert returned no row');
    recordAudit(uow, { action: 'enquiries.enquiry.received', target: target(row.id), data: { kind } });
    emit(uow, { type: 'enquiries.enquiry.received', payload: { enquiryId: row.id, kind } });
    await queueNewEnquiryMail(uow, { kind: KIND_LABELS[kind], name: row.name, message: row.message, enquiryId: row.id });
    return row.id;
  });
  return { verdict, enquiryId };
}

export interface EnquiryPage {
  data: EnquiryView[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}

/** The pipeline: newest first, filtered by status and kind. */
export function listEnquiries(ctx: ServiceContext, query: EnquiryListQuery): Promise<EnquiryPage> {
  const conditions: SQL[] = [eq(enquiriesEnquiry.tenantId, ctx.tenantId)];
  if (query.status) conditions.push(eq(enquiriesEnquiry.status, query.status));
  if (query.kind) conditions.push(eq(enquiriesEnquiry.kind, query.kind));
  return withTenantTx(ctx, async (uow) => {
    const where = and(...conditions);
    const rows = await uow.tx
      .select()
      .from(enquiriesEnquiry)
      .where(where)
      .orderBy(desc(enquiriesEnquiry.createdAt), desc(enquiriesEnquiry.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const [counted] = await uow.tx.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(enquiriesEnquiry).where(where);
    const total = counted?.total ?? 0;
    return { data: rows.map(toView), pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.max(1, Math.ceil(total / query.pageSize)) } };
  });
}

export function getEnquiry(ctx: ServiceContext, id: string): Promise<EnquiryView> {
  return withTenantTx(ctx, async (uow) => toView(await lockedEnquiry(uow, id, false)));
}

async function lockedEnquiry(uow: Uow, id: string, lock = true): Promise<EnquiryRow> {
  const query = uow.tx.select().from(enquiriesEnquiry).where(ofEnquiry(uow.tenantId, id)).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw enquiryErrors.enquiryNotFound();
  return row;
}

/** Moves an enquiry one step along the pipeline (or closes it, with its reason); audited with where it came from. */
export function moveEnquiry(ctx: ServiceContext, id: string, to: Exclude<EnquiryStatus, 'new' | 'converted'>, reason?: string): Promise<EnquiryView> {
  return withTenantTx(ctx, async (uow) => {
    const row = await lockedEnquiry(uow, id);
    if (!canMove(row.status, to)) throw enquiryErrors.transitionRefused(row.status, to);
    const [moved] = await uow.tx
      .update(enquiriesEnquiry)
      .set({ status: to, closeReason: to === 'closed' ? (reason ?? '') : null, updatedAt: new Date() })
      .where(ofEnquiry(uow.tenantId, id))
      .returning();
    if (!moved) throw enquiryErrors.enquiryNotFound();
    recordAudit(uow, { action: `enquiries.enquiry.${to}`, target: target(id), data: { from: row.status, to, ...(to === 'closed' ? { reason } : {}) } });
    emit(uow, { type: 'enquiries.enquiry.moved', payload: { enquiryId: id, from: row.status, to } });
    return toView(moved);
  });
}
