import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { DEFAULT_PASSWORD_POLICY, setPassword, verifyPassword } from '../../../src/kernel/identity/index.ts';
import { A_PASSWORD, newUser, startIdentityFixture, type IdentityFixture } from '../../support/identity.ts';

describe('setPassword', () => {
  let f: IdentityFixture;
  before(async () => {
    f = await startIdentityFixture();
  });
  after(() => f.close());

  test('stores only an argon2id hash; a refused password changes nothing', async () => {
    const user = await newUser(f.db, { email: 'ingrid.holm@example.test' });
    const stored = async () =>
      (await f.owner.db.execute<{ hash: string }>(sql`SELECT hash FROM identity_password WHERE user_id = ${user.id}`)).rows[0]?.hash;
    const first = await stored();
    assert.ok(first?.startsWith('$argon2id$') && !first.includes(A_PASSWORD));

    const refused = await setPassword(f.db, user.id, 'ingrid.holm-2026', DEFAULT_PASSWORD_POLICY);
    assert.deepEqual(refused, { ok: false, problems: ['Do not use your email address in your password.'] });
    assert.equal(await stored(), first);

    assert.deepEqual(await setPassword(f.db, user.id, 'copper-meadow-falcon', DEFAULT_PASSWORD_POLICY), { ok: true });
    assert.equal(await verifyPassword((await stored()) ?? '', 'copper-meadow-falcon'), true);
  });
});
