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

export type ErrorCode = 'AUTHN' | 'VALIDATION' | 'NOT_FOUND' | 'AUTHZ' | 'RATE_LIMIT' | 'INTERNAL';

/** Every message the server sends. */
export type ServerMessage =
  | { type: 'welcome'; connectionId: string; heartbeatMs: number }
  | { type: 'subscribed'; channel: string; ref?: string }
  | { type: 'unsubscribed'; channel: string; ref?: string }
  | { type: 'event'; channel: string; id: string; event: unknown }
  /**
   * Events may be missing: those since lastEventId are no longer kept (TOO_OLD), the id is from
   * another sequencer (UNKNOWN_STREAM), or this process lost its link to the bus for a while
   * (MISSED). Reload the state, then carry on with the events that follow: never assume the
   * events between lastEventId and the next one received.
   */
  | { type: 'resync'; channel: string; reason: 'TOO_OLD' | 'UNKNOWN_STREAM' | 'MISSED' }
  | { type: 'pong'; ref?: string }
  | { type: 'error'; code: ErrorCode; message: string; ref?: string; details?: Record<string, unknown> };

/**
 * Event ids: `<stream>-<sequence>`. The stream names the sequencer (`pg` for PostgreSQL, the
 * Redis sequencer's epoch for Redis); the sequence comes from it, not from the app process, so
 * every process hands out the same id for the same event, and on each channel ids only grow in
 * the order events are delivered. A client may therefore resume on any process. An id of another
 * stream (the adapter changed, Redis lost its data) asks for a resync.
 */
export function eventId(stream: string, sequence: bigint): string {
  return `${stream}-${sequence}`;
}

export function parseEventId(id: string): { stream: string; sequence: bigint } | undefined {
  const match = /^([A-Za-z0-9_]+)-(\d{1,30})$/.exec(id);
  return match ? { stream: match[1] as string, sequence: BigInt(match[2] as string) } : undefined;
}

/**
 * Close codes of the gateway (4000–4999 are the application's): the credentials the socket was
 * opened with no longer hold (signed out, revoked, user disabled), or the member lost access to
 * a channel it holds or to the business. Either way the client must authenticate (or reload) again.
 */
export const CLOSE_CODES = { credentialsRevoked: 4401, accessWithdrawn: 4403 } as const;
