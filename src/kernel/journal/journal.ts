import { sql } from 'drizzle-orm';
import { statement, type Tx } from '../db/index.ts';
import { jobsOutbox } from '../jobs/outbox.table.ts';

/** An audit entry as audit_append_entries (audit migration 0003) appends it: content and the canonical pieces around what the database assigns. */
export interface JournalAuditEntry {
  tenantId: string;
  id: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  data: Record<string, unknown>;
  beforeTime: string;
  beforePrevious: string;
  beforeSeq: string;
  rest: string;
}

/** An outbox row. */
export interface JournalEvent {
  tenantId: string;
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

const appendAuditEntries = statement<{ seq: string }>('journal_append_audit', sql`SELECT entry.seq FROM audit_append_entries(${sql.placeholder('tenantId')}::uuid, ${sql.placeholder('entries')}::jsonb) AS entry`);

/** Any number of outbox rows, given as a jsonb array. */
const insertEventsSql = sql`
  INSERT INTO ${jobsOutbox} (tenant_id, id, type, payload)
  SELECT event."tenantId", event.id, event.type, event.payload
    FROM jsonb_to_recordset(${sql.placeholder('events')}::jsonb) AS event("tenantId" uuid, id uuid, type text, payload jsonb)`;

const insertEvents = statement('journal_insert_events', insertEventsSql);

/** A journal's events and the audit entries of one tenant (the transaction's) in one statement. */
const insertEventsAndAppendAuditEntries = statement<{ seq: string }>(
  'journal_write',
  sql`WITH events AS (${insertEventsSql})
      SELECT entry.seq FROM audit_append_entries(${sql.placeholder('tenantId')}::uuid, ${sql.placeholder('entries')}::jsonb) AS entry`,
);

/**
 * A unit of work's audit entries and outbox events (kernel/tenancy/unit-of-work.ts): kept in
 * memory while its use case runs and written in ONE statement when it has finished, just before
 * its transaction commits (a use case that throws writes nothing; its transaction rolls back
 * anyway). So a use case spends one round trip on all of them, and takes the tenant's audit
 * append lock only at its very end, after every row lock it takes: that lock and the use case's
 * row locks are held for the journal's statement and the commit alone.
 */
export class Journal {
  #audits: JournalAuditEntry[] = [];
  #events: JournalEvent[] = [];
  #closed = false;

  /** Keeps an audit entry for the write at the end. */
  audit(entry: JournalAuditEntry): void {
    this.#assertOpen();
    this.#audits.push(entry);
  }

  /** Keeps an outbox event for the write at the end. */
  event(event: JournalEvent): void {
    this.#assertOpen();
    this.#events.push(event);
  }

  /**
   * Writes what the journal holds so far and keeps it open: for a unit of work about to scope its
   * transaction to another tenant (row-level security checks each row against the scope it is
   * written under, so entries must be written under the scope they were recorded in).
   */
  async writeSoFar(tx: Tx): Promise<void> {
    await writeJournal(tx, this.#audits.splice(0), this.#events.splice(0));
  }

  /** Writes what the journal holds and closes it: recording afterwards is a bug (work outliving its unit of work) and throws. */
  async close(tx: Tx): Promise<void> {
    this.#closed = true;
    await this.writeSoFar(tx);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('journal: recorded after its unit of work ended');
  }
}

async function writeJournal(tx: Tx, audits: readonly JournalAuditEntry[], events: readonly JournalEvent[]): Promise<void> {
  if (audits.length === 0 && events.length === 0) return;
  // Entries are grouped by tenant (each tenant has its own chain); a use case records for its own.
  const byTenant = new Map<string, JournalAuditEntry[]>();
  for (const entry of audits) {
    const entries = byTenant.get(entry.tenantId);
    if (entries) entries.push(entry);
    else byTenant.set(entry.tenantId, [entry]);
  }
  const [first, ...others] = [...byTenant];
  if (!first) await insertEvents.run(tx, { events: JSON.stringify(events) });
  else if (events.length === 0) await appendAuditEntries.run(tx, { tenantId: first[0], entries: JSON.stringify(first[1]) });
  else await insertEventsAndAppendAuditEntries.run(tx, { events: JSON.stringify(events), tenantId: first[0], entries: JSON.stringify(first[1]) });
  for (const [tenantId, entries] of others) await appendAuditEntries.run(tx, { tenantId, entries: JSON.stringify(entries) });
}
