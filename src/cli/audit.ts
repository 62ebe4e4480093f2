import type { Config } from '../kernel/config/index.ts';
import { verifyAuditChain, type ChainBreak } from '../kernel/audit/index.ts';
import { createLogger } from '../kernel/observability/logger.ts';
import { findTenantBySlug, listTenants, type Tenant } from '../kernel/tenancy/index.ts';
import { openRuntime } from '../main.ts';

const BREAK_TEXT: Record<ChainBreak, string> = {
  seq_gap: 'an entry before it is missing (sequence gap)',
  prev_hash_mismatch: "its prev_hash is not the previous entry's hash (an entry was replaced)",
  hash_mismatch: 'its hash does not match its content (the entry was changed)',
};

/**
 * `plinth audit verify [--tenant <slug>]`: checks the audit hash chain of one tenant or of all,
 * prints OK or the first broken entry per tenant, and answers 1 when any chain is broken.
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
    let broken = 0;
    for (const tenant of tenants) {
      const result = await verifyAuditChain(db, tenant.id);
      if (result.ok) process.stdout.write(`OK      ${tenant.slug}: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}\n`);
      else {
        broken++;
        const { seq, id, reason } = result.brokenAt;
        process.stdout.write(`BROKEN  ${tenant.slug}: entry seq ${seq} (id ${id}): ${BREAK_TEXT[reason]}\n`);
      }
    }
    if (broken > 0) process.stderr.write(`The audit chain of ${broken} of ${tenants.length} tenant(s) is broken.\n`);
    return broken > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
