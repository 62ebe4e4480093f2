import { asc, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { auditCheckpoint } from './audit-checkpoint.table.ts';
import { auditEvent } from './audit-event.table.ts';
import { readCheckpointLog } from './checkpoint-log.ts';
import { storedCheckpointColumns } from './checkpoint-write.ts';
import { checkpointSignatureValid, type AuditCheckpoint } from './checkpoint.ts';
import type { CheckpointProblem, CheckpointVerification } from './domain/audit-event.ts';
import { loadSigningKey, type CheckpointVerifier } from './signing-key.ts';

/** What checkpoints are checked against, read from outside the database. */
export interface CheckpointTrust {
  /** The public half of the key in the signing key file; undefined when there is no such file. */
  verifier: CheckpointVerifier | undefined;
  /** The checkpoint log beside the key, by tenant id. */
  logged: ReadonlyMap<string, readonly AuditCheckpoint[]>;
  /** Lines of the log that are not checkpoints (see readCheckpointLog). */
  unreadableLines: number[];
}

/**
 * The key and the checkpoint log from the signing key file's folder. Never a key from the
 * database: whoever controls the database could swap it for their own.
 */
export async function loadCheckpointTrust(signingKeyFile: string, tenantIds?: ReadonlySet<string>): Promise<CheckpointTrust> {
  const signer = await loadSigningKey(signingKeyFile);
  const log = await readCheckpointLog(signingKeyFile, tenantIds);
  const logged = new Map<string, AuditCheckpoint[]>();
  for (const checkpoint of log.checkpoints) logged.set(checkpoint.tenantId, [...(logged.get(checkpoint.tenantId) ?? []), checkpoint]);
  return { verifier: signer && { publicKey: signer.publicKey, keyId: signer.keyId }, logged, unreadableLines: log.unreadableLines };
}

async function storedState(db: Db, tenantId: string): Promise<{ stored: AuditCheckpoint[]; chainEnd: number }> {
  return withTenantTx({ db, tenantId }, async (uow) => {
    const stored = await uow.tx.select(storedCheckpointColumns).from(auditCheckpoint).where(eq(auditCheckpoint.tenantId, tenantId)).orderBy(asc(auditCheckpoint.seq));
    const [end] = await uow.tx.select({ seq: max(auditEvent.seq) }).from(auditEvent).where(eq(auditEvent.tenantId, tenantId));
    return { stored, chainEnd: end?.seq ?? 0 };
  });
}

/** The chain's stored hashes at these seqs. */
async function hashesAt(db: Db, tenantId: string, seqs: readonly number[]): Promise<Map<number, string>> {
  const rows = await withTenantTx({ db, tenantId }, (uow) =>
    uow.tx
      .select({ seq: auditEvent.seq, hash: auditEvent.hash })
      .from(auditEvent)
      .where(sql`${auditEvent.tenantId} = ${tenantId} AND ${auditEvent.seq} = ANY(${sql.param(seqs)}::bigint[])`),
  );
  return new Map(rows.map((row) => [row.seq, row.hash]));
}

/**
 * Checks a tenant's signed checkpoints (the database's and the log's) against its chain: each
 * must be signed by the installation's key; the chain must reach the newest one (else entries
 * were deleted from its end) and hold each one's hash at its seq (else history was rewritten up
 * to there, hashes recomputed); and none the log holds may be missing from the database. The
 * entries themselves are checked by verifyAuditChain: together, the chain up to the newest
 * checkpoint is proven to be what was signed.
 */
export async function verifyAuditCheckpoints(db: Db, tenantId: string, trust: CheckpointTrust): Promise<CheckpointVerification> {
  const { stored, chainEnd } = await storedState(db, tenantId);
  const logged = trust.logged.get(tenantId) ?? [];
  if (stored.length + logged.length === 0) return { signed: 0, newestSeq: null, problems: [] };
  const { verifier } = trust;
  if (!verifier) return { signed: 0, newestSeq: null, problems: [{ kind: 'no_key', checkpoints: stored.length + logged.length }] };

  const problems: CheckpointProblem[] = [];
  const valid = new Map<string, AuditCheckpoint>();
  /** Keeps the checkpoint when this key signed it; else records why not. */
  const vouches = (checkpoint: AuditCheckpoint, source: 'database' | 'log'): boolean => {
    if (checkpoint.keyId !== verifier.keyId) problems.push({ kind: 'unknown_key', seq: checkpoint.seq, keyId: checkpoint.keyId, source });
    else if (!checkpointSignatureValid(verifier, checkpoint)) problems.push({ kind: 'bad_signature', seq: checkpoint.seq, source });
    else valid.set(checkpoint.signature, checkpoint);
    return valid.has(checkpoint.signature);
  };
  for (const checkpoint of stored) vouches(checkpoint, 'database');
  const storedSignatures = new Set(stored.map((checkpoint) => checkpoint.signature));
  for (const checkpoint of logged) if (vouches(checkpoint, 'log') && !storedSignatures.has(checkpoint.signature)) problems.push({ kind: 'deleted', seq: checkpoint.seq });

  const signed = [...valid.values()].sort((a, b) => a.seq - b.seq);
  const newest = signed.at(-1);
  if (newest && newest.seq > chainEnd) problems.push({ kind: 'truncated', chainEndsAt: chainEnd, checkpointSeq: newest.seq });
  const covered = signed.filter((checkpoint) => checkpoint.seq <= chainEnd);
  const hashes = await hashesAt(db, tenantId, [...new Set(covered.map((checkpoint) => checkpoint.seq))]);
  let lastMatchingSeq = 0;
  for (const checkpoint of covered) {
    if (hashes.get(checkpoint.seq) !== checkpoint.hash) {
      problems.push({ kind: 'rewritten', seq: checkpoint.seq, lastMatchingSeq });
      break;
    }
    lastMatchingSeq = checkpoint.seq;
  }
  return { signed: signed.length, newestSeq: newest?.seq ?? null, problems };
}
