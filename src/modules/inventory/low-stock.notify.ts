import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import { accessRole, tenantMember, tenantMemberRole } from '../../kernel/access/index.ts';
import type { Tx } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { getUser } from '../../kernel/identity/index.ts';
import { defineTemplate, html, notifyTemplates, queueNotification } from '../../kernel/notify/index.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';

/** Who hears about low stock: active members whose roles grant this permission. */
export const LOW_STOCK_AUDIENCE = 'inventory.stock.read';

const stockLowData = z.object({
  productName: z.string(),
  locationName: z.string(),
  onHand: z.number().int(),
  reorderPoint: z.number().int(),
  reorderQuantity: z.number().int().nullable(),
});
export type StockLowData = z.output<typeof stockLowData>;

export const stockLowTemplate = defineTemplate<StockLowData>({
  id: 'inventory.stock-low',
  data: stockLowData,
  email: {
    subject: (data) => `Low stock: ${data.productName} at ${data.locationName}`,
    text: (data) =>
      `${data.productName} at ${data.locationName} is down to ${data.onHand} (reorder point ${data.reorderPoint}).` +
      (data.reorderQuantity === null ? '' : `\nSuggested reorder: ${data.reorderQuantity}.`),
    html: (data) =>
      html`<p><strong>${data.productName}</strong> at ${data.locationName} is down to ${data.onHand} (reorder point ${data.reorderPoint}).</p>${
        data.reorderQuantity === null ? '' : html`<p>Suggested reorder: ${data.reorderQuantity}.</p>`
      }`,
  },
});
notifyTemplates.add(stockLowTemplate);

/** Email addresses of the tenant's active members who may read stock, read in the caller's transaction. */
async function audience(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ userId: tenantMember.userId })
    .from(tenantMember)
    .innerJoin(tenantMemberRole, and(eq(tenantMemberRole.tenantId, tenantMember.tenantId), eq(tenantMemberRole.userId, tenantMember.userId)))
    .innerJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
    .where(and(eq(tenantMember.tenantId, tenantId), eq(tenantMember.status, 'active'), sql`${LOW_STOCK_AUDIENCE} = ANY(${accessRole.permissions})`));
  const emails: string[] = [];
  for (const { userId } of rows) {
    const user = await getUser(tx, userId);
    if (user && user.status === 'active') emails.push(user.email);
  }
  return emails.sort();
}

/** Queues one low-stock email per member who may read stock, in the movement's transaction (sent only if it commits). */
export async function queueLowStockEmails(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'requestId'>>, data: StockLowData): Promise<number> {
  const recipients = await audience(uow.tx, uow.tenantId);
  for (const to of recipients) await queueNotification(uow, { channel: 'email', to, template: stockLowTemplate, data });
  return recipients.length;
}
