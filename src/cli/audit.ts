import type { Config } from '../kernel/config/index.ts';
import { checkpointLogOf, loadCheckpointTrust, verifyAuditChain, verifyAuditCheckpoints, type ChainBreak, type CheckpointProblem, type CheckpointVerification } from '../kernel/audit/index.ts';
import { createLogger } from '../kernel/observability/logger.ts';
import { findTenantBySlug, listTenants, type Tenant } from '../kernel/tenancy/index.ts';
import { openRuntime } from '../main.ts';

const BREAK_TEXT: Record<ChainBreak, string> = {
  seq_gap: 'an entry before it is missing (sequence gap)',
  prev_hash_mismatch: "its prev_hash is not the previous entry's hash (an entry was replaced)",
  hash_mismatch: 'its hash does not match its content (the entry was changed)',
};

/** One line per problem a signed checkpoint reveals (see verifyAuditCheckpoints). */
function problemText(problem: CheckpointProblem, signingKeyFile: string): string {
  switch (problem.kind) {
    case 'truncated':
      return `the chain ends at seq ${problem.chainEndsAt} but a signed checkpoint covers seq ${problem.checkpointSeq} (entries were deleted from its end)`;
    case 'rewritten':
      return `entry ${problem.seq}'s hash differs from the signed checkpoint (history was rewritten after seq ${problem.lastMatchingSeq})`;
    case 'bad_signature':
      return `the checkpoint of seq ${problem.seq} in the ${problem.source} has a signature that does not verify (it was forged or changed)`;
    case 'unknown_key':
      return `the checkpoint of seq ${problem.seq} in the ${problem.source} is signed by key ${problem.keyId}, not by the key in ${signingKeyFile}`;
    case 'deleted':
      return `the signed checkpoint of seq ${problem.seq} is in ${checkpointLogOf(signingKeyFile)} but no longer in the database (deleted or altered there)`;
    case 'no_key':
      return `${problem.checkpoints} signed checkpoint(s) cannot be checked: there is no signing key at ${signingKeyFile}`;
  }
}

const signedText = (checkpoints: CheckpointVerification) =>
  checkpoints.newestSeq === null ? '' : `, signed up to seq ${checkpoints.newestSeq} (${checkpoints.signed} ${checkpoints.signed === 1 ? 'checkpoint' : 'checkpoints'})`;

/**
 * `plinth audit verify [--tenant <slug>]`: checks the audit hash chain of one tenant or of all,
 * and its signed checkpoints against the signing key file and the checkpoint log beside it;
 * prints OK, or the first broken entry and each checkpoint problem, per tenant, and answers 1
 * when any chain is broken or disagrees with what was signed.
 */
export async function auditCommand(config: Config, args: string[], options: { tenant?: string | undefined }): Promise<number> {
  if (args[0] !== 'verify' || args.length > 1) {
    process.stderr.write('Usage: plinth audit verify [--tenant <slug>]\n');
    return 2;
  }
  const runtime = await openRuntime(config, createLogger(config.logLevel));
  try {
    const { db } = runtime.database;
    let tenants: Tenant[];
    if (options.tenant === undefined) tenants = await listTenants(db);
    else {
      const tenant = await findTenantBySlug(db, options.tenant);
      if (!tenant) {
        process.stderr.write(`No tenant has the slug "${options.tenant}".\n`);
        return 2;
      }
      tenants = [tenant];
    }
    const keyFile = config.auditSigningKeyFile;
    const trust = await loadCheckpointTrust(keyFile, new Set(tenants.map((tenant) => tenant.id)));
    if (trust.unreadableLines.length > 0)
      process.stderr.write(`Line(s) ${trust.unreadableLines.join(', ')} of ${checkpointLogOf(keyFile)} are not checkpoints: the log was edited or a write was cut short.\n`);
    let broken = 0;
    for (const tenant of tenants) {
      const result = await verifyAuditChain(db, tenant.id);
      const checkpoints = await verifyAuditCheckpoints(db, tenant.id, trust);
      if (result.ok && checkpoints.problems.length === 0) {
        process.stdout.write(`OK      ${tenant.slug}: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}${signedText(checkpoints)}\n`);
        continue;
      }
      broken++;
      if (!result.ok) {
        const { seq, id, reason } = result.brokenAt;
        process.stdout.write(`BROKEN  ${tenant.slug}: entry seq ${seq} (id ${id}): ${BREAK_TEXT[reason]}\n`);
      }
      for (const problem of checkpoints.problems) process.stdout.write(`BROKEN  ${tenant.slug}: ${problemText(problem, keyFile)}\n`);
    }
    if (broken > 0) process.stderr.write(`The audit chain of ${broken} of ${tenants.length} tenant(s) is broken.\n`);
    return broken > 0 || trust.unreadableLines.length > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
