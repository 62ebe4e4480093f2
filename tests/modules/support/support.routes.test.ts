import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { APP_ROLE, createDatabase } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { markSlaBreaches } from '../../../src/modules/support/sla.job.ts';
import { A, as, B, file, MAX_BYTES, openTicket, PLATFORM, startSupportApp, type SupportTestApp, type TicketBody } from './helpers.ts';

const HOUR = 3_600_000;

describe('support tickets API /v1/support', () => {
  let t: SupportTestApp;
  before(async () => {
    t = await startSupportApp();
  });
  after(() => t.close());

  const owner = <R extends Record<string, unknown>>(text: string, values: unknown[] = []) => t.database.pool.query<R>(text, values).then((result) => result.rows);

  test('a new ticket gets SLA due times from its priority and shows in its own tenant only', async () => {
    for (const [priority, first, resolution] of [['urgent', 1, 8], ['high', 4, 24], ['normal', 8, 72], ['low', 24, 168]] as const) {
      const ticket = await openTicket(t, A, { priority, category: 'technical' });
      const created = Date.parse(ticket.createdAt);
      assert.equal(Date.parse(ticket.sla.firstResponseDueAt) - created, first * HOUR, priority);
      assert.equal(Date.parse(ticket.sla.resolutionDueAt) - created, resolution * HOUR, priority);
      assert.equal(ticket.status, 'new');
      assert.equal(ticket.sla.firstResponseBreached, false);
    }
    const listA = (await as(t, A, 'GET', '/v1/support/tickets')).json() as { data: TicketBody[] };
    const listB = (await as(t, B, 'GET', '/v1/support/tickets')).json() as { data: TicketBody[] };
    assert.ok(listA.data.length >= 4);
    assert.ok(listA.data.every((ticket) => ticket.tenantId === t.tenantA.id));
    assert.equal(listB.data.some((ticket) => ticket.tenantId === t.tenantA.id), false);
  });

  test("another tenant's ticket and file answer exactly like missing ones (read, reply, close, download)", async () => {
    const ticket = await openTicket(t, A, { attachments: [file('log.txt', 'text/plain', 'secret log')] });
    const fileId = ticket.attachments[0]?.id as string;
    const missing = randomUUID();
    const pairs: [string, string, 'GET' | 'POST', Record<string, unknown>?][] = [
      [`/v1/support/tickets/${ticket.id}`, `/v1/support/tickets/${missing}`, 'GET'],
      [`/v1/support/tickets/${ticket.id}/messages`, `/v1/support/tickets/${missing}/messages`, 'POST', { body: 'Hi' }],
      [`/v1/support/tickets/${ticket.id}/close`, `/v1/support/tickets/${missing}/close`, 'POST'],
      [`/v1/support/tickets/${ticket.id}/attachments/${fileId}`, `/v1/support/tickets/${missing}/attachments/${fileId}`, 'GET'],
      [`/v1/support/tickets/${ticket.id}/attachments/${fileId}`, `/v1/support/tickets/${ticket.id}/attachments/${missing}`, 'GET'],
    ];
    for (const [foreign, absent, method, payload] of pairs) {
      const fromB = await as(t, B, method, foreign, payload);
      const nowhere = await as(t, B, method, absent, payload);
      assert.equal(fromB.statusCode, 404, `${method} ${foreign}: ${fromB.body}`);
      assert.deepEqual(fromB.json(), nowhere.json(), `${method} ${foreign}`);
    }
    const after = (await as(t, A, 'GET', `/v1/support/tickets/${ticket.id}`)).json() as { data: TicketBody };
    assert.equal(after.data.status, 'new', "B's close changed nothing");
    assert.equal(after.data.messages.length, 0, "B's reply was not written");
  });

  test('attachments: upload and download round trip with checksum; oversize and disallowed types are VALIDATION and store nothing', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    const ticket = await openTicket(t, A, { attachments: [file('../../Screen shot.png', 'image/png', bytes)] });
    const meta = ticket.attachments[0];
    assert.ok(meta);
    assert.equal(meta.fileName, 'Screen shot.png', 'the name is sanitised');
    assert.equal(meta.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(meta.sizeBytes, bytes.length);
    const download = await as(t, A, 'GET', `/v1/support/tickets/${ticket.id}/attachments/${meta.id}`);
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, bytes);
    assert.equal(download.headers['content-type'], 'image/png');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="Screen shot.png"/);
    assert.equal(download.headers['x-checksum-sha256'], meta.sha256);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');

    const [stored] = await owner<{ sha256: string; storage_key: string }>('SELECT sha256, storage_key FROM support_attachment WHERE id = $1', [meta.id]);
    assert.equal(stored?.sha256, meta.sha256);
    assert.equal(stored?.storage_key, `${t.tenantA.id}/${ticket.id}/${meta.id}`);

    const countFiles = async () => Number((await owner<{ n: string }>('SELECT count(*) AS n FROM support_attachment'))[0]?.n);
    const before = await countFiles();
    const oversize = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/messages`, { body: 'Big file', attachments: [file('big.pdf', 'application/pdf', Buffer.alloc(MAX_BYTES + 1, 1))] });
    assert.equal(oversize.statusCode, 400, oversize.body);
    assert.equal((oversize.json() as { error: { code: string; details: { reason: string } } }).error.details.reason, 'SUPPORT_FILE_TOO_LARGE');
    const html = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/messages`, { body: 'Page', attachments: [file('page.html', 'text/html', '<script>alert(1)</script>')] });
    assert.equal(html.statusCode, 400, html.body);
    assert.equal((html.json() as { error: { code: string; details: { reason: string } } }).error.code, 'VALIDATION');
    assert.equal((html.json() as { error: { details: { reason: string } } }).error.details.reason, 'SUPPORT_FILE_TYPE');
    assert.equal(await countFiles(), before, 'no rows for refused files');
    const thread = (await as(t, A, 'GET', `/v1/support/tickets/${ticket.id}`)).json() as { data: TicketBody };
    assert.equal(thread.data.messages.length, 0, 'no message either');
  });

  test('a damaged stored file is never handed out', async () => {
    const ticket = await openTicket(t, A, { attachments: [file('a.txt', 'text/plain', 'original')] });
    const meta = ticket.attachments[0] as TicketBody['attachments'][number];
    await owner(`UPDATE support_attachment SET sha256 = $2 WHERE id = $1`, [meta.id, 'f'.repeat(64)]);
    const download = await as(t, A, 'GET', `/v1/support/tickets/${ticket.id}/attachments/${meta.id}`);
    assert.equal(download.statusCode, 500);
  });

  test('customer status changes: reopen only a resolved ticket within 7 days, never a closed one (CONFLICT)', async () => {
    const ticket = await openTicket(t, A);
    const reopenNew = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/reopen`);
    assert.equal(reopenNew.statusCode, 409);
    assert.equal((reopenNew.json() as { error: { details: { reason: string } } }).error.details.reason, 'SUPPORT_STATUS_TRANSITION');

    await owner(`UPDATE support_ticket SET status = 'resolved', resolved_at = now() - interval '8 days' WHERE id = $1`, [ticket.id]);
    const late = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/reopen`);
    assert.equal(late.statusCode, 409);
    assert.equal((late.json() as { error: { details: { reason: string } } }).error.details.reason, 'SUPPORT_REOPEN_EXPIRED');
    const replyResolved = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/messages`, { body: 'Still broken' });
    assert.equal(replyResolved.statusCode, 409);

    await owner(`UPDATE support_ticket SET resolved_at = now() - interval '2 days' WHERE id = $1`, [ticket.id]);
    const reopened = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/reopen`);
    assert.equal(reopened.statusCode, 200, reopened.body);
    assert.equal((reopened.json() as { data: TicketBody }).data.status, 'open');
    assert.equal((reopened.json() as { data: TicketBody }).data.sla.resolvedAt, null);

    const reply = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/messages`, { body: 'Still broken' });
    assert.equal((reply.json() as { data: TicketBody }).data.status, 'waiting_on_platform');
    const closed = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/close`);
    assert.equal((closed.json() as { data: TicketBody }).data.status, 'closed');
    assert.equal((await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/close`)).statusCode, 409);
    assert.equal((await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/reopen`)).statusCode, 409);

    // A refused reply's files are removed again from storage (the upload's compensation).
    const refused = await as(t, A, 'POST', `/v1/support/tickets/${ticket.id}/messages`, { body: 'One more', attachments: [file('late.txt', 'text/plain', 'late')] });
    assert.equal(refused.statusCode, 409);
    const folder = path.join(t.dataDir, 'attachments', t.tenantA.id, ticket.id);
    assert.deepEqual(await readdir(folder).catch(() => []), [], 'no file left behind');

    const audit = await owner<{ action: string }>(`SELECT action FROM audit_event WHERE tenant_id = $1 AND target_id = $2 ORDER BY seq`, [t.tenantA.id, ticket.id]);
    assert.deepEqual(audit.map((row) => row.action), ['support.ticket.created', 'support.ticket.reopened', 'support.ticket.replied', 'support.ticket.closed']);
  });

  test('opening a ticket queues an email to platform staff, under the platform tenant', async () => {
    const staff = await t.ownerOf(PLATFORM);
    const ticket = await openTicket(t, B, { subject: 'Card reader', priority: 'high' });
    const rows = await owner<{ tenant_id: string; recipient: string; data: { ticketId: string } }>(
      `SELECT tenant_id, recipient, data FROM notify_delivery WHERE template = 'support.ticket-opened' AND data->>'ticketId' = $1`,
      [ticket.id],
    );
    assert.deepEqual(rows.map((row) => [row.tenant_id, row.recipient]), [[PLATFORM_TENANT_ID, staff.email]]);
    const events = await owner<{ type: string }>(`SELECT type FROM jobs_outbox WHERE tenant_id = $1 AND payload->>'ticketId' = $2`, [t.tenantB.id, ticket.id]);
    assert.deepEqual(events.map((row) => row.type), ['support.ticket.created']);
  });

  test('the staff inbox lists tickets of several tenants, with filters; businesses get 404 for it', async () => {
    await t.ownerOf(PLATFORM);
    const a = await openTicket(t, A, { subject: 'Inbox A', priority: 'urgent' });
    const b = await openTicket(t, B, { subject: 'Inbox B', priority: 'low' });
    const inbox = async (query = '') => {
      const response = await as(t, PLATFORM, 'GET', `/v1/support/inbox${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { data: (TicketBody & { tenantName: string })[] }).data;
    };
    const all = await inbox('?pageSize=100');
    const ids = all.map((ticket) => ticket.id);
    assert.ok(ids.includes(a.id) && ids.includes(b.id), 'both tenants');
    assert.equal(all.find((ticket) => ticket.id === a.id)?.tenantName, 'Tenant A');
    assert.equal(all.find((ticket) => ticket.id === b.id)?.tenantName, 'Tenant B');
    assert.equal('body' in (all[0] ?? {}), false, 'summaries only');
    const urgent = await inbox('?priority=urgent&pageSize=100');
    assert.ok(urgent.every((ticket) => ticket.priority === 'urgent') && urgent.some((ticket) => ticket.id === a.id));
    assert.ok(!urgent.some((ticket) => ticket.id === b.id));

    await t.database.pool.query(`UPDATE support_ticket SET first_response_due_at = now() - interval '1 minute' WHERE id = $1`, [b.id]);
    const breached = await inbox('?breached=true&pageSize=100');
    assert.ok(breached.some((ticket) => ticket.id === b.id) && !breached.some((ticket) => ticket.id === a.id));
    assert.ok((await inbox('?breached=false&pageSize=100')).some((ticket) => ticket.id === a.id));
    assert.ok((await inbox('?assignee=none&pageSize=100')).some((ticket) => ticket.id === a.id));

    // A business owner's '*' role does not reach platform.* permissions: no inbox.
    const fromBusiness = await as(t, A, 'GET', '/v1/support/inbox');
    assert.equal(fromBusiness.statusCode, 403);
    assert.deepEqual((fromBusiness.json() as { error: { details: unknown } }).error.details, { reason: 'PERMISSION_REQUIRED', permission: 'platform.support.read' });
  });

  test('the app role cannot read tickets outside a tenant transaction, nor call the staff functions outside the platform tenant', async () => {
    await openTicket(t, A);
    const app = createDatabase(t.database.url, { poolMax: 1, log: createLogger('silent'), role: APP_ROLE });
    try {
      const plain = await app.pool.query<{ n: string }>('SELECT count(*) AS n FROM support_ticket');
      assert.equal(Number(plain.rows[0]?.n), 0, 'row-level security hides every ticket');
      const ownerCount = await owner<{ n: string }>('SELECT count(*) AS n FROM support_ticket');
      assert.ok(Number(ownerCount[0]?.n) > 0);
      await assert.rejects(app.pool.query(`SELECT * FROM support_staff_inbox(NULL, NULL, NULL, NULL, 10, 0)`), /platform-tenant transaction/);
      const client = await app.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [t.tenantA.id]);
        await assert.rejects(client.query(`SELECT * FROM support_staff_inbox(NULL, NULL, NULL, NULL, 10, 0)`), /platform-tenant transaction/);
        await client.query('ROLLBACK');
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [PLATFORM_TENANT_ID]);
        const rows = await client.query(`SELECT * FROM support_staff_inbox(NULL, NULL, NULL, NULL, 10, 0)`);
        assert.ok(rows.rows.length > 0, 'the platform scope sees the inbox');
        const direct = await client.query<{ n: string }>('SELECT count(*) AS n FROM support_ticket');
        assert.equal(Number(direct.rows[0]?.n), 0, 'even in the platform scope, the table itself stays hidden');
        const messages = await client.query<{ n: string }>('SELECT count(*) AS n FROM support_message');
        assert.equal(Number(messages.rows[0]?.n), 0);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    } finally {
      await app.close();
    }
  });

  test('SLA breaches are marked once and emit support.ticket.sla_breached once per deadline', async () => {
    const ticket = await openTicket(t, A, { priority: 'urgent' });
    const calm = await openTicket(t, A, { priority: 'low' });
    await owner(`UPDATE support_ticket SET first_response_due_at = now() - interval '5 minutes', resolution_due_at = now() - interval '1 minute' WHERE id = $1`, [ticket.id]);
    const db = createDatabase(t.database.url, { poolMax: 2, log: createLogger('silent'), role: APP_ROLE });
    try {
      const first = await markSlaBreaches(db.db, undefined);
      assert.ok(first >= 2, `marked ${first}`);
      assert.equal(await markSlaBreaches(db.db, undefined), 0, 'a second run marks nothing');
    } finally {
      await db.close();
    }
    const events = await owner<{ kind: string }>(`SELECT payload->>'kind' AS kind FROM jobs_outbox WHERE type = 'support.ticket.sla_breached' AND payload->>'ticketId' = $1 ORDER BY kind`, [ticket.id]);
    assert.deepEqual(events.map((row) => row.kind), ['first_response', 'resolution']);
    const none = await owner(`SELECT 1 FROM jobs_outbox WHERE type = 'support.ticket.sla_breached' AND payload->>'ticketId' = $1`, [calm.id]);
    assert.equal(none.length, 0);
    const shown = (await as(t, A, 'GET', `/v1/support/tickets/${ticket.id}`)).json() as { data: TicketBody };
    assert.equal(shown.data.sla.firstResponseBreached, true);
    assert.equal(shown.data.sla.resolutionBreached, true);
    const audit = await owner(`SELECT 1 FROM audit_event WHERE tenant_id = $1 AND target_id = $2 AND action = 'support.ticket.sla_breached'`, [t.tenantA.id, ticket.id]);
    assert.equal(audit.length, 2);
  });
});
