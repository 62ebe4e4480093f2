import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Actor, ServiceContext } from '../../../src/kernel/context.ts';
import { withTx } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { ensureTenant, withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { recordAudit, type AuditInput, type RecordedAudit } from '../../../src/kernel/audit/index.ts';
import type { TestApp } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import type { AuditEntry } from '../../../src/kernel/audit/hash.ts';

/** A GET as the owner of `tenant` (signed in with an API token). */
export async function getAs(t: TestApp, tenant: string, url: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers: await t.headersFor(tenant) });
}

/** A tenant of its own, so a test's chain starts at seq 1 whatever other tests wrote. */
export function freshTenant(t: TestApp): Promise<Tenant> {
  const slug = `audit-${randomBytes(4).toString('hex')}`;
  return withTx(t.database.db, (tx) => ensureTenant(tx, { slug, name: slug, edition: 'retail' }));
}

/** A use case's context for a tenant, running as the app role (row-level security applies). */
export function contextFor(t: TestApp, tenantId: string, actor: Actor = { kind: 'system', process: 'audit-test' }): ServiceContext {
  return { db: t.app.db, tenantId, actor, requestId: randomUUID(), log: createLogger('silent') };
}

/** Appends entries one transaction each, as use cases do. */
export async function appendEntries(ctx: ServiceContext, inputs: AuditInput[]): Promise<RecordedAudit[]> {
  const recorded: RecordedAudit[] = [];
  for (const input of inputs) recorded.push(await withTenantTx(ctx, async (uow) => recordAudit(uow, input)));
  return recorded;
}

export const entry = (action: string, targetId: string, data: Record<string, unknown> = {}): AuditInput => ({
  action,
  target: { type: 'test.thing', id: targetId },
  data,
});

/**
 * Changes audit rows (entries or signed checkpoints) behind the triggers' back, as only a
 * superuser (or the table owner) can: the triggers are switched off for the statement and on again.
 */
export async function tamper(t: TestApp, statement: string, values: unknown[] = []): Promise<void> {
  const client = await t.database.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
    await client.query('ALTER TABLE audit_checkpoint DISABLE TRIGGER USER');
    await client.query(statement, values);
    await client.query('ALTER TABLE audit_checkpoint ENABLE TRIGGER USER');
    await client.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** A stored audit row: the entry the hash covers, and its hash. */
export type AuditRow = AuditEntry & { hash: string };

/** A tenant's audit rows in chain order, read as the owner; occurred_at as stored, with microseconds. */
export async function auditRows(t: TestApp, tenantId: string): Promise<AuditRow[]> {
  const { rows } = await ownerQuery<AuditRow>(
    t,
    `SELECT tenant_id, seq, id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
            actor, action, target_type, target_id, request_id, data, prev_hash, hash
       FROM audit_event WHERE tenant_id = $1 ORDER BY seq`,
    [tenantId],
  );
  return rows;
}
