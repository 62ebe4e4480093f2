import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  createSession,
  DEFAULT_SESSION_POLICY,
  listSessions,
  markStepUp,
  revokeAllSessions,
  revokeSession,
  rotateSession,
  setActiveTenant,
  setUserStatus,
  validateSession,
} from '../../../src/kernel/identity/index.ts';
import { later, newUser, overlapping, startIdentityFixture, T0, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f.close());

const IDLE = DEFAULT_SESSION_POLICY.idleSeconds;
const ABSOLUTE = DEFAULT_SESSION_POLICY.absoluteSeconds;

describe('browser sessions', () => {
  test('the defaults are 30 minutes idle and 12 hours absolute', () => {
    assert.equal(IDLE, 1800);
    assert.equal(ABSOLUTE, 43_200);
  });

  test('a new session validates; only the SHA-256 of its 32-byte token is stored', async () => {
    const user = await newUser(f.db, { password: null });
    const { token, session } = await createSession(f.db, { userId: user.id, activeTenantId: f.tenantA.id, ip: '192.0.2.4', userAgent: 'Firefox' }, { now: T0 });
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.deepEqual(session.idleExpiresAt, later(IDLE));
    assert.deepEqual(session.absoluteExpiresAt, later(ABSOLUTE));

    const valid = await validateSession(f.db, token, { now: later(5) });
    assert.equal(valid?.session.id, session.id);
    assert.equal(valid?.user.id, user.id);
    assert.equal(valid?.session.activeTenantId, f.tenantA.id);

    const { rows } = await f.owner.db.execute<{ token_hash: string }>(sql`SELECT token_hash FROM identity_session WHERE id = ${session.id}`);
    assert.equal(rows[0]?.token_hash, createHash('sha256').update(token).digest('hex'));
    assert.equal(await validateSession(f.db, 'made-up-token', { now: T0 }), null);
  });

  test('idle expiry: unused for 30 minutes ends it; use slides it, writing at most once a minute', async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await createSession(f.db, { userId: user.id }, { now: T0 });

    const soon = await validateSession(f.db, token, { now: later(30) });
    assert.deepEqual(soon?.session.lastSeenAt, T0, 'within the touch interval nothing is written');
    const touched = await validateSession(f.db, token, { now: later(IDLE - 1) });
    assert.deepEqual(touched?.session.lastSeenAt, later(IDLE - 1));
    assert.deepEqual(touched?.session.idleExpiresAt, later(2 * IDLE - 1));

    assert.notEqual(await validateSession(f.db, token, { now: later(2 * IDLE - 2) }), null);
    const other = await createSession(f.db, { userId: user.id }, { now: T0 });
    assert.equal(await validateSession(f.db, other.token, { now: later(IDLE) }), null, 'an unused session ends at its idle expiry');
  });

  test('absolute expiry ends a busy session, and idle expiry never slides past it', async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await createSession(f.db, { userId: user.id }, { now: T0 });
    let now = T0;
    for (let step = 1; now < later(ABSOLUTE - IDLE); step++) {
      now = later(step * (IDLE - 60));
      assert.notEqual(await validateSession(f.db, token, { now }), null, `still live at ${now.toISOString()}`);
    }
    const nearEnd = await validateSession(f.db, token, { now: later(ABSOLUTE - 60) });
    assert.deepEqual(nearEnd?.session.idleExpiresAt, later(ABSOLUTE), 'capped at the absolute expiry');
    assert.equal(await validateSession(f.db, token, { now: later(ABSOLUTE) }), null);
  });

  test('a revoked session is invalid; a user may revoke only their own unless admin', async () => {
    const owner = await newUser(f.db, { password: null });
    const stranger = await newUser(f.db, { password: null });
    const { token, session } = await createSession(f.db, { userId: owner.id }, { now: T0 });

    assert.equal(await revokeSession(f.db, session.id, { userId: stranger.id }), false);
    assert.notEqual(await validateSession(f.db, token, { now: T0 }), null);
    assert.equal(await revokeSession(f.db, session.id, { userId: owner.id }), true);
    assert.equal(await validateSession(f.db, token, { now: T0 }), null);
    assert.equal(await revokeSession(f.db, session.id, { userId: owner.id }), false, 'already revoked');

    const second = await createSession(f.db, { userId: owner.id }, { now: T0 });
    assert.equal(await revokeSession(f.db, second.session.id, { userId: stranger.id, admin: true }), true);
    assert.equal(await validateSession(f.db, second.token, { now: T0 }), null);
  });

  test('rotation gives a new token, kills the old one, and keeps the absolute expiry and step-up', async () => {
    const user = await newUser(f.db, { password: null });
    const { token, session } = await createSession(f.db, { userId: user.id, activeTenantId: f.tenantB.id }, { now: T0 });
    assert.equal(await markStepUp(f.db, session.id, { now: later(60) }), true);

    const rotated = await rotateSession(f.db, token, { now: later(120) });
    assert.ok(rotated);
    assert.notEqual(rotated.token, token);
    assert.notEqual(rotated.session.id, session.id);
    assert.deepEqual(rotated.session.absoluteExpiresAt, session.absoluteExpiresAt);
    assert.deepEqual(rotated.session.stepUpAt, later(60));
    assert.equal(rotated.session.activeTenantId, f.tenantB.id);
    assert.equal(await validateSession(f.db, token, { now: later(121) }), null);
    assert.equal((await validateSession(f.db, rotated.token, { now: later(121) }))?.session.id, rotated.session.id);
    assert.equal(await rotateSession(f.db, token, { now: later(122) }), null, 'a rotated-away token cannot rotate again');
  });

  test('two concurrent rotations of one token yield one new session', async () => {
    const user = await newUser(f.db, { password: null });
    const { token, session } = await createSession(f.db, { userId: user.id }, { now: T0 });
    const results = await overlapping(f, 'SELECT 1 FROM identity_session WHERE id = $1 FOR UPDATE', [session.id], 2, () => [
      rotateSession(f.db, token, { now: later(1) }),
      rotateSession(f.db, token, { now: later(1) }),
    ]);
    assert.equal(results.filter((result) => result !== null).length, 1);
    assert.equal((await listSessions(f.db, user.id, { now: later(2) })).length, 1);
  });

  test('listSessions shows the live sessions only; revokeAllSessions ends them all', async () => {
    const user = await newUser(f.db, { password: null });
    const first = await createSession(f.db, { userId: user.id, userAgent: 'Phone' }, { now: T0 });
    const second = await createSession(f.db, { userId: user.id, userAgent: 'Laptop' }, { now: later(1) });
    await createSession(f.db, { userId: user.id }, { now: later(-IDLE - 10) });
    const third = await createSession(f.db, { userId: user.id }, { now: later(2) });
    await revokeSession(f.db, third.session.id, { userId: user.id });

    const listed = await listSessions(f.db, user.id, { now: later(3) });
    assert.deepEqual(listed.map((session) => session.id), [first.session.id, second.session.id]);
    assert.deepEqual(listed.map((session) => session.userAgent), ['Phone', 'Laptop']);
    assert.equal('tokenHash' in (listed[0] ?? {}), false);

    assert.equal(await revokeAllSessions(f.db, user.id), 3, 'the expired-but-unrevoked one is revoked too');
    assert.deepEqual(await listSessions(f.db, user.id, { now: later(3) }), []);
  });

  test('setActiveTenant switches the tenant of a live session only', async () => {
    const user = await newUser(f.db, { password: null });
    const { token, session } = await createSession(f.db, { userId: user.id }, { now: T0 });
    assert.equal(session.activeTenantId, null);
    assert.equal(await setActiveTenant(f.db, session.id, f.tenantA.id), true);
    assert.equal((await validateSession(f.db, token, { now: T0 }))?.session.activeTenantId, f.tenantA.id);
    await revokeSession(f.db, session.id, { userId: user.id });
    assert.equal(await setActiveTenant(f.db, session.id, f.tenantB.id), false);
    assert.equal(await markStepUp(f.db, session.id), false);
  });

  test("a disabled user's session is invalid", async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await createSession(f.db, { userId: user.id }, { now: T0 });
    // Disable behind the service's back: validation must check the user, not only the revocation.
    await f.owner.db.execute(sql`UPDATE app_user SET status = 'disabled' WHERE id = ${user.id}`);
    assert.equal(await validateSession(f.db, token, { now: T0 }), null);
    await setUserStatus(f.db, user.id, 'active');
    assert.notEqual(await validateSession(f.db, token, { now: T0 }), null);
  });
});
