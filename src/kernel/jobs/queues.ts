import { createHash } from 'node:crypto';
import type { ModuleManifest } from '../module/index.ts';
import type { EventHandlerDefinition, RetryPolicy, ScheduleDefinition, StoredEvent } from './types.ts';

/** The schema pg-boss lives in (created by the jobs migrations). */
export const PGBOSS_SCHEMA = 'pgboss';
/** Where jobs go after their last retry (created by the jobs migrations). */
export const DEAD_LETTER_QUEUE = 'jobs.dead-letter';

/** A handler's job: the event plus the handler's full name (so a dead letter knows where it came from). */
export interface HandlerJobData extends StoredEvent {
  handler: string;
}

export interface RegisteredHandler {
  /** `<module>.<name>`; also its pg-boss queue. */
  name: string;
  definition: EventHandlerDefinition;
}

export interface RegisteredSchedule {
  /** `<module>.<name>`; also its pg-boss queue and schedule name. */
  name: string;
  definition: ScheduleDefinition;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function fullName(moduleId: string, name: string, seen: Set<string>): string {
  if (!NAME.test(name)) throw new Error(`Module ${moduleId}: job name "${name}" must be lower-case words joined by hyphens.`);
  const full = `${moduleId}.${name}`;
  if (seen.has(full)) throw new Error(`Module ${moduleId}: job name "${name}" is declared twice.`);
  seen.add(full);
  return full;
}

/** Every event handler and schedule the modules declare, checked for well-formed, unique names. */
export function collectJobs(modules: readonly ModuleManifest[]): { handlers: RegisteredHandler[]; schedules: RegisteredSchedule[] } {
  const seen = new Set<string>();
  const handlers: RegisteredHandler[] = [];
  const schedules: RegisteredSchedule[] = [];
  for (const module of modules) {
    for (const definition of module.eventHandlers ?? []) handlers.push({ name: fullName(module.id, definition.name, seen), definition });
    for (const definition of module.schedules ?? []) schedules.push({ name: fullName(module.id, definition.name, seen), definition });
  }
  return { handlers, schedules };
}

/** Event type → the handlers subscribed to it. */
export function routeTable(handlers: readonly RegisteredHandler[]): Map<string, RegisteredHandler[]> {
  const routes = new Map<string, RegisteredHandler[]>();
  for (const handler of handlers)
    for (const type of handler.definition.events) routes.set(type, [...(routes.get(type) ?? []), handler]);
  return routes;
}

/**
 * The pg-boss job id of one handler's delivery of one event: derived, not random, so enqueuing
 * the same (event, handler) twice inserts one job (pg-boss inserts ON CONFLICT DO NOTHING).
 */
export function jobIdOf(eventId: string, handler: string): string {
  const hex = createHash('sha256').update(`${eventId}\n${handler}`).digest('hex');
  // Shaped as an RFC 9562 version 8 (custom) UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export const DEFAULT_RETRY: Required<RetryPolicy> = { limit: 5, delaySeconds: 10, backoff: true };

/** pg-boss's retry options of a policy. */
export function retryOptions(policy: RetryPolicy | undefined): { retryLimit: number; retryDelay: number; retryBackoff: boolean } {
  const { limit, delaySeconds, backoff } = { ...DEFAULT_RETRY, ...policy };
  return { retryLimit: limit, retryDelay: delaySeconds, retryBackoff: backoff };
}
