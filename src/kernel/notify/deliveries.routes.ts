import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { DeliveriesPage } from './deliveries.page.tsx';
import { deliveryView, type DeliveryView } from './delivery-view.ts';
import { CHANNELS, DELIVERY_STATUSES, notifyDelivery } from './delivery.table.ts';

export const listQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  /** Only deliveries queued before this instant: pass the previous page's `next`. */
  before: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-31T09:00:00Z' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListQuery = z.infer<typeof listQuery>;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The tenant's delivery log, newest first, keyset-paged by queue time. */
export async function listDeliveries(ctx: ServiceContext, query: ListQuery): Promise<{ data: DeliveryView[]; next: string | null }> {
  const rows = await withTenantTx(ctx, (uow) =>
    uow.tx
      .select()
      .from(notifyDelivery)
      .where(
        and(
          eq(notifyDelivery.tenantId, ctx.tenantId),
          query.status && eq(notifyDelivery.status, query.status),
          query.channel && eq(notifyDelivery.channel, query.channel),
          query.before ? lt(notifyDelivery.createdAt, new Date(query.before)) : undefined,
        ),
      )
      .orderBy(desc(notifyDelivery.createdAt))
      .limit(query.limit),
  );
  const data = rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    providerMessageId: row.providerMessageId,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    settledAt: iso(row.settledAt),
  }));
  return { data, next: rows.length === query.limit ? (data.at(-1)?.createdAt ?? null) : null };
}

export function deliveryRoutes(app: AppInstance): void {
  app.get(
    '/v1/notify/deliveries',
    {
      config: { access: { permission: 'notify.delivery.read' } },
      schema: {
        tags: ['notify'],
        summary: "The tenant's email and SMS delivery log, newest first",
        querystring: listQuery,
        response: { 200: z.object({ data: z.array(deliveryView), next: z.string().nullable() }) },
      },
    },
    (request) => listDeliveries(serviceContext(request), request.query),
  );
}

/** Page filters as a browser's GET form sends them: an empty select means "any". */
const pageQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional().catch(undefined),
  channel: z.enum(CHANNELS).optional().catch(undefined),
  before: z.iso.datetime({ offset: true }).optional().catch(undefined),
});

/** `/notify/deliveries`: the delivery log as a page, filtered and paged like the API. */
export function deliveryPageRoutes(app: AppInstance): void {
  app.get(
    '/notify/deliveries',
    { config: { access: { permission: 'notify.delivery.read' } }, schema: { hide: true, querystring: pageQuery } },
    async (request, reply) => {
      const { status, channel, before } = request.query;
      const query: ListQuery = { limit: 50, ...(status ? { status } : {}), ...(channel ? { channel } : {}), ...(before ? { before } : {}) };
      const { data, next } = await listDeliveries(serviceContext(request), query);
      const older = next ? new URLSearchParams({ ...(status ? { status } : {}), ...(channel ? { channel } : {}), before: next }).toString() : undefined;
      return sendPage(reply, DeliveriesPage({ deliveries: data, filter: { status, channel }, olderQuery: older, chrome: chrome(request, reply) }));
    },
  );
}
