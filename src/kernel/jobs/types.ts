import type { Config } from '../config/index.ts';
import type { ServiceContext } from '../context.ts';
import type { Database, Tx } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';

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
 * A module's handler of domain events. It runs inside a tenant-scoped transaction of the event's
 * tenant, which also records (handler, event id): its effect commits together with that record,
 * so a redelivered event changes nothing. Throwing rolls both back and the job is retried.
 */
export interface EventHandlerDefinition {
  /** Unique within the module, lower-case words with hyphens; the full name is `<module>.<name>`. */
  name: string;
  /** The event types it handles. */
  events: readonly string[];
  handle(tx: Tx, ctx: ServiceContext, event: DomainEvent): Promise<void>;
  retry?: RetryPolicy;
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
