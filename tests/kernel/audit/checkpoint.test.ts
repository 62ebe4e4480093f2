import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  checkpointAuditChain,
  checkpointLogOf,
  checkpointMovedChains,
  loadCheckpointTrust,
  verifyAuditChain,
  verifyAuditCheckpoints,
  type CheckpointOutcome,
} from '../../../src/kernel/audit/index.ts';
import { auditModule } from '../../../src/kernel/audit/manifest.ts';
import { signCheckpoint } from '../../../src/kernel/audit/checkpoint.ts';
import { auditHash, GENESIS_HASH } from '../../../src/kernel/audit/hash.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import type { Tenant } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { runPlinth } from '../../support/cli.ts';
import { call, ok, openTill } from '../../modules/pos/support.ts';
import { appendEntries, auditRows, contextFor, entry, freshTenant, getAs, tamper } from './support.ts';

const log = createLogger('silent');

describe('signed audit checkpoints', { timeout: 300_000 }, () => {
  let t: TestApp;
  let dataDir: string;
  let keyFile: string;
  let appDatabase: Database;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-audit-checkpoints-'));
    // Where `plinth` looks by default when run with PLINTH_DATA_DIR=dataDir.
    keyFile = path.join(dataDir, 'audit-signing-key.pem');
    t = await startTestApp({ AUDIT_SIGNING_KEY_FILE: keyFile });
    appDatabase = createDatabase(t.database.url, { poolMax: 2, log, role: APP_ROLE });
  });
  after(async () => {
    await appDatabase.close();
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const deps = () => ({ db: t.app.db, signingKeyFile: keyFile });
  const plinth = (...args: string[]) => runPlinth(t.database.url, dataDir, ...args);
  const append = (tenant: Tenant, count: number) =>
    appendEntries(
      contextFor(t, tenant.id),
      Array.from({ length: count }, (_, index) => entry('test.thing.made', `t${index}`, { n: index })),
    );
  const signedSeq = (outcome: CheckpointOutcome) => (outcome.outcome === 'written' ? outcome.checkpoint.seq : outcome.outcome);
  /** A fresh tenant whose chain is signed after each stretch of entries, e.g. [3, 3]: checkpoints at seq 3 and 6. */
  async function signedChain(stretches: number[]): Promise<Tenant> {
    const tenant = await freshTenant(t);
    let seq = 0;
    for (const count of stretches) {
      await append(tenant, count);
      seq += count;
      assert.equal(signedSeq(await checkpointAuditChain(deps(), tenant.id)), seq);
    }
    return tenant;
  }
  const checkpointRows = async (tenantId: string) =>
    (await ownerQuery<{ seq: number }>(t, 'SELECT seq FROM audit_checkpoint WHERE tenant_id = $1 ORDER BY seq', [tenantId])).rows.map((row) => row.seq);
  const loggedSeqs = async (tenantId: string) => (await loadCheckpointTrust(keyFile)).logged.get(tenantId)?.map((checkpoint) => checkpoint.seq) ?? [];
  const checkpointsOf = async (tenantId: string) => verifyAuditCheckpoints(t.app.db, tenantId, await loadCheckpointTrust(keyFile));

  /** What a superuser can do: change entry `seq`'s data and recompute its hash and every later one, so the chain links again. */
  async function rewriteFrom(tenantId: string, seq: number, data: Record<string, unknown>) {
    const rows = await auditRows(t, tenantId);
    let previous = rows[seq - 2]?.hash ?? GENESIS_HASH;
    for (const { hash: _stored, ...row } of rows.slice(seq - 1)) {
      const forged = { ...row, prev_hash: previous, data: row.seq === seq ? data : row.data };
      const hash = auditHash(forged);
      await tamper(t, 'UPDATE audit_event SET data = $3, prev_hash = $4, hash = $5 WHERE tenant_id = $1 AND seq = $2', [tenantId, row.seq, JSON.stringify(forged.data), previous, hash]);
      previous = hash;
    }
  }

  test('the key is made on first use (Ed25519, mode 0600); a head is signed once, stored and logged beside the key', async () => {
    const tenant = await signedChain([3]);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.match(await readFile(keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.equal((await checkpointAuditChain(deps(), tenant.id)).outcome, 'current');
    assert.deepEqual(await checkpointRows(tenant.id), [3]);
    assert.deepEqual(await loggedSeqs(tenant.id), [3]);
    assert.equal(path.dirname(checkpointLogOf(keyFile)), dataDir);
    // Append-only like the entries: even the owner's UPDATE, DELETE or TRUNCATE fails.
    await assert.rejects(ownerQuery(t, `UPDATE audit_checkpoint SET hash = repeat('0', 64) WHERE tenant_id = $1`, [tenant.id]), /audit_checkpoint is append-only: UPDATE/);
    await assert.rejects(ownerQuery(t, 'DELETE FROM audit_checkpoint WHERE tenant_id = $1', [tenant.id]), /audit_checkpoint is append-only: DELETE/);
    await assert.rejects(ownerQuery(t, 'TRUNCATE audit_checkpoint'), /audit_checkpoint is append-only: TRUNCATE/);

    const result = await plinth('audit', 'verify', '--tenant', tenant.slug);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stdout.trim(), `OK      ${tenant.slug}: 3 entries, signed up to seq 3 (1 checkpoint)`);
  });

  test('deleting the newest entries as a superuser: the chain alone still verifies, plinth audit verify reports the cut', async () => {
    const tenant = await signedChain([4, 2]);
    await tamper(t, 'DELETE FROM audit_event WHERE tenant_id = $1 AND seq > 4', [tenant.id]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 4 });

    const result = await plinth('audit', 'verify', '--tenant', tenant.slug);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.equal(result.stdout.trim(), `BROKEN  ${tenant.slug}: the chain ends at seq 4 but a signed checkpoint covers seq 6 (entries were deleted from its end)`);
    // Nothing is signed over the cut chain, even once new entries pass the old head.
    await append(tenant, 3);
    assert.deepEqual(await checkpointAuditChain(deps(), tenant.id), { outcome: 'refused', reason: "entry 6's hash differs from the signed checkpoint" });
    assert.deepEqual(await checkpointRows(tenant.id), [4, 6]);
  });

  test('rewriting a middle entry and recomputing every later hash: the chain alone verifies, plinth audit verify reports the rewrite', async () => {
    const tenant = await signedChain([3, 3]);
    await rewriteFrom(tenant.id, 5, { n: 999 });
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 6 });

    const result = await plinth('audit', 'verify', '--tenant', tenant.slug);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.equal(result.stdout.trim(), `BROKEN  ${tenant.slug}: entry 6's hash differs from the signed checkpoint (history was rewritten after seq 3)`);
    assert.deepEqual(await checkpointAuditChain(deps(), tenant.id), { outcome: 'refused', reason: "entry 6's hash differs from the signed checkpoint" });
  });

  test('deleting the newest checkpoints from the database too: the log beside the key still has them', async () => {
    const tenant = await signedChain([2, 2]);
    await tamper(t, 'DELETE FROM audit_event WHERE tenant_id = $1 AND seq > 2', [tenant.id]);
    await tamper(t, 'DELETE FROM audit_checkpoint WHERE tenant_id = $1 AND seq > 2', [tenant.id]);

    const result = await plinth('audit', 'verify', '--tenant', tenant.slug);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `BROKEN  ${tenant.slug}: the signed checkpoint of seq 4 is in ${checkpointLogOf(keyFile)} but no longer in the database (deleted or altered there)`,
      `BROKEN  ${tenant.slug}: the chain ends at seq 2 but a signed checkpoint covers seq 4 (entries were deleted from its end)`,
    ]);
  });

  test('a tampered signature, or a checkpoint signed by another key, is reported and vouches for nothing', async () => {
    const tenant = await signedChain([2]);
    const [row] = (await ownerQuery<{ signature: string }>(t, 'SELECT signature FROM audit_checkpoint WHERE tenant_id = $1', [tenant.id])).rows;
    const flipped = `${row?.signature.startsWith('A') ? 'B' : 'A'}${row?.signature.slice(1) ?? ''}`;
    await tamper(t, 'UPDATE audit_checkpoint SET signature = $2 WHERE tenant_id = $1', [tenant.id, flipped]);
    // An attacker's own key signing a longer head, stored as if it were the installation's.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const forged = signCheckpoint({ privateKey, publicKey, keyId: 'f0f0f0f0f0f0f0f0' }, { tenantId: tenant.id, seq: 9, hash: 'ab'.repeat(32) });
    await ownerQuery(
      t,
      'INSERT INTO audit_checkpoint (tenant_id, seq, hash, hash_format, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [forged.tenantId, forged.seq, forged.hash, forged.hashFormat, forged.signedAt, forged.keyId, forged.signature],
    );

    assert.deepEqual(await checkpointsOf(tenant.id), {
      signed: 1,
      newestSeq: 2,
      problems: [
        { kind: 'bad_signature', seq: 2, source: 'database' },
        { kind: 'unknown_key', seq: 9, keyId: 'f0f0f0f0f0f0f0f0', source: 'database' },
        // The log beside the key holds the checkpoint as signed; the database no longer does.
        { kind: 'deleted', seq: 2 },
      ],
    });
    const result = await plinth('audit', 'verify', '--tenant', tenant.slug);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`^BROKEN  ${tenant.slug}: the checkpoint of seq 2 in the database has a signature that does not verify`, 'm'));
    assert.match(result.stdout, new RegExp(`^BROKEN  ${tenant.slug}: the checkpoint of seq 9 in the database is signed by key f0f0f0f0f0f0f0f0, not by the key in ${keyFile}`, 'm'));
  });

  test('without the key file nothing is checked against a key from elsewhere: verify says the checkpoints cannot be checked', async () => {
    const tenant = await signedChain([1]);
    const elsewhere = path.join(dataDir, 'no-such-folder', 'key.pem');
    assert.deepEqual(await verifyAuditCheckpoints(t.app.db, tenant.id, await loadCheckpointTrust(elsewhere)), { signed: 0, newestSeq: null, problems: [{ kind: 'no_key', checkpoints: 1 }] });
  });

  test('the schedule signs every chain that moved since its newest checkpoint, once', async () => {
    const [moved, still] = [await freshTenant(t), await signedChain([2])];
    await append(moved, 2);
    const schedule = auditModule.schedules.find((candidate) => candidate.name === 'checkpoint-chains');
    assert.ok(schedule);
    assert.equal(schedule.cron, '*/15 * * * *');
    await schedule.run({ database: appDatabase, log, config: t.config });
    assert.deepEqual(await checkpointRows(moved.id), [2]);
    assert.deepEqual(await checkpointRows(still.id), [2]);

    assert.equal(await checkpointMovedChains(deps(), log), 0);
    await append(moved, 1);
    assert.equal(await checkpointMovedChains(deps(), log), 1);
    assert.deepEqual(await checkpointRows(moved.id), [2, 3]);
    assert.deepEqual(await loggedSeqs(moved.id), [2, 3]);
  });

  test('closing a POS shift signs the chain head that holds its Z report', async () => {
    const owner = await t.headersFor('tenant-a');
    const till = await openTill(t, owner);
    const before = await checkpointRows(t.tenantA.id);
    await ok(call(t, owner, 'POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000 }));

    const [closed] = (await ownerQuery<{ seq: number }>(t, `SELECT seq FROM audit_event WHERE tenant_id = $1 AND action = 'pos.shift.closed' AND target_id = $2`, [t.tenantA.id, till.shiftId])).rows;
    const newest = (await checkpointRows(t.tenantA.id)).at(-1);
    assert.ok(closed && newest !== undefined && newest >= closed.seq, `checkpoint ${newest} covers the close at ${closed?.seq}`);
    assert.equal((await checkpointRows(t.tenantA.id)).length, before.length + 1);
    assert.deepEqual(await loggedSeqs(t.tenantA.id), await checkpointRows(t.tenantA.id));

    const verified = await getAs(t, 'tenant-a', '/v1/audit/verify');
    assert.equal(verified.statusCode, 200, verified.body);
    const { checkpoints } = (verified.json() as { data: { checkpoints: unknown } }).data;
    assert.deepEqual(checkpoints, { signed: before.length + 1, newestSeq: newest, problems: [] });
  });

  test('GET /v1/audit/verify reports a cut-off chain end from the signed checkpoints', async () => {
    await append(t.tenantB, 3);
    const outcome = await checkpointAuditChain(deps(), t.tenantB.id);
    assert.equal(outcome.outcome, 'written');
    const end = outcome.outcome === 'written' ? outcome.checkpoint.seq : 0;
    await tamper(t, 'DELETE FROM audit_event WHERE tenant_id = $1 AND seq > $2', [t.tenantB.id, end - 2]);

    const response = await getAs(t, 'tenant-b', '/v1/audit/verify');
    assert.equal(response.statusCode, 200, response.body);
    const { data } = response.json() as { data: { ok: boolean; checkpoints: { problems: unknown[] } } };
    assert.equal(data.ok, true);
    assert.deepEqual(data.checkpoints.problems, [{ kind: 'truncated', chainEndsAt: end - 2, checkpointSeq: end }]);
  });
});
