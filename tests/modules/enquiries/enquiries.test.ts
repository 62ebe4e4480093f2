import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { formClock } from '../../../src/modules/enquiries/form-token.ts';
import { startTestApp } from '../../support/app.ts';
import { findTag, pageText } from '../../support/html.ts';
import { newKitchen, receivedEnquiry } from './support.ts';

const t = await startTestApp();
after(() => t.close());
const kitchen = await newKitchen(t, 'kitchen-a');
const otherKitchen = await newKitchen(t, 'kitchen-b');

const FORM = 'application/x-www-form-urlencoded';
const clock = formClock(t.rootSecret);
const owner = async <T>(query: string, values: unknown[]) => (await t.database.pool.query(query, values)).rows as T[];
const enquiriesFrom = (email: string) => owner<{ id: string; kind: string; status: string; name: string }>('SELECT id, kind, status, name FROM enquiries_enquiry WHERE tenant_id = $1 AND email = $2', [kitchen.id, email]);

async function postPublic(path: string, fields: Record<string, string>) {
  const browser = await t.browserAs(undefined);
  return t.app.inject({ method: 'POST', url: path, headers: { cookie: browser.cookie, 'content-type': FORM }, payload: new URLSearchParams({ _csrf: browser.csrfToken, ...fields }).toString() });
}

describe('public enquiry forms', () => {
  const slug = kitchen.slug;
  const aMinuteAgo = () => clock.issue(slug, Date.now() - 60_000);

  test('the form is plain HTML with a signed clock and a hidden honeypot', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/site/${slug}/request-access`, headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 200);
    const shown = findTag(response.body, 'input', { name: 'clock' }).attributes.value ?? '';
    assert.ok(clock.shownAt(slug, shown) !== undefined, 'the clock verifies');
    assert.equal(findTag(response.body, 'input', { name: 'website' }).attributes.tabindex, '-1');
    assert.doesNotMatch(response.body, /<script/);
  });

  test('an unhurried visitor’s request lands in the pipeline as new, audited, and staff are emailed', async () => {
    const email = 'priya@example.com';
    const response = await postPublic(`/site/${slug}/request-access`, { name: 'Priya Shah', email, phone: '07700 900123', message: 'Peanut allergy.', clock: aMinuteAgo(), website: '' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/site/${slug}/thanks`);
    const [stored] = await enquiriesFrom(email);
    assert.equal(stored?.kind, 'access');
    assert.equal(stored?.status, 'new');
    const audit = await owner('SELECT 1 FROM audit_event WHERE tenant_id = $1 AND target_id = $2 AND action = $3', [kitchen.id, stored?.id, 'enquiries.enquiry.received']);
    assert.equal(audit.length, 1);
    const ownerEmail = (await t.ownerOf(slug)).email;
    const mails = await owner<{ recipient: string }>(`SELECT recipient FROM notify_delivery WHERE template = 'enquiries.enquiry-received' AND data->>'enquiryId' = $1`, [stored?.id]);
    assert.deepEqual(mails.map((mail) => mail.recipient), [ownerEmail]);
  });

  test('a filled honeypot, a form sent at once and a forged clock all get the thanks but store nothing', async () => {
    const cases = [
      { email: 'bot1@example.com', clock: aMinuteAgo(), website: 'http://spam.example' },
      { email: 'bot2@example.com', clock: clock.issue(slug), website: '' },
      { email: 'bot3@example.com', clock: `${Date.now() - 60_000}.forged`, website: '' },
    ];
    for (const fields of cases) {
      const response = await postPublic(`/site/${slug}/enquire`, { name: 'Bot', message: 'Cheap pills', ...fields });
      assert.equal(response.statusCode, 303, fields.email);
      assert.deepEqual(await enquiriesFrom(fields.email), [], fields.email);
    }
  });

  test('a mistyped email comes back on the form with what was typed, keeping the clock', async () => {
    const token = aMinuteAgo();
    const response = await postPublic(`/site/${slug}/enquire`, { name: 'Tom', email: 'tom-at-example', message: 'Sundays?', clock: token, website: '' });
    assert.equal(response.statusCode, 422);
    assert.match(pageText(response.body), /Enter an email address/);
    assert.equal(findTag(response.body, 'input', { name: 'name' }).attributes.value, 'Tom');
    assert.equal(findTag(response.body, 'input', { name: 'clock' }).attributes.value, token);
  });

  test('an unknown business has no forms', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/site/no-such-business/enquire', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 404);
  });

  test('a business whose edition has no enquiries (a retail shop) has no forms either, and takes no post', async () => {
    const shown = await t.app.inject({ method: 'GET', url: `/site/${t.tenantB.slug}/enquire`, headers: { accept: 'text/html' } });
    assert.equal(shown.statusCode, 404);
    const clockOfB = clock.issue(t.tenantB.slug, Date.now() - 60_000);
    const posted = await postPublic(`/site/${t.tenantB.slug}/enquire`, { name: 'Rita', email: 'rita@example.com', message: 'Hello', clock: clockOfB });
    assert.equal(posted.statusCode, 404);
    const stored = await owner<{ count: string }>('SELECT count(*) FROM enquiries_enquiry WHERE tenant_id = $1', [t.tenantB.id]);
    assert.equal(Number(stored[0]?.count), 0);
  });
});

