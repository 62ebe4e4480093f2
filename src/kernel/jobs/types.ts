import type { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { Database, Db } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { UnitOfWork } from '../tenancy/index.ts';

/**
 * Every event type and its payload. The kernel imports no module, so each module (and each kernel
 * part that emits) adds its own events from its events.ts by declaration merging (as Fastify's
 * decorators are typed): `declare module '…/kernel/jobs/index.ts' { interface EventMap extends
 * PayloadsOf<typeof posEvents> {} }`. Emitting a type not in it, or a payload of the wrong shape,
 * does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules' events.ts
export interface EventMap {}

export type EventType = keyof EventMap & string;

/** Payload schemas by event type: a module's events.ts, which its manifest declares it `emits`. */
export type EventSchemas = Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;

/** The payload types of a set of schemas: what a module's events.ts adds to EventMap. */
export type PayloadsOf<S extends EventSchemas> = { -readonly [K in keyof S]: z.output<S[K]> };

/** What a use case emits: `type` is `module.thing.happened`, `payload` that event's. */
export type EventInput<T extends EventType = EventType> = { [K in T]: { type: K; payload: EventMap[K] } }[T];

/** An event as the outbox and the job queues carry it, whatever its type. */
export interface StoredEvent {
  id: string;
  type: string;
  tenantId: string;
  payload: Record<string, unknown>;
  /** ISO 8601. */
  occurredAt: string;
}

/** An event as a handler of `T` receives it, after commit: its payload typed by its type. */
export type DomainEvent<T extends EventType = EventType> = { [K in T]: Omit<StoredEvent, 'type' | 'payload'> & { type: K; payload: EventMap[K] } }[T];

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
export interface EventHandlerDefinition<T extends EventType = EventType> {
  /** Unique within the module, lower-case words with hyphens; the full name is `<module>.<name>`. */
  name: string;
  /** The event types it handles; some registered module must declare it emits each (checked at start-up). */
  events: readonly T[];
  handle(uow: UnitOfWork, event: DomainEvent<T>, services: HandlerServices): Promise<void>;
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
