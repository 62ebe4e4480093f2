import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startTestApp } from '../../support/app.ts';
import {
  adminBrowser,
  approveAll,
  inviteLink,
  lastCodeSentTo,
  navOf,
  newCommunity,
  pendingCredentials,
  register,
  signInAs,
  submit,
  userIdOf,
  visit,
} from './support.ts';

const t = await startTestApp();
after(() => t.close());
const community = await newCommunity(t);

const pool = t.database.pool;

describe('invites', () => {
  test('an invite for two is used twice, then refused as used up', async () => {
    const link = await inviteLink(t, community, { maxUses: 2 });
    for (let use = 0; use < 2; use++) {
      const { response } = await register(t, link);
      assert.equal(response.statusCode, 303, response.body);
      assert.match(String(response.headers.location), /^\/requests/);
    }
    const third = await register(t, link);
    assert.equal(third.response.statusCode, 409);
    assert.match(third.response.body, /used up/);
    const { rows } = await pool.query('SELECT uses, max_uses FROM community_invite WHERE tenant_id = $1 AND uses = 2', [community.tenant.id]);
    assert.equal(rows.length, 1);
  });

  test('an expired invite is refused, shown and posted', async () => {
    const link = await inviteLink(t, community, { maxUses: 5 });
    await pool.query("UPDATE community_invite SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1 AND uses = 0 AND max_uses = 5", [community.tenant.id]);
    const shown = await t.app.inject({ method: 'GET', url: link, headers: { accept: 'text/html' } });
    assert.equal(shown.statusCode, 409);
    assert.match(shown.body, /expired/);
    const { response } = await register(t, link);
    assert.equal(response.statusCode, 409);
  });

  test('a registration records the inviter and the note is shown; the username must be free', async () => {
    const link = await inviteLink(t, community, { maxUses: 3, note: 'Welcome to the garden group!', suggestedUsername: 'gardener' });
    const page = await t.app.inject({ method: 'GET', url: link, headers: { accept: 'text/html' } });
    assert.match(page.body, /Welcome to the garden group!/);
    assert.match(page.body, /value="gardener"/);
    const first = await register(t, link, { username: 'gardener' });
    assert.equal(first.response.statusCode, 303);
    const taken = await register(t, link, { username: 'gardener' });
    assert.equal(taken.response.statusCode, 409);
    assert.match(taken.response.body, /username is taken/);
    const { rows } = await pool.query('SELECT inviter_user_id FROM community_member WHERE tenant_id = $1 AND username = $2', [community.tenant.id, 'gardener']);
    assert.equal(rows[0].inviter_user_id, community.admin.userId);
  });

  test('an unknown code and another community’s code look alike', async () => {
    const other = await newCommunity(t);
    const foreign = await inviteLink(t, other);
    const code = foreign.split('/').at(-1) as string;
    const elsewhere = await t.app.inject({ method: 'GET', url: `/join/${community.tenant.slug}/${code}`, headers: { accept: 'text/html' } });
    const missing = await t.app.inject({ method: 'GET', url: `/join/${community.tenant.slug}/no-such-code`, headers: { accept: 'text/html' } });
    assert.equal(elsewhere.statusCode, 404);
    assert.equal(elsewhere.body.replace(/value="[^"]*"/g, ''), missing.body.replace(/value="[^"]*"/g, '').replace('no-such-code', code));
  });
});

