import { randomUUID } from 'node:crypto';
import { api, page, resource, unique, type FixtureScope, type Resource, type RouteFixture } from '../../support/route-fixtures.ts';

/** A support ticket opened through the API, with one text file attached (its id kept for the attachment parameter). */
const newTicket = () => ({ subject: `Matrix ${unique()}`, body: 'The matrix needs help.', category: 'technical', priority: 'normal' });
const ticketFiles = new Map<string, string>();
const ticketWithFile = async (s: FixtureScope) => {
  const created = await s.asOwner<{ id: string; attachments: { id: string }[] }>('POST', '/v1/support/tickets', {
    ...newTicket(),
    attachments: [{ fileName: 'matrix.txt', contentType: 'text/plain', contentBase64: Buffer.from('matrix').toString('base64') }],
  });
  ticketFiles.set(s.tenant.id, created.attachments[0]?.id ?? '');
  return created.id;
};
const supportTicket = resource(ticketWithFile);
/** The file of the ticket last made in the same tenant (parameters are made in url order: the ticket first). */
const supportAttachment = resource(async (s) => ticketFiles.get(s.tenant.id) ?? randomUUID());
/** A resolved ticket (staff resolve tickets; set here directly, as the owner), which its business may reopen. */
const resolvedTicket = resource(async (s) => {
  const id = await ticketWithFile(s);
  await s.t.database.pool.query(`UPDATE support_ticket SET status = 'resolved', resolved_at = now() WHERE id = $1`, [id]);
  return id;
});
/**
 * The staff console's ticket parameters. Staff routes need platform.support.*, so the matrix acts
 * in the platform tenant; the tickets are a business's (tenant A's, opened by its owner), found
 * from there through the support module's SECURITY DEFINER inbox functions, and named across
 * tenants (not tenant-scoped).
 */
let businessFile = '';
const businessTicket = async (s: FixtureScope) => {
  const headers = await s.t.headersFor(s.t.tenantA.slug);
  const payload = { ...newTicket(), attachments: [{ fileName: 'matrix.txt', contentType: 'text/plain', contentBase64: Buffer.from('matrix').toString('base64') }] };
  const response = await s.t.app.inject({ method: 'POST', url: '/v1/support/tickets', headers, payload });
  if (response.statusCode !== 201) throw new Error(`set-up business ticket answered ${response.statusCode}: ${response.body}`);
  const created = (response.json() as { data: { id: string; attachments: { id: string }[] } }).data;
  businessFile = created.attachments[0]?.id ?? '';
  return created.id;
};
const staffTicket: Resource = { create: businessTicket, tenantScoped: false };
/** The file of the business ticket made just before (parameters are made in url order: the ticket first). */
const staffAttachment: Resource = { create: async () => businessFile || randomUUID(), tenantScoped: false };
const SUPPORT_TICKET = { id: supportTicket };

export const routeFixtures: Record<string, RouteFixture> = {
  // Support tickets: the business's API and pages, and platform staff's console (404 outside the platform tenant).
  'GET /v1/support/tickets': api(),
  'POST /v1/support/tickets': api({ body: newTicket }),
  'GET /v1/support/tickets/:id': api({ params: SUPPORT_TICKET }),
  'POST /v1/support/tickets/:id/messages': api({ params: SUPPORT_TICKET, body: { body: 'A matrix reply.' } }),
  'POST /v1/support/tickets/:id/reopen': api({ params: { id: resolvedTicket } }),
  'POST /v1/support/tickets/:id/close': api({ params: SUPPORT_TICKET }),
  'GET /v1/support/tickets/:id/attachments/:attachmentId': api({ params: { id: supportTicket, attachmentId: supportAttachment } }),
  'GET /v1/support/inbox': api(),
  'GET /support': page(),
  'GET /support/tickets/new': page(),
  'POST /support/tickets': page({ body: newTicket }),
  'GET /support/tickets/:id': page({ params: SUPPORT_TICKET }),
  'POST /support/tickets/:id/messages': page({ params: SUPPORT_TICKET, body: { body: 'A matrix reply.' } }),
  'POST /support/tickets/:id/reopen': page({ params: { id: resolvedTicket } }),
  'POST /support/tickets/:id/close': page({ params: SUPPORT_TICKET }),
  'GET /console/support': page(),
  'GET /console/support/tickets/:id': page({ params: { id: staffTicket } }),
  'POST /console/support/tickets/:id/messages': page({ params: { id: staffTicket }, body: { body: 'A matrix note.', internal: 'true' } }),
  'POST /console/support/tickets/:id/assign': page({ params: { id: staffTicket }, body: { assignee: '' } }),
  'POST /console/support/tickets/:id/status': page({ params: { id: staffTicket }, body: { status: 'open' } }),
  'POST /console/support/tickets/:id/priority': page({ params: { id: staffTicket }, body: { priority: 'high' } }),
  'GET /console/support/tickets/:id/attachments/:attachmentId': api({ params: { id: staffTicket, attachmentId: staffAttachment } }),
};
