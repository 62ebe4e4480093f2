import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accessRole, tenantMember, tenantMemberRole } from '../../kernel/access/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { getUser } from '../../kernel/identity/index.ts';
import { defineTemplate, html, notifyTemplates, queueNotification } from '../../kernel/notify/index.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';
import { ENQUIRY_PERMISSIONS } from './permissions.ts';

const newEnquiryData = z.object({ kind: z.string(), name: z.string(), message: z.string(), enquiryId: z.uuid() });

export const newEnquiryMail = defineTemplate<z.output<typeof newEnquiryData>>({
  id: 'enquiries.enquiry-received',
  data: newEnquiryData,
  email: {
    subject: (data) => `New ${data.kind.toLowerCase()} from ${data.name}`,
    text: (data) => `${data.name} sent an ${data.kind.toLowerCase()} from your website.\n\n${data.message}\n\nOpen it: /enquiries/${data.enquiryId}`,
    html: (data) => html`<p>${data.name} sent an ${data.kind.toLowerCase()} from your website.</p><blockquote>${data.message}</blockquote><p><a href="/enquiries/${data.enquiryId}">Open it</a></p>`,
  },
});
notifyTemplates.add(newEnquiryMail);

/** Tells the business's staff who answer enquiries (active members holding enquiries.enquiry.write), in the enquiry's transaction. */
export async function queueNewEnquiryMail(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'requestId'>>, data: z.output<typeof newEnquiryData>): Promise<number> {
  const members = await uow.tx
    .selectDistinct({ userId: tenantMember.userId })
    .from(tenantMember)
    .innerJoin(tenantMemberRole, and(eq(tenantMemberRole.tenantId, tenantMember.tenantId), eq(tenantMemberRole.userId, tenantMember.userId)))
    .innerJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
    .where(and(eq(tenantMember.tenantId, uow.tenantId), eq(tenantMember.status, 'active'), sql`${ENQUIRY_PERMISSIONS.write} = ANY(${accessRole.permissions})`));
  let queued = 0;
  for (const { userId } of members) {
    const user = await getUser(uow.tx, userId);
    if (!user || user.status !== 'active') continue;
    await queueNotification(uow, { channel: 'email', to: user.email, template: newEnquiryMail, data });
    queued += 1;
  }
  return queued;
}
