import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { defineModule } from '../../../src/kernel/module/index.ts';
import { z } from 'zod';
import { defineEvents, type EventHandlerDefinition, type EventType, type PayloadsOf } from '../../../src/kernel/jobs/index.ts';

/** What the test handlers do, as rows the owner can count: one per run that committed. */
export async function createEffectTable(owner: pg.Pool): Promise<void> {
  await owner.query(`
    CREATE TABLE IF NOT EXISTS jobtest_effect (event_id uuid NOT NULL, handler text NOT NULL, event_tenant uuid NOT NULL);
    GRANT SELECT, INSERT ON jobtest_effect TO plinth_app;`);
}

/** Records the event's effect, then (optionally) lingers in its transaction so a kill can land mid-job. */
export function effectHandler(name: string, events: readonly EventType[], lingerMs = 0): EventHandlerDefinition {
  return {
    name,
    events,
    retry: { limit: 5, delaySeconds: 1, backoff: false },
    async handle(uow, event) {
      await uow.tx.execute(sql`INSERT INTO jobtest_effect (event_id, handler, event_tenant) VALUES (${event.id}, ${name}, ${uow.tenantId})`);
      if (lingerMs > 0) await uow.tx.execute(sql`SELECT pg_sleep(${lingerMs / 1000})`);
    },
  };
}

export const EFFECT_EVENT = 'jobtest.thing.happened';
export const FLAKY_EVENT = 'jobtest.thing.failed';

/** The test module's events; tests emitting them next to a test app have emit check them too (checkEmittedEvents). */
export const jobtestEvents = defineEvents({
  [EFFECT_EVENT]: z.object({ n: z.number().int().optional() }),
  [FLAKY_EVENT]: z.object({ n: z.number().int().optional(), order: z.string().optional() }),
});

declare module '../../../src/kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof jobtestEvents> {}
}

/** The module the worker process (worker-process.ts) mounts. */
export const effectModule = defineModule({ id: 'jobtest', permissions: [], emits: jobtestEvents, eventHandlers: [effectHandler('effect', [EFFECT_EVENT], 30)] });

/** Polls until `check` answers true, failing after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
