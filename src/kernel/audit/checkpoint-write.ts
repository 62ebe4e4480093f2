import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import type { ScheduleDefinition } from '../jobs/types.ts';
import type { Logger } from '../observability/logger.ts';
import { listTenants, withTenantTx } from '../tenancy/index.ts';
import { auditCheckpoint } from './audit-checkpoint.table.ts';
import { auditEvent } from './audit-event.table.ts';
import { walkAuditChain, type ChainLink } from './audit-verify.ts';
import { appendCheckpointLog } from './checkpoint-log.ts';
import { checkpointSignatureValid, signCheckpoint, type AuditCheckpoint } from './checkpoint.ts';
import { isoMicros } from './occurred-at.ts';
import { ensureSigningKey, type CheckpointSigner } from './signing-key.ts';

/** Where checkpoints are written: the app pool (row-level security applies) and the signing key's file. */
export interface CheckpointDeps {
  db: Db;
  signingKeyFile: string;
}

export type CheckpointOutcome =
  | { outcome: 'written'; checkpoint: AuditCheckpoint }
  /** The head is signed already, or the chain is empty. */
  | { outcome: 'current' }
  /** The chain does not agree with what was signed before: nothing is signed over it (verify names the problem). */
  | { outcome: 'refused'; reason: string };

export const storedCheckpointColumns = {
  tenantId: auditCheckpoint.tenantId,
  seq: auditCheckpoint.seq,
  hash: auditCheckpoint.hash,
  hashFormat: auditCheckpoint.hashFormat,
  signedAt: isoMicros(auditCheckpoint.signedAt),
  keyId: auditCheckpoint.keyId,
  signature: auditCheckpoint.signature,
};

interface Positions {
  head: ChainLink | undefined;
  newest: AuditCheckpoint | undefined;
  /** The chain's hash at the newest checkpoint's seq now (undefined: no such entry). */
  hashAtNewest: string | undefined;
}

/** The chain's head, its newest stored checkpoint and the entry that checkpoint names, read in one tenant transaction. */
async function positions(db: Db, tenantId: string): Promise<Positions> {
  return withTenantTx({ db, tenantId }, async (uow) => {
    const [head] = await uow.tx.select({ seq: auditEvent.seq, hash: auditEvent.hash }).from(auditEvent).where(eq(auditEvent.tenantId, tenantId)).orderBy(desc(auditEvent.seq)).limit(1);
    const [newest] = await uow.tx.select(storedCheckpointColumns).from(auditCheckpoint).where(eq(auditCheckpoint.tenantId, tenantId)).orderBy(desc(auditCheckpoint.seq)).limit(1);
    const [named] = newest ? await uow.tx.select({ hash: auditEvent.hash }).from(auditEvent).where(and(eq(auditEvent.tenantId, tenantId), eq(auditEvent.seq, newest.seq))).limit(1) : [];
    return { head, newest, hashAtNewest: named?.hash };
  });
}

/**
 * Where to start checking the entries a new checkpoint will cover: the newest stored checkpoint
 * when this key signed it, else the chain's start (a checkpoint that does not verify vouches for
 * nothing). Refuses when the chain no longer reaches or matches that checkpoint.
 */
function anchorOf(signer: CheckpointSigner, head: ChainLink, { newest, hashAtNewest }: Positions): ChainLink | { refused: string } | undefined {
  if (!newest || !checkpointSignatureValid(signer, newest)) return undefined;
  if (newest.seq > head.seq) return { refused: `the chain ends at seq ${head.seq} but a signed checkpoint covers seq ${newest.seq}` };
  if (hashAtNewest !== newest.hash) return { refused: `entry ${newest.seq}'s hash differs from the signed checkpoint` };
  return { seq: newest.seq, hash: newest.hash };
}

/**
 * Signs the tenant's chain head if it moved since its newest checkpoint: the entries since that
 * checkpoint are checked to link on from it first (walkAuditChain), so a signature never vouches
 * for a chain that was truncated or rewritten behind the previous one. The checkpoint is stored
 * once per head (a second writer of the same head stores nothing) and, after its commit, appended
 * to the checkpoint log beside the key.
 */
export async function checkpointAuditChain(deps: CheckpointDeps, tenantId: string): Promise<CheckpointOutcome> {
  const found = await positions(deps.db, tenantId);
  const { head, newest } = found;
  if (!head) return newest ? { outcome: 'refused', reason: `the chain is empty but a checkpoint covers seq ${newest.seq}` } : { outcome: 'current' };
  if (newest?.seq === head.seq && newest.hash === head.hash) return { outcome: 'current' };
  const signer = await ensureSigningKey(deps.signingKeyFile);
  const anchor = anchorOf(signer, head, found);
  if (anchor && 'refused' in anchor) return { outcome: 'refused', reason: anchor.refused };
  const walk = await walkAuditChain(deps.db, tenantId, anchor);
  if (!walk.ok) return { outcome: 'refused', reason: `entry ${walk.brokenAt.seq} does not follow the chain before it (${walk.brokenAt.reason})` };
  if (walk.head.seq === anchor?.seq) return { outcome: 'current' };
  const checkpoint = signCheckpoint(signer, { tenantId, ...walk.head });
  const inserted = await withTenantTx({ db: deps.db, tenantId }, (uow) =>
    uow.tx.insert(auditCheckpoint).values(checkpoint).onConflictDoNothing().returning({ seq: auditCheckpoint.seq }),
  );
  if (inserted.length === 0) return { outcome: 'current' };
  await appendCheckpointLog(deps.signingKeyFile, checkpoint);
  return { outcome: 'written', checkpoint };
}

/**
 * For a use case that has committed (a POS shift close): checkpoints the tenant's chain now. A
 * failure is logged, not thrown, since the use case is done; the schedule signs the head later.
 */
export async function checkpointAfterCommit(deps: CheckpointDeps, tenantId: string, log: Pick<Logger, 'error'>): Promise<void> {
  try {
    const result = await checkpointAuditChain(deps, tenantId);
    if (result.outcome === 'refused') log.error({ tenantId, reason: result.reason }, 'audit chain not checkpointed: it disagrees with its signed checkpoints');
  } catch (error) {
    log.error({ err: error, tenantId }, 'audit checkpoint failed; the schedule will retry');
  }
}

/** Checkpoints every tenant whose chain moved since its newest checkpoint. Answers how many it wrote. */
export async function checkpointMovedChains(deps: CheckpointDeps, log: Pick<Logger, 'info' | 'error'>): Promise<number> {
  let written = 0;
  const failures: unknown[] = [];
  for (const tenant of await listTenants(deps.db)) {
    try {
      const result = await checkpointAuditChain(deps, tenant.id);
      if (result.outcome === 'written') written++;
      if (result.outcome === 'refused') log.error({ tenant: tenant.slug, reason: result.reason }, 'audit chain not checkpointed: it disagrees with its signed checkpoints');
    } catch (error) {
      failures.push(error);
    }
  }
  if (written > 0) log.info({ written }, 'audit checkpoints written');
  // Every tenant was tried; the job fails (and is retried) when any could not be.
  if (failures.length > 0) throw new AggregateError(failures, `audit checkpoints failed for ${failures.length} tenant(s)`);
  return written;
}

/** Signs every moved chain head every 15 minutes: the longest stretch of newest entries no signature covers between shift closes. */
export const checkpointSchedule: ScheduleDefinition = {
  name: 'checkpoint-chains',
  cron: '*/15 * * * *',
  run: async ({ database, log, config }) => {
    await checkpointMovedChains({ db: database.db, signingKeyFile: config.auditSigningKeyFile }, log);
  },
};
