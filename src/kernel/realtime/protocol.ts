import { z } from 'zod';

/** A channel's name within a tenant: dotted lower-case words, like permissions (`catalog.products`). */
export const CHANNEL_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `tenant:<tenant id>:<name>`, the form clients name channels in. */
export const channelKey = (tenantId: string, name: string): string => `tenant:${tenantId}:${name}`;

/** The tenant and name of a channel key, or undefined when it is not one. */
export function parseChannelKey(key: string): { tenantId: string; name: string } | undefined {
  const match = /^tenant:([^:]+):(.+)$/.exec(key);
  if (!match || !UUID.test(match[1] as string) || !CHANNEL_NAME.test(match[2] as string)) return undefined;
  return { tenantId: (match[1] as string).toLowerCase(), name: match[2] as string };
}

const ref = z.string().max(64).optional();
const channel = z.string().min(1).max(200);

/** Every message a client may send; anything else is answered with an error frame. */
export const clientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('subscribe'),
    channel,
    /** The id of the last event the client saw on this channel (after a reconnect): missed events are replayed. */
    lastEventId: z.string().max(100).optional(),
    ref,
  }),
  z.strictObject({ type: z.literal('unsubscribe'), channel, ref }),
  z.strictObject({ type: z.literal('ping'), ref }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type ErrorCode = 'VALIDATION' | 'NOT_FOUND' | 'AUTHZ' | 'RATE_LIMIT' | 'INTERNAL';

/** Every message the server sends. */
export type ServerMessage =
  | { type: 'welcome'; connectionId: string; heartbeatMs: number }
  | { type: 'subscribed'; channel: string; ref?: string }
  | { type: 'unsubscribed'; channel: string; ref?: string }
  | { type: 'event'; channel: string; id: string; event: unknown }
  /**
   * Events may be missing: those since lastEventId are no longer kept (TOO_OLD), the id is from
   * another process or run (UNKNOWN_STREAM), or this process lost its link to the bus for a while
   * (MISSED). Reload the state, then carry on with the events that follow.
   */
  | { type: 'resync'; channel: string; reason: 'TOO_OLD' | 'UNKNOWN_STREAM' | 'MISSED' }
  | { type: 'pong'; ref?: string }
  | { type: 'error'; code: ErrorCode; message: string; ref?: string; details?: Record<string, unknown> };

/**
 * Event ids: `<stream>-<sequence>`. The stream is this process's run; the sequence counts the
 * channel's events in it, so ids on a channel only grow, and a reconnect to the same process can
 * resume exactly. An id of another stream (another process, or before a restart) asks for a resync.
 */
export function eventId(stream: string, sequence: number): string {
  return `${stream}-${sequence}`;
}

export function parseEventId(id: string): { stream: string; sequence: number } | undefined {
  const match = /^([A-Za-z0-9_]+)-(\d{1,15})$/.exec(id);
  return match ? { stream: match[1] as string, sequence: Number(match[2]) } : undefined;
}
