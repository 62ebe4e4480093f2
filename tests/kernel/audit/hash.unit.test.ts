import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import canonicalize from 'canonicalize';
import { checkpointMessage } from '../../../src/kernel/audit/checkpoint.ts';
import { AUDIT_HASH_FORMAT, auditHash, canonicalPieces, GENESIS_HASH, type AuditContent, type AuditEntry } from '../../../src/kernel/audit/hash.ts';

/** What the database appends: the pieces joined around the values it assigns (see recordAudit's SQL). */
const joined = (content: AuditContent, at: string, previous: string, seq: number) => {
  const [beforeTime, beforePrevious, beforeSeq, rest] = canonicalPieces(content);
  return `${beforeTime}${at}${beforePrevious}${previous}${beforeSeq}${seq}${rest}`;
};

const content: AuditContent = {
  tenant_id: '0b5a6f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
  id: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
  actor: 'user:42',
  action: 'pos.sale.completed',
  target_type: 'pos.sale',
  target_id: 'S-1',
  request_id: 'req-"quoted"\\',
  // Keys that also name top-level fields, unicode, numbers JCS formats, nesting and key order.
  data: { seq: 0, prev_hash: 'x', occurred_at: null, zeta: [1.5, 1e21, -0], 'ä€😀': 'line\nbreak', alpha: { b: 2, a: 1 } },
};

describe('audit canonicalPieces', () => {
  test('joined around the assigned values they are exactly the canonical JSON of the whole entry', () => {
    const at = '2026-11-23T19:30:00.123456Z';
    const previous = 'ab'.repeat(32);
    for (const seq of [1, 9, 10, 123_456_789_012]) {
      const whole = canonicalize({ ...content, seq, occurred_at: at, prev_hash: previous }) as string;
      assert.equal(joined(content, at, previous, seq), whole, `seq ${seq}`);
    }
  });

  test('a change to any content field changes the text', () => {
    const base = joined(content, 't', 'p', 1);
    for (const key of Object.keys(content) as (keyof AuditContent)[]) {
      const changed = { ...content, [key]: key === 'data' ? { ...content.data, extra: true } : `${String(content[key])}!` };
      assert.notEqual(joined(changed, 't', 'p', 1), base, key);
    }
  });
});

/**
 * Golden vectors of hash format 1, computed once and frozen (the first also with Python's hashlib
 * over json.dumps(sort_keys=True), independently of canonicalize). A change to how entries are
 * hashed fails here: it needs a new AUDIT_HASH_FORMAT, with vectors of its own.
 */
const FORMAT_1: { entry: AuditEntry; hash: string }[] = [
  {
    entry: {
      tenant_id: '0b5a6f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
      seq: 1,
      id: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      occurred_at: '2026-11-23T19:30:00.123456Z',
      actor: 'user:42',
      action: 'catalog.product.created',
      target_type: 'catalog.product',
      target_id: 'P-1',
      request_id: 'req-1',
      data: { name: 'Tea', priceMinor: 250 },
      prev_hash: GENESIS_HASH,
    },
    hash: '2d4eecf9bf585a78aeafc3a799af5b2767a226251b92d57f299e68bfad01eeec',
  },
  {
    entry: {
      tenant_id: '0b5a6f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
      seq: 2,
      id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      occurred_at: '2026-11-23T19:31:05.000001Z',
      actor: 'device:d1/staff:s1',
      action: 'pos.sale.completed',
      target_type: 'pos.sale',
      target_id: 'S-1',
      request_id: 'req-"2"\\',
      data: { zeta: [1.5, 1e21, -0], 'ä€😀': 'line\nbreak', alpha: { b: 2, a: 1 }, none: null },
      prev_hash: '2d4eecf9bf585a78aeafc3a799af5b2767a226251b92d57f299e68bfad01eeec',
    },
    hash: '2be4c043f4c3bc5ebf1e2133d973c4ced4a8ae1ad02eec58d226804e6f52eff7',
  },
];

describe('audit hash format 1 (golden vectors)', () => {
  test('the current format is 1', () => {
    assert.equal(AUDIT_HASH_FORMAT, 1);
  });

  test('auditHash gives each frozen entry its frozen hash, and the entries chain', () => {
    let previous = GENESIS_HASH;
    for (const { entry, hash } of FORMAT_1) {
      assert.equal(entry.prev_hash, previous);
      assert.equal(auditHash(entry), hash, `seq ${entry.seq}`);
      previous = hash;
    }
  });

  test("the pieces the database hashes (audit_append_entries) give the same hashes", () => {
    for (const { entry, hash } of FORMAT_1) {
      const { seq, occurred_at: at, prev_hash: previous, ...content } = entry;
      const text = `${previous}${joined(content, at, previous, seq)}`;
      assert.equal(createHash('sha256').update(text, 'utf8').digest('hex'), hash, `seq ${seq}`);
    }
  });

  test('a checkpoint signs a frozen text naming its purpose and the hash format', () => {
    const message = checkpointMessage({
      tenantId: FORMAT_1[0]?.entry.tenant_id ?? '',
      seq: 2,
      hash: FORMAT_1[1]?.hash ?? '',
      hashFormat: 1,
      signedAt: '2026-12-07T17:00:00.123000Z',
      keyId: '0123456789abcdef',
    });
    assert.equal(
      message.toString('utf8'),
      '{"hash":"2be4c043f4c3bc5ebf1e2133d973c4ced4a8ae1ad02eec58d226804e6f52eff7","hash_format":1,"key_id":"0123456789abcdef","purpose":"plinth.audit.checkpoint","seq":2,"signed_at":"2026-12-07T17:00:00.123000Z","tenant_id":"0b5a6f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"}',
    );
  });
});