describe('half-authenticated sign-ins', () => {
  test('a sign-in starts half-authenticated: reduced navigation, drafting only', async () => {
    const { email, password } = await register(t, await inviteLink(t, community));
    const browser = await signInAs(t, email, password);
    const feed = await visit(t, browser, '/requests');
    assert.equal(feed.statusCode, 200);
    assert.deepEqual(navOf(feed.body), ['Verify sign-in', 'Requests']);
    const drafted = await submit(t, browser, '/requests', { title: 'Help moving a sofa', body: 'Saturday, 2 people', syncScope: 'private' });
    assert.equal(drafted.statusCode, 303);
    const id = /\/requests\/([0-9a-f-]{36})/.exec(String(drafted.headers.location))?.[1] as string;
    const { rows } = await pool.query('SELECT status FROM requests_request WHERE id = $1', [id]);
    assert.equal(rows[0].status, 'pending');
    await visit(t, browser, `/requests/${id}`);
    for (const [url, fields] of [
      [`/requests/${id}/comments`, { body: 'me' }],
      [`/requests/${id}/complete`, {}],
      ['/invites', {}],
    ] as const) {
      const refused = await submit(t, browser, url, fields);
      assert.equal(refused.statusCode, 403, url);
    }
    const api = await t.app.inject({ method: 'GET', url: '/invites', headers: { cookie: browser.cookie, accept: 'application/json' } });
    assert.equal(api.statusCode, 403);
    assert.equal(api.json().error.details.reason, 'COMMUNITY_SIGN_IN_UNVERIFIED');
    // The other members do not see the draft.
    const admin = await adminBrowser(t, community);
    const adminView = await t.app.inject({ method: 'GET', url: '/v1/requests?status=pending', headers: { cookie: admin.cookie } });
    assert.ok(adminView.json().data.some((request: { id: string }) => request.id === id), 'moderators see pending requests');
    const userId = await userIdOf(t, email);
    const other = await register(t, await inviteLink(t, community));
    const otherView = await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: { cookie: other.browser.cookie } });
    assert.equal(otherView.statusCode, 404);
    assert.ok(userId);
  });

  test('codes rotate, are rate-limited, and five wrong ones lock the sign-in', async () => {
    const { email, password } = await register(t, await inviteLink(t, community));
    const browser = await signInAs(t, email, password);
    await visit(t, browser, '/verify');
    assert.equal((await submit(t, browser, '/verify/code')).statusCode, 303);
    const first = await lastCodeSentTo(t, email);
    const tooSoon = await submit(t, browser, '/verify/code');
    assert.equal(tooSoon.statusCode, 429);
    // A minute later a new code replaces the first.
    await pool.query("UPDATE community_credential SET last_code_sent_at = now() - interval '2 minutes' WHERE credential_key LIKE 'session:%' AND user_id = (SELECT id FROM app_user WHERE email = lower($1))", [email]);
    assert.equal((await submit(t, browser, '/verify/code')).statusCode, 303);
    const second = await lastCodeSentTo(t, email);
    if (first !== second) assert.equal((await submit(t, browser, '/verify', { code: first })).statusCode, 422, 'the rotated-out code no longer works');
    const wrong = second === '000000' ? '000001' : '000000';
    let last;
    for (let attempt = 0; attempt < 4; attempt++) last = await submit(t, browser, '/verify', { code: wrong });
    assert.equal(last?.statusCode, first !== second ? 429 : 422, 'the fifth wrong code locks');
    if (first === second) assert.equal((await submit(t, browser, '/verify', { code: wrong })).statusCode, 429);
    const locked = await submit(t, browser, '/verify', { code: second });
    assert.equal(locked.statusCode, 429, 'even the right code is refused while locked');
    assert.match(locked.body, /Too many wrong codes/);
    const { rows } = await pool.query("SELECT action FROM audit_event WHERE tenant_id = $1 AND action = 'community.sign_in.locked'", [community.tenant.id]);
    assert.equal(rows.length, 1);
  });

  test('an emailed code verifies the sign-in: full navigation, audited with where from', async () => {
    const { email, password } = await register(t, await inviteLink(t, community));
    const browser = await signInAs(t, email, password);
    await visit(t, browser, '/verify');
    await submit(t, browser, '/verify/code');
    const code = await lastCodeSentTo(t, email);
    const verified = await submit(t, browser, '/verify', { code });
    assert.equal(verified.statusCode, 303);
    const feed = await visit(t, browser, '/requests');
    assert.deepEqual(navOf(feed.body), ['Requests', 'Invites'], 'Community (Requests) comes before People (Invites)');
    const { rows } = await pool.query("SELECT data FROM audit_event WHERE tenant_id = $1 AND action = 'community.sign_in.verified' ORDER BY seq DESC LIMIT 1", [community.tenant.id]);
    assert.equal(rows[0].data.from, '127.0.0.1');
  });

  test('an approval invite waits for an administrator, who approves at /admin/sessions (audited with who and from where)', async () => {
    const { browser, response, email } = await register(t, await inviteLink(t, community, { mode: 'approval' }));
    assert.equal(response.headers.location?.startsWith('/verify'), true);
    await visit(t, browser, '/verify');
    const refused = await submit(t, browser, '/verify/code');
    assert.equal(refused.statusCode, 409, 'no code for a member awaiting approval');
    const userId = await userIdOf(t, email);
    const [credential] = await pendingCredentials(t, community.tenant.id, userId);
    const admin = await adminBrowser(t, community);
    const list = await visit(t, admin, '/admin/sessions');
    assert.match(list.body, /Approval as a new member/);
    const approved = await submit(t, admin, `/admin/sessions/${credential}/approve`);
    assert.equal(approved.statusCode, 303);
    const again = await submit(t, admin, `/admin/sessions/${credential}/approve`);
    assert.equal(again.statusCode, 409);
    const feed = await visit(t, browser, '/requests');
    assert.ok(navOf(feed.body).includes('Invites'));
    const { rows } = await pool.query("SELECT actor, data FROM audit_event WHERE tenant_id = $1 AND action = 'community.sign_in.approved' AND target_id = $2", [community.tenant.id, credential]);
    assert.equal(rows[0].actor, `user:${community.admin.userId}`);
    assert.deepEqual({ via: rows[0].data.via, from: rows[0].data.from, by: rows[0].data.by }, { via: 'admin', from: '127.0.0.1', by: community.admin.userId });
  });

  test('denying a sign-in ends it', async () => {
    const { email, password } = await register(t, await inviteLink(t, community));
    const browser = await signInAs(t, email, password);
    const [credential] = await pendingCredentials(t, community.tenant.id, await userIdOf(t, email));
    const admin = await adminBrowser(t, community);
    await visit(t, admin, '/admin/sessions');
    assert.equal((await submit(t, admin, `/admin/sessions/${credential}/deny`)).statusCode, 303);
    const after = await t.app.inject({ method: 'GET', url: '/requests', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/sign-in/);
  });

  test('create-admin is idempotent', async () => {
    const { bootstrapAdmin } = await import('../../../src/modules/community/index.ts');
    const { mutualaidEdition } = await import('../../../src/editions/mutualaid.ts');
    const input = {
      slug: community.tenant.slug,
      communityName: 'ignored',
      email: community.admin.email,
      displayName: 'x',
      username: 'another_name',
      templates: mutualaidEdition.roleTemplates,
      declared: new Set<string>(),
    };
    const again = await bootstrapAdmin(t.app.db, { ...input, declared: (await import('../../../src/kernel/module/index.ts')).declaredPermissions((await import('../../../src/editions/compose.ts')).planEditions({ editions: undefined }).modules) });
    assert.equal(again.changed, false);
    assert.equal(again.password, undefined);
    await approveAll(t, community.tenant.id, community.admin.userId);
  });
});
