import type { Config } from '../config/index.ts';
import type { Database, Db } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { UnitOfWork } from '../tenancy/index.ts';

/** What a use case emits: `type` is `module.thing.happened`. */
export interface EventInput<P extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  payload: P;
}

/** An event as a handler receives it, after commit. */
export interface DomainEvent<P extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  type: string;
  tenantId: string;
  payload: P;
  /** ISO 8601. */
  occurredAt: string;
}

/** How often a failing job is tried again before it lands in the dead-letter queue. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  limit?: number;
  /** Seconds before the first retry (default 10); doubled each time, with jitter, when `backoff` is on. */
  delaySeconds?: number;
  /** Exponential back-off (default true). */
  backoff?: boolean;
}

/**
 * A module's handler of domain events: a step of a unit of work of the event's tenant (its actor
 * the handler, its request id the event's), which also records (handler, event id): its effect commits together with that record,
 * so a redelivered event changes nothing. Throwing rolls both back and the job is retried.
 */
export interface EventHandlerDefinition {
  /** Unique within the module, lower-case words with hyphens; the full name is `<module>.<name>`. */
  name: string;
  /** The event types it handles. */
  events: readonly string[];
  handle(uow: UnitOfWork, event: DomainEvent, services: HandlerServices): Promise<void>;
  retry?: RetryPolicy;
}

/** What a handler may use besides its unit of work: the app pool, for work that must commit on its own (a backup's progress). */
export interface HandlerServices {
  db: Db;
}

/** What a scheduled job gets: the app pool (app role), a logger and the configuration; it opens its own transactions. */
export interface ScheduleServices {
  database: Database;
  log: Logger;
  config: Config;
}

/** A named cron schedule (e.g. the nightly backup), run once per tick across all workers. */
export interface ScheduleDefinition {
  /** Unique within the module, lower-case words with hyphens; the full name is `<module>.<name>`. */
  name: string;
  /** Five-field cron expression, e.g. `0 3 * * *`. */
  cron: string;
  /** IANA time zone of the cron expression (default UTC). */
  tz?: string;
  run(services: ScheduleServices): Promise<void>;
  retry?: RetryPolicy;
}
