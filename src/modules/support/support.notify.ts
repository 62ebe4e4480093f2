import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import { accessRole, tenantMember, tenantMemberRole } from '../../kernel/access/index.ts';
import type { Tx } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { getUser } from '../../kernel/identity/index.ts';
import { defineTemplate, html, notifyTemplates, queueNotification } from '../../kernel/notify/index.ts';
import { PLATFORM_TENANT_ID, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { inTenantScope } from './ticket.rows.ts';

/** Platform staff who hear about new tickets: active platform members whose roles grant this permission. */
export const STAFF_AUDIENCE = 'platform.support.write';

const newTicketData = z.object({ tenantName: z.string(), subject: z.string(), priority: z.string(), ticketId: z.uuid() });
const staffReplyData = z.object({ subject: z.string(), reply: z.string(), ticketId: z.uuid() });

export const newTicketMail = defineTemplate<z.output<typeof newTicketData>>({
  id: 'support.ticket-opened',
  data: newTicketData,
  email: {
    subject: (data) => `[${data.priority}] New support ticket from ${data.tenantName}: ${data.subject}`,
    text: (data) => `${data.tenantName} opened a ${data.priority} ticket: ${data.subject}\n\nOpen the support inbox: /console/support/tickets/${data.ticketId}`,
    html: (data) =>
      html`<p>${data.tenantName} opened a <strong>${data.priority}</strong> ticket: ${data.subject}</p><p><a href="/console/support/tickets/${data.ticketId}">Open it in the support inbox</a></p>`,
  },
});

export const staffReplyMail = defineTemplate<z.output<typeof staffReplyData>>({
  id: 'support.staff-replied',
  data: staffReplyData,
  email: {
    subject: (data) => `Support replied: ${data.subject}`,
    text: (data) => `Platform support replied to your ticket "${data.subject}":\n\n${data.reply}\n\nSee the whole conversation: /support/tickets/${data.ticketId}`,
    html: (data) =>
      html`<p>Platform support replied to your ticket “${data.subject}”:</p><blockquote>${data.reply}</blockquote><p><a href="/support/tickets/${data.ticketId}">See the whole conversation</a></p>`,
  },
});
notifyTemplates.add(newTicketMail, staffReplyMail);

/**
 * Tells platform staff about a new ticket, in the ticket's own transaction: the deliveries are
 * the platform tenant's (a business never sees staff addresses among its deliveries), so the
 * transaction is scoped to the platform tenant for the queueing and back to the ticket's after.
 */
export function queueNewTicketMail(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'requestId'>>, data: z.output<typeof newTicketData>): Promise<number> {
  return inTenantScope(uow, PLATFORM_TENANT_ID, async (platform) => {
    const recipients = (await listStaffMembers(platform.tx)).map((member) => member.email).sort();
    for (const to of recipients) await queueNotification(platform, { channel: 'email', to, template: newTicketMail, data });
    return recipients.length;
  });
}

/** Emails the requester a staff reply, queued in the reply's transaction under the ticket's tenant. */
export async function queueStaffReplyMail(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'requestId'>>, requesterUserId: string, data: z.output<typeof staffReplyData>): Promise<boolean> {
  const requester = await getUser(uow.tx, requesterUserId);
  if (!requester || requester.status !== 'active') return false;
  await queueNotification(uow, { channel: 'email', to: requester.email, template: staffReplyMail, data });
  return true;
}

/** Platform staff who may be assigned tickets, for the assign form and its check. */
export async function listStaffMembers(tx: Tx): Promise<{ userId: string; name: string; email: string }[]> {
  const rows = await tx
    .selectDistinct({ userId: tenantMember.userId })
    .from(tenantMember)
    .innerJoin(tenantMemberRole, and(eq(tenantMemberRole.tenantId, tenantMember.tenantId), eq(tenantMemberRole.userId, tenantMember.userId)))
    .innerJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
    .where(and(eq(tenantMember.tenantId, PLATFORM_TENANT_ID), eq(tenantMember.status, 'active'), sql`${STAFF_AUDIENCE} = ANY(${accessRole.permissions})`));
  const staff: { userId: string; name: string; email: string }[] = [];
  for (const { userId } of rows) {
    const user = await getUser(tx, userId);
    if (user && user.status === 'active') staff.push({ userId, name: user.displayName, email: user.email });
  }
  return staff.sort((a, b) => a.name.localeCompare(b.name));
}
