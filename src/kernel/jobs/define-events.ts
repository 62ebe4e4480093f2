import type { EventHandlerDefinition, EventSchemas, EventType } from './types.ts';

/** `module.thing.happened`: lower-case words, the first the emitting module's id. */
export const EVENT_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*){2,}$/;

/**
 * A module's events: the Zod schema of each one's payload, by type. Its manifest declares it
 * `emits` them; its events.ts adds their payloads to EventMap; emit checks payloads against them
 * when configured to (tests).
 */
export function defineEvents<const S extends EventSchemas>(schemas: S): S {
  for (const type of Object.keys(schemas)) if (!EVENT_TYPE.test(type)) throw new Error(`Event type "${type}" must look like module.thing.happened.`);
  return schemas;
}

/** A handler whose `event` is typed by the events it lists. */
export function defineEventHandler<const T extends EventType>(definition: EventHandlerDefinition<T>): EventHandlerDefinition<T> {
  return definition;
}
