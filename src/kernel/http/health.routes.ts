import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppInstance, ReadinessCheck } from '../module/index.ts';
import { pendingMigrationUnits, type MigrationUnit } from '../db/index.ts';

const READY_TIMEOUT_MS = 2_000;

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    database: z.enum(['ok', 'unreachable']),
    migrations: z.union([z.literal('ok'), z.literal('unknown'), z.object({ pending: z.array(z.string()) })]),
    /** The modules' own checks by name (the job dispatcher keeps up, …). */
    modules: z.record(z.string(), z.union([z.literal('ok'), z.object({ problem: z.string() })])).optional(),
  }),
});

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}

export function healthRoutes(app: AppInstance, migrationUnits: readonly MigrationUnit[], moduleChecks: readonly ReadinessCheck[] = []): void {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['ops'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'The database answers and every migration is applied',
        response: { 200: readiness, 503: readiness },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(app.db.execute(sql`SELECT 1`), READY_TIMEOUT_MS);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database unreachable');
        return reply.code(503).send({ status: 'not_ready', checks: { database: 'unreachable', migrations: 'unknown' } });
      }
      const pending = await withTimeout(pendingMigrationUnits(app.db, [...migrationUnits]), READY_TIMEOUT_MS);
      if (pending.length > 0)
        return reply.code(503).send({ status: 'not_ready', checks: { database: 'ok', migrations: { pending } } });
      const results = await Promise.all(
        moduleChecks.map(async ({ name, check }) => [name, await withTimeout(check(app.db), READY_TIMEOUT_MS).catch((error: unknown) => ({ problem: String((error as Error).message ?? error) }))] as const),
      );
      const modules = Object.fromEntries(results);
      const ready = results.every(([, result]) => result === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database: 'ok', migrations: 'ok', modules } });
    },
  );
}
