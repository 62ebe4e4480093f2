/** Jobs' public surface: the only file modules, editions and the CLI import. */
export { emit } from './emit.ts';
export { startJobs, JOBS_DEFAULTS, type JobsOptions, type JobsRuntime } from './runtime.ts';
export { deliverEvent } from './deliver.ts';
export { DEAD_LETTER_QUEUE, jobIdOf, type HandlerJobData } from './queues.ts';
export { pruneOutbox, OUTBOX_KEEP_DAYS } from './outbox-prune.ts';
export type { DomainEvent, EventHandlerDefinition, EventInput, HandlerServices, RetryPolicy, ScheduleDefinition, ScheduleServices } from './types.ts';
