/** Jobs' public surface: the only file modules, editions and the CLI import. */
export { emit, checkEmittedEvents } from './emit.ts';
export { defineEvents, defineEventHandler } from './define-events.ts';
export { startJobs, JOBS_DEFAULTS, type JobsOptions, type JobsRuntime } from './runtime.ts';
export { deliverEvent } from './deliver.ts';
export { DEAD_LETTER_QUEUE, jobIdOf, type HandlerJobData } from './queues.ts';
export { pruneOutbox, OUTBOX_KEEP_DAYS } from './outbox-prune.ts';
export type {
  DomainEvent,
  EventHandlerDefinition,
  EventInput,
  EventMap,
  EventSchemas,
  EventType,
  HandlerServices,
  PayloadsOf,
  RetryPolicy,
  ScheduleDefinition,
  ScheduleServices,
  StoredEvent,
} from './types.ts';
