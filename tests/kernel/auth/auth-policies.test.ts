import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generate } from 'otplib';
import { createSession, DEFAULT_SESSION_POLICY, setPassword, DEFAULT_PASSWORD_POLICY, validateSession, type SessionPolicy } from '../../../src/kernel/identity/index.ts';
import { AppError } from '../../../src/kernel/errors.ts';
import { sessionPolicyOf } from '../../../src/kernel/auth/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { customRole, memberWithRoles } from '../../support/members.ts';
import { newUser } from '../../support/identity.ts';
import { ownerQuery } from '../../support/catalog.ts';

const STRONG = 'amber-quarry-twilight-58';

describe('authentication policies', () => {
  let t: TestApp;
  let ownerHeaders: Record<string, string>;
  before(async () => {
    t = await startTestApp();
    ownerHeaders = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  /** A member of tenant A with a role (no permissions) and a known password. */
  async function person(roleKey?: string) {
    const key = roleKey ?? (await customRole(t, 'tenant-a', []));
    const { userId } = await memberWithRoles(t, t.tenantA, [key]);
    await setPassword(t.app.db, userId, STRONG, DEFAULT_PASSWORD_POLICY);
    const email = (await ownerQuery<{ email: string }>(t, 'SELECT email FROM app_user WHERE id = $1', [userId])).rows[0]?.email as string;
    return { userId, email, roleKey: key };
  }
  const token = (payload: Record<string, string>) => t.app.inject({ method: 'POST', url: '/v1/auth/token', payload });

  test('an administrator resets a password without email; the temporary one only serves to choose a new one', async () => {
    const member = await person();
    const issued = await t.app.inject({ method: 'POST', url: `/v1/access/members/${member.userId}/temporary-password`, headers: ownerHeaders });
    assert.equal(issued.statusCode, 201, issued.body);
    const temporary = issued.json().data.temporaryPassword as string;
    assert.equal((await token({ email: member.email, password: STRONG })).statusCode, 401, 'the old password no longer works');

    const refused = await token({ email: member.email, password: temporary });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.details.reason, 'SIGN_IN_STEPS_REQUIRED');
    assert.equal(refused.json().error.details.newPassword, true);
    const weak = await token({ email: member.email, password: temporary, newPassword: 'password1234' });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.details.field, 'newPassword');
    const same = await token({ email: member.email, password: temporary, newPassword: temporary });
    assert.equal(same.statusCode, 400, 'the temporary password cannot be kept');

    const changed = await token({ email: member.email, password: temporary, newPassword: 'cobalt-meadow-lighthouse-31' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((await token({ email: member.email, password: temporary })).statusCode, 401, 'the temporary password worked once');
    assert.equal((await token({ email: member.email, password: 'cobalt-meadow-lighthouse-31' })).statusCode, 200, 'the new one works without further steps');
    const audit = await ownerQuery<{ n: number }>(t, "SELECT count(*)::int AS n FROM audit_event WHERE action = 'access.member.temporary_password_issued' AND target_id = $1", [member.userId]);
    assert.equal(audit.rows[0]?.n, 1);
  });

  test('a reset needs every permission of the person reset: a manager cannot reset the owner', async () => {
    const manager = await memberWithRoles(t, t.tenantA, [await customRole(t, 'tenant-a', ['access.member.manage', 'access.member.read'])]);
    const owner = await t.ownerOf('tenant-a');
    const refused = await t.app.inject({ method: 'POST', url: `/v1/access/members/${owner.userId}/temporary-password`, headers: manager.headers });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(refused.json().error.details.reason, 'GRANT_EXCEEDS_OWN');
  });

  test('administrators see where a member is signed in: device, IP address and times', async () => {
    const member = await person();
    await createSession(t.app.db, { userId: member.userId, activeTenantId: t.tenantA.id, ip: '192.0.2.7', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' });
    const listed = await t.app.inject({ method: 'GET', url: `/v1/access/members/${member.userId}/sessions`, headers: ownerHeaders });
    assert.equal(listed.statusCode, 200, listed.body);
    const [session] = listed.json().data;
    assert.equal(session.ip, '192.0.2.7');
    assert.match(session.device, /Chrome/);
    const page = await t.app.inject({ method: 'GET', url: `/access/members/${member.userId}/security`, headers: { cookie: (await t.browserFor('tenant-a')).cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /192\.0\.2\.7/);
  });

  test('a role that demands two-step sign-in makes its holders enrol at sign-in, with recovery codes', async () => {
    const member = await person();
    const roleId = (await ownerQuery<{ id: string }>(t, 'SELECT id FROM access_role WHERE key = $1', [member.roleKey])).rows[0]?.id as string;
    assert.equal((await token({ email: member.email, password: STRONG })).statusCode, 200, 'no second factor before the policy');
    const set = await t.app.inject({ method: 'PUT', url: `/v1/access/roles/${roleId}/two-step`, headers: ownerHeaders, payload: { required: true } });
    assert.equal(set.statusCode, 200, set.body);

    const refused = await token({ email: member.email, password: STRONG });
    assert.equal(refused.statusCode, 401);
    const { reason, enrolment } = refused.json().error.details;
    assert.equal(reason, 'SIGN_IN_STEPS_REQUIRED');
    assert.ok(enrolment.secret, 'the key to add to an authenticator app');
    const wrong = await token({ email: member.email, password: STRONG, totpEnrolmentCode: '000000' });
    assert.equal(wrong.statusCode, 401, 'a wrong first code enrols nothing');
    const fresh = wrong.json().error.details.enrolment.secret as string;
    const enrolled = await token({ email: member.email, password: STRONG, totpEnrolmentCode: await generate({ secret: fresh }) });
    assert.equal(enrolled.statusCode, 200, enrolled.body);
    assert.equal(enrolled.json().data.recoveryCodes.length > 0, true);

    const withoutCode = await token({ email: member.email, password: STRONG });
    assert.equal(withoutCode.json().error.details.reason, 'TOTP_REQUIRED', 'from now on the second factor is asked');
  });
});

describe('concurrent-session policy', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());
  const policy = (limitAction: 'end_oldest' | 'refuse_new'): SessionPolicy => ({ ...DEFAULT_SESSION_POLICY, maxConcurrent: 2, limitAction });

  test('SESSION_MAX_CONCURRENT and SESSION_LIMIT_ACTION become the session policy', () => {
    assert.deepEqual(sessionPolicyOf({ session: { idleMinutes: 30, absoluteHours: 12, maxConcurrent: 2, limitAction: 'refuse_new' } }), policy('refuse_new'));
    assert.equal(sessionPolicyOf({ session: { idleMinutes: 30, absoluteHours: 12, maxConcurrent: 0, limitAction: 'refuse_new' } }).maxConcurrent, undefined);
  });

  test('end_oldest: a sign-in beyond the limit ends the oldest session', async () => {
    const user = await newUser(t.app.db);
    const first = await createSession(t.app.db, { userId: user.id }, { policy: policy('end_oldest') });
    const second = await createSession(t.app.db, { userId: user.id }, { policy: policy('end_oldest') });
    const third = await createSession(t.app.db, { userId: user.id }, { policy: policy('end_oldest') });
    assert.equal(await validateSession(t.app.db, first.token), null, 'the oldest ended');
    assert.ok(await validateSession(t.app.db, second.token));
    assert.ok(await validateSession(t.app.db, third.token));
  });

  test('refuse_new: a sign-in beyond the limit is refused and the live sessions stay', async () => {
    const user = await newUser(t.app.db);
    const first = await createSession(t.app.db, { userId: user.id }, { policy: policy('refuse_new') });
    await createSession(t.app.db, { userId: user.id }, { policy: policy('refuse_new') });
    await assert.rejects(createSession(t.app.db, { userId: user.id }, { policy: policy('refuse_new') }), (error: unknown) => error instanceof AppError && error.code === 'CONFLICT' && error.details?.reason === 'IDENTITY_SESSION_LIMIT');
    assert.ok(await validateSession(t.app.db, first.token), 'nobody was signed out');
  });
});