describe('staff pipeline', () => {
  test('new → contacted → qualified → closed with its reason, each step audited; a skipped step is refused', async () => {
    const headers = await t.headersFor(kitchen.slug);
    const id = await receivedEnquiry(t, kitchen.id, 'access');
    const call = (path: string, payload?: object) => t.app.inject({ method: 'POST', url: `/v1/enquiries/${id}/${path}`, headers, ...(payload ? { payload } : {}) });

    const skipped = await call('qualify');
    assert.equal(skipped.statusCode, 409);
    assert.equal(skipped.json().error.details.reason, 'ENQUIRY_STATUS_TRANSITION');

    assert.equal((await call('contact')).json().data.status, 'contacted');
    assert.equal((await call('qualify')).json().data.status, 'qualified');
    assert.equal((await call('close', { reason: '' })).statusCode, 400);
    const closed = (await call('close', { reason: 'Chose another provider' })).json().data;
    assert.equal(closed.status, 'closed');
    assert.equal(closed.closeReason, 'Chose another provider');
    assert.equal((await call('contact')).statusCode, 409);

    const steps = await owner<{ action: string; data: { from: string; to: string } }>('SELECT action, data FROM audit_event WHERE tenant_id = $1 AND target_id = $2 ORDER BY occurred_at, id', [kitchen.id, id]);
    assert.deepEqual(
      steps.map((step) => step.action),
      ['enquiries.enquiry.received', 'enquiries.enquiry.contacted', 'enquiries.enquiry.qualified', 'enquiries.enquiry.closed'],
    );
  });

  test('the pipeline lists and filters; another business’s enquiry is not found', async () => {
    const headers = await t.headersFor(kitchen.slug);
    const mine = await receivedEnquiry(t, kitchen.id, 'enquiry', { name: 'Listed Visitor' });
    const theirs = await receivedEnquiry(t, otherKitchen.id);
    const listed = (await t.app.inject({ method: 'GET', url: '/v1/enquiries?status=new&kind=enquiry', headers })).json();
    assert.ok(listed.data.some((enquiry: { id: string }) => enquiry.id === mine));
    assert.ok(listed.data.every((enquiry: { status: string; kind: string }) => enquiry.status === 'new' && enquiry.kind === 'enquiry'));
    assert.equal((await t.app.inject({ method: 'GET', url: `/v1/enquiries/${theirs}`, headers })).statusCode, 404);

    const browser = await t.browserFor(kitchen.slug);
    const page = await t.app.inject({ method: 'GET', url: `/enquiries/${mine}`, headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Listed Visitor/);
    assert.match(pageText(page.body), /Mark contacted/);
  });
});
