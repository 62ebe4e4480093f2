import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runPlinth } from '../support/cli.ts';
import { createMigratedDatabase } from '../support/database.ts';

const database = await createMigratedDatabase();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-mutualaid-cli-'));
after(async () => {
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

test('plinth mutualaid create-admin bootstraps once; plinth session approves a pending sign-in, audited as from the CLI', async () => {
  const args = ['mutualaid', 'create-admin', '--tenant', 'cli-community', '--email', 'first@cli.example', '--name', 'CLI Community'];
  const first = await runPlinth(database.url, dataDir, ...args);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /is an administrator of cli-community/);
  assert.match(first.stdout, /First password/);
  const second = await runPlinth(database.url, dataDir, ...args);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /nothing changed/);
  assert.doesNotMatch(second.stdout, /password/);
  const { rows: members } = await database.pool.query("SELECT count(*)::int AS n FROM community_member m JOIN tenant t ON t.id = m.tenant_id WHERE t.slug = 'cli-community'");
  assert.equal(members[0].n, 1);

  const { rows } = await database.pool.query(
    `INSERT INTO community_credential (tenant_id, credential_key, user_id, ip)
     SELECT t.id, 'session:' || gen_random_uuid(), u.id, '203.0.113.7' FROM tenant t, app_user u WHERE t.slug = 'cli-community' AND u.email = 'first@cli.example'
     RETURNING id, tenant_id`,
  );
  const { id, tenant_id: tenantId } = rows[0];
  const listed = await runPlinth(database.url, dataDir, 'session', 'list', '--tenant', 'cli-community');
  assert.match(listed.stdout, new RegExp(id));
  const approved = await runPlinth(database.url, dataDir, 'session', 'approve', id, '--tenant', 'cli-community');
  assert.equal(approved.code, 0, approved.stderr);
  const twice = await runPlinth(database.url, dataDir, 'session', 'approve', id, '--tenant', 'cli-community');
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /already approved or denied/);
  const { rows: audit } = await database.pool.query("SELECT actor, data FROM audit_event WHERE tenant_id = $1 AND action = 'community.sign_in.approved'", [tenantId]);
  assert.equal(audit[0].actor, 'system:cli:session');
  assert.equal(audit[0].data.via, 'cli');
  assert.match(audit[0].data.from, /^cli@/);
});
