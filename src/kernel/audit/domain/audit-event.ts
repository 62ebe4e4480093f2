import { z } from 'zod';
import { exact, instant, pageQuery } from './page.ts';

export const auditFilters = z.strictObject({
  action: exact(200),
  actor: exact(200),
  targetType: exact(100),
  targetId: exact(200),
  from: instant,
  to: instant,
});
export type AuditFilters = z.output<typeof auditFilters>;

export const auditListQuery = auditFilters.extend(pageQuery);
export type AuditListQuery = z.output<typeof auditListQuery>;

export const auditEventView = z.object({
  seq: z.number().int(),
  id: z.uuid(),
  occurredAt: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  requestId: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEventView = z.output<typeof auditEventView>;

/** How a chain can break, in the order verify checks each entry. */
export const CHAIN_BREAKS = ['seq_gap', 'prev_hash_mismatch', 'hash_mismatch'] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

export const chainVerification = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int() }),
  z.object({ ok: z.literal(false), brokenAt: z.object({ seq: z.number().int(), id: z.uuid(), reason: z.enum(CHAIN_BREAKS) }) }),
]);
export type ChainVerification = z.output<typeof chainVerification>;

const seq = z.number().int();
const checkpointSource = z.enum(['database', 'log']);

/** What a signed checkpoint says the chain no longer agrees with, or why checkpoints could not be checked. */
export const checkpointProblem = z.discriminatedUnion('kind', [
  /** Entries were deleted from the chain's end: it is shorter than a signed checkpoint. */
  z.object({ kind: z.literal('truncated'), chainEndsAt: seq, checkpointSeq: seq }),
  /** The entry at a signed seq has another hash: history up to it was rewritten after `lastMatchingSeq` (0: from the start). */
  z.object({ kind: z.literal('rewritten'), seq, lastMatchingSeq: seq }),
  z.object({ kind: z.literal('bad_signature'), seq, source: checkpointSource }),
  /** Signed with another key than the installation's (a forged checkpoint, or the key was replaced). */
  z.object({ kind: z.literal('unknown_key'), seq, keyId: z.string(), source: checkpointSource }),
  /** In the checkpoint log beside the key, but no longer in the database (deleted, or its row altered). */
  z.object({ kind: z.literal('deleted'), seq }),
  /** Checkpoints exist but the signing key file does not, so none can be checked. */
  z.object({ kind: z.literal('no_key'), checkpoints: z.number().int() }),
]);
export type CheckpointProblem = z.output<typeof checkpointProblem>;

export const checkpointVerification = z.object({
  /** Checkpoints whose signature verifies under the installation's key. */
  signed: z.number().int(),
  newestSeq: seq.nullable(),
  problems: z.array(checkpointProblem),
});
export type CheckpointVerification = z.output<typeof checkpointVerification>;
