import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import canonicalize from 'canonicalize';
import { canonicalPieces, type AuditContent } from '../../../src/kernel/audit/hash.ts';

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
