import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/kernel/errors.ts';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { assertPlatformStaff } from '../../../src/modules/support/staff.service.ts';
import { A, as, B, MAX_BYTES, multipart, openTicket, PLATFORM, startSupportApp, type SupportTestApp, type TicketBody } from './helpers.ts';

const NOTE = 'INTERNAL-NOTE: customer is on the legacy plan, do not offer refunds';

describe('support pages /support and /console/support', () => {
  let t: SupportTestApp;
  before(async () => {
    t = await startSupportApp();
  });
  after(() => t.close());

  const owner = <R extends Record<string, unknown>>(text: string, values: unknown[] = []) => t.database.pool.query<R>(text, values).then((result) => result.rows);

  async function page(slug: string, url: string) {
    const browser = await t.browserFor(slug);
    return t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie, accept: 'text/html' } });
  }

  async function postMultipart(slug: string, url: string, fields: Record<string, string>, files: Parameters<typeof multipart>[1] = [], withCsrf = true) {
    const browser = await t.browserFor(slug);
    const body = multipart(withCsrf ? { _csrf: browser.csrfToken, ...fields } : fields, files);
    return t.app.inject({ method: 'POST', url, headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': body.contentType }, payload: body.payload });
  }

  async function postForm(slug: string, url: string, fields: Record<string, string>) {
    const browser = await t.browserFor(slug);
    return t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, ...fields }).toString(),
    });
  }

  test('a business opens a ticket with a file through the multipart form, and downloads it back', async () => {
    const form = await page(A, '/support/tickets/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<form method="post" action="\/support\/tickets" enctype="multipart\/form-data"/);
    assert.match(form.body, /name="_csrf"/);
    assert.match(form.body, /<label for="field-files">/);

    const created = await postMultipart(A, '/support/tickets', { subject: 'Till crashes', body: 'Every morning at 9.', category: 'technical', priority: 'high' }, [
      { name: 'files', fileName: 'crash log.txt', contentType: 'text/plain', data: 'stack trace' },
    ]);
    assert.equal(created.statusCode, 303, created.body);
    const location = String(created.headers.location);
    const id = /^\/support\/tickets\/([0-9a-f-]{36})\?notice=/.exec(location)?.[1];
    assert.ok(id, location);
    const thread = await page(A, location);
    assert.equal(thread.statusCode, 200);
    assert.match(thread.body, /Till crashes/);
    const href = /href="(\/v1\/support\/tickets\/[^"]+\/attachments\/[^"]+)"/.exec(thread.body)?.[1];
    assert.ok(href, 'the file is linked');
    const download = await page(A, href);
    assert.equal(download.statusCode, 200);
    assert.equal(download.body, 'stack trace');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="crash log.txt"/);
  });

  test('a multipart form without its CSRF token is refused; a refused file comes back on the form', async () => {
    const missingToken = await postMultipart(A, '/support/tickets', { subject: 'x', body: 'y' }, [], false);
    assert.equal(missingToken.statusCode, 403);
    const badType = await postMultipart(A, '/support/tickets', { subject: 'Script', body: 'See file', category: 'other', priority: 'low' }, [
      { name: 'files', fileName: 'evil.html', contentType: 'text/html', data: '<script>' },
    ]);
    assert.equal(badType.statusCode, 422);
    assert.match(badType.body, /id="field-files-error"[^>]*>evil.html: files of type text\/html cannot be attached/);
    assert.match(badType.body, /value="Script"/, 'the form keeps what was typed');
    const oversize = await postMultipart(A, '/support/tickets', { subject: 'Big', body: 'See file', category: 'other', priority: 'low' }, [
      { name: 'files', fileName: 'big.pdf', contentType: 'application/pdf', data: Buffer.alloc(MAX_BYTES * 3, 1) },
    ]);
    assert.equal(oversize.statusCode, 422);
    assert.match(oversize.body, /id="field-files-error"[^>]*>big.pdf is larger than 4 KiB/);
    const sixFiles = await postMultipart(
      A,
      '/support/tickets',
      { subject: 'Many', body: 'See files', category: 'other', priority: 'low' },
      Array.from({ length: 7 }, (_, index) => ({ name: 'files', fileName: `${index}.txt`, contentType: 'text/plain', data: 'x' })),
    );
    assert.equal(sixFiles.statusCode, 422);
    assert.match(sixFiles.body, /Attach at most 5 files to one message/);
  });

  test('staff see tickets of every business, reply, note internally, assign and change status; internal notes never reach the business', async () => {
    const staff = await t.ownerOf(PLATFORM);
    const ticketA = await openTicket(t, A, { subject: 'Refund question', priority: 'urgent' });
    const ticketB = await openTicket(t, B, { subject: 'Export broken' });

    const inbox = await page(PLATFORM, '/console/support');
    assert.equal(inbox.statusCode, 200, inbox.body);
    assert.match(inbox.body, /Refund question/);
    assert.match(inbox.body, /Export broken/);
    assert.match(inbox.body, /Tenant A/);
    assert.match(inbox.body, /Tenant B/);
    const filtered = await page(PLATFORM, '/console/support?priority=urgent&status=&breached=&assignee=');
    assert.match(filtered.body, /Refund question/);
    assert.doesNotMatch(filtered.body, /Export broken/);
    void ticketB;

    const note = await postMultipart(PLATFORM, `/console/support/tickets/${ticketA.id}/messages`, { body: NOTE, internal: 'true' }, [
      { name: 'files', fileName: 'internal-plan.txt', contentType: 'text/plain', data: 'legacy plan details' },
    ]);
    assert.equal(note.statusCode, 303, note.body);
    const reply = await postMultipart(PLATFORM, `/console/support/tickets/${ticketA.id}/messages`, { body: 'We are looking into it.', internal: 'false' });
    assert.equal(reply.statusCode, 303, reply.body);

    const staffView = await page(PLATFORM, `/console/support/tickets/${ticketA.id}`);
    assert.equal(staffView.statusCode, 200);
    assert.match(staffView.body, /INTERNAL-NOTE/);
    assert.match(staffView.body, /internal-plan.txt/);
    const [noteFile] = await owner<{ id: string }>(`SELECT id FROM support_attachment WHERE ticket_id = $1 AND internal`, [ticketA.id]);
    assert.ok(noteFile);
    const staffDownload = await page(PLATFORM, `/console/support/tickets/${ticketA.id}/attachments/${noteFile.id}`);
    assert.equal(staffDownload.statusCode, 200);
    assert.equal(staffDownload.body, 'legacy plan details');

    // The business: API JSON, page HTML and downloads.
    const json = await as(t, A, 'GET', `/v1/support/tickets/${ticketA.id}`);
    assert.equal(json.statusCode, 200);
    assert.doesNotMatch(json.body, /INTERNAL-NOTE|internal-plan/);
    const thread = (json.json() as { data: TicketBody }).data;
    assert.deepEqual(thread.messages.map((message) => [message.side, message.internal, message.body]), [['staff', false, 'We are looking into it.']]);
    assert.equal(thread.status, 'waiting_on_customer');
    assert.ok(thread.sla.firstRespondedAt, 'the public reply is the first response');
    const html = await page(A, `/support/tickets/${ticketA.id}`);
    assert.equal(html.statusCode, 200);
    assert.match(html.body, /We are looking into it./);
    assert.doesNotMatch(html.body, /INTERNAL-NOTE|internal-plan|Internal note/);
    const hidden = await as(t, A, 'GET', `/v1/support/tickets/${ticketA.id}/attachments/${noteFile.id}`);
    const missing = await as(t, A, 'GET', `/v1/support/tickets/${ticketA.id}/attachments/${randomUUID()}`);
    assert.equal(hidden.statusCode, 404);
    assert.deepEqual(hidden.json(), missing.json());
    // Not even a trace in the business's audit log or events: the note's entry is the platform's.
    const tenantAudit = await owner<{ action: string }>(`SELECT action FROM audit_event WHERE tenant_id = $1 AND target_id = $2`, [t.tenantA.id, ticketA.id]);
    assert.equal(tenantAudit.some((row) => row.action === 'support.ticket.note_added'), false);
    assert.doesNotMatch(JSON.stringify(await owner(`SELECT data FROM audit_event WHERE tenant_id = $1`, [t.tenantA.id])), /INTERNAL-NOTE/);
    const platformAudit = await owner(`SELECT 1 FROM audit_event WHERE tenant_id = $1 AND target_id = $2 AND action = 'support.ticket.note_added'`, [PLATFORM_TENANT_ID, ticketA.id]);
    assert.equal(platformAudit.length, 1);

    // The requester is emailed the public reply (not the note), under the business's tenant.
    const mails = await owner<{ tenant_id: string; data: { reply: string } }>(`SELECT tenant_id, data FROM notify_delivery WHERE template = 'support.staff-replied' AND data->>'ticketId' = $1`, [ticketA.id]);
    assert.deepEqual(mails.map((row) => [row.tenant_id, row.data.reply]), [[t.tenantA.id, 'We are looking into it.']]);

    // Assign: staff only.
    const notStaff = await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/assign`, { assignee: (await t.ownerOf(A)).userId });
    assert.equal(notStaff.statusCode, 422);
    assert.match(notStaff.body, /Tickets can be assigned to platform staff only/);
    const assigned = await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/assign`, { assignee: staff.userId });
    assert.equal(assigned.statusCode, 303, assigned.body);
    const mine = await as(t, PLATFORM, 'GET', `/v1/support/inbox?assignee=${staff.userId}`);
    assert.ok((mine.json() as { data: { id: string }[] }).data.some((ticket) => ticket.id === ticketA.id));

    // Priority: the SLA due times follow it, from the ticket's creation.
    assert.equal((await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/priority`, { priority: 'low' })).statusCode, 303);
    const reprioritised = ((await as(t, A, 'GET', `/v1/support/tickets/${ticketA.id}`)).json() as { data: TicketBody }).data;
    assert.equal(reprioritised.priority, 'low');
    assert.equal(Date.parse(reprioritised.sla.firstResponseDueAt) - Date.parse(reprioritised.createdAt), 24 * 3_600_000);
    assert.equal(Date.parse(reprioritised.sla.resolutionDueAt) - Date.parse(reprioritised.createdAt), 168 * 3_600_000);
    assert.equal((await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/priority`, { priority: 'extreme' })).statusCode, 422);

    // Status: along the machine only.
    assert.equal((await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/status`, { status: 'resolved' })).statusCode, 303);
    const refused = await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/status`, { status: 'waiting_on_customer' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /cannot become waiting on customer/);
    assert.equal((await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/status`, { status: 'closed' })).statusCode, 303);
    assert.equal((await postForm(PLATFORM, `/console/support/tickets/${ticketA.id}/status`, { status: 'open' })).statusCode, 409, 'closed is final');
  });

  test('the console is platform staff’s: a business owner (whose role is *) holds no platform.support.* and is refused, and sees no link to it', async () => {
    const ticket = await openTicket(t, A);
    for (const url of ['/console/support', `/console/support/tickets/${ticket.id}`]) {
      const response = await page(A, url);
      assert.equal(response.statusCode, 403, url);
    }
    const write = await postForm(A, `/console/support/tickets/${ticket.id}/status`, { status: 'resolved' });
    assert.equal(write.statusCode, 403);
    const [row] = await owner<{ status: string }>('SELECT status FROM support_ticket WHERE id = $1', [ticket.id]);
    assert.equal(row?.status, 'new');

    const business = await page(A, '/support');
    assert.equal(business.statusCode, 200);
    assert.doesNotMatch(business.body, /href="\/console\/support"/);
    const staff = await page(PLATFORM, '/support');
    assert.equal(staff.statusCode, 200);
    assert.match(staff.body, /href="\/console\/support"/, 'platform staff see the inbox in the navigation');
  });

  test('defence in depth: staff use cases refuse any tenant but the platform, whatever permissions the context carries', () => {
    assert.throws(() => assertPlatformStaff({ tenantId: randomUUID() }), (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND');
    assert.doesNotThrow(() => assertPlatformStaff({ tenantId: PLATFORM_TENANT_ID }));
  });
});
