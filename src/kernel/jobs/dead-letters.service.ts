import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import type { Database } from '../db/index.ts';
import { recordAudit } from '../audit/index.ts';
import { AppError, notFound } from '../errors.ts';
import { PLATFORM_TENANT_ID, withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { executorOf } from './dispatcher.ts';
import { DEAD_LETTER_QUEUE, PGBOSS_SCHEMA } from './queues.ts';

export const deadLetterView = z.object({
  id: z.uuid(),
  /** The handler or schedule whose job failed its last retry. */
  handler: z.string().nullable(),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  tenantId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  /** The last attempt's error message. */
  error: z.string().nullable(),
  failedAt: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterView>;

export const deadLetterQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

interface Row extends Record<string, unknown> {
  id: string;
  data: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  created_on: Date | string;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function toDeadLetter(row: Row): DeadLetter {
  const data = row.data ?? {};
  const payload = data['payload'];
  return {
    id: row.id,
    handler: text(data['handler']),
    eventId: text(data['id']),
    eventType: text(data['type']),
    tenantId: text(data['tenantId']),
    payload: payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null,
    error: text(row.output?.['message']),
    failedAt: new Date(row.created_on).toISOString(),
  };
}

/**
 * Dead letters hold every tenant's events, so a tenant's staff see only their own tenant's;
 * platform staff (working in the platform tenant) see them all, schedules' included.
 */
const visibleTo = (ctx: Pick<ServiceContext, 'tenantId'>) =>
  ctx.tenantId === PLATFORM_TENANT_ID ? sql`true` : sql`data->>'tenantId' = ${ctx.tenantId}`;

const deadLetters = sql`${sql.identifier(PGBOSS_SCHEMA)}.job`;

/** Dead letters waiting for a decision, newest first. */
export async function listDeadLetters(ctx: ServiceContext, query: z.infer<typeof deadLetterQuery>): Promise<DeadLetter[]> {
  const { rows } = await ctx.db.execute<Row>(sql`
    SELECT id, data, output, created_on FROM ${deadLetters}
     WHERE name = ${DEAD_LETTER_QUEUE} AND state = 'created' AND ${visibleTo(ctx)}
     ORDER BY created_on DESC, id LIMIT ${query.limit}`);
  return rows.map(toDeadLetter);
}

async function takeDeadLetter(uow: UnitOfWork, id: string): Promise<{ letter: DeadLetter; data: Record<string, unknown> }> {
  const { rows } = await uow.tx.execute<Row>(sql`
    DELETE FROM ${deadLetters}
     WHERE name = ${DEAD_LETTER_QUEUE} AND id = ${id} AND state = 'created' AND ${visibleTo(uow)}
     RETURNING id, data, output, created_on`);
  const row = rows[0];
  if (!row) throw notFound('Dead letter');
  return { letter: toDeadLetter(row), data: row.data ?? {} };
}

const UUID = z.uuid();

/**
 * Retry and discard run on one connection of the app pool: the dead letter is removed, the job
 * re-enqueued (pg-boss on the same connection) and the decision audited in one transaction of the
 * caller's tenant. The retried job gets a new id; the handler's processed-events record still
 * keeps a second effect out if the event had in fact been handled.
 */
export function deadLetterService(database: Database) {
  const boss = new PgBoss({ db: { executeSql: (query, values) => database.pool.query(query, values) }, schema: PGBOSS_SCHEMA });
  const decide = async (ctx: ServiceContext, id: string, retry: boolean): Promise<DeadLetter> => {
    if (!UUID.safeParse(id).success) throw notFound('Dead letter');
    const client = await database.pool.connect();
    try {
      return await withTenantTx({ ...ctx, db: drizzle({ client }) }, async (uow) => {
        const { letter, data } = await takeDeadLetter(uow, id);
        if (retry) {
          if (!letter.handler) throw new AppError('CONFLICT', 'This dead letter names no queue to retry on.');
          const jobId = await boss.send(letter.handler, data, { db: executorOf(client) });
          if (!jobId) throw new AppError('CONFLICT', `The queue ${letter.handler} no longer exists.`);
        }
        recordAudit(uow, {
          action: retry ? 'jobs.deadletter.retried' : 'jobs.deadletter.discarded',
          target: { type: 'jobs.deadletter', id },
          data: { handler: letter.handler, eventId: letter.eventId, eventType: letter.eventType, tenantId: letter.tenantId },
        });
        return letter;
      });
    } finally {
      client.release();
    }
  };
  return {
    retry: (ctx: ServiceContext, id: string) => decide(ctx, id, true),
    discard: (ctx: ServiceContext, id: string) => decide(ctx, id, false),
  };
}
