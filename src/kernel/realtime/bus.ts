import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.ts';

/** One published event as it travels between app processes. */
export interface BusMessage {
  tenantId: string;
  /** The channel's name within the tenant (`catalog.products`), not the full `tenant:<id>:` key. */
  channel: string;
  event: unknown;
}

/** How published events reach every app process, this one included. */
export interface RealtimeBus {
  publish(message: BusMessage): Promise<void>;
  /**
   * Resolves once the process receives what others publish. `lost` is called when messages may
   * have been missed (the listening connection dropped and came back).
   */
  start(deliver: (message: BusMessage) => void, lost?: () => void): Promise<void>;
  close(): Promise<void>;
}

/** The NOTIFY channel (and Redis channel) every app process listens on. */
export const BUS_CHANNEL = 'plinth_realtime';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a bigger message is sent in parts. */
export const NOTIFY_PAYLOAD_LIMIT = 8000;
/** Bytes of message per part: base64 makes 4/3 of it, and the part's envelope fits in what is left. */
const PART_BYTES = 5000;
/** Parts of a message still incomplete after this long are forgotten (a publisher died mid-way). */
const PARTS_TTL_MS = 30_000;

interface Part {
  /** Message id, part index, part count, base64 slice of the message's UTF-8 JSON. */
  p: [string, number, number, string];
}

/** The NOTIFY payloads for a message: itself when small enough, else parts that the receivers put back together. */
export function notifyPayloads(message: BusMessage): string[] {
  const json = JSON.stringify(message);
  if (Buffer.byteLength(json) < NOTIFY_PAYLOAD_LIMIT) return [json];
  const bytes = Buffer.from(json);
  const id = randomUUID();
  const count = Math.ceil(bytes.length / PART_BYTES);
  return Array.from({ length: count }, (_, index) => JSON.stringify({ p: [id, index, count, bytes.subarray(index * PART_BYTES, (index + 1) * PART_BYTES).toString('base64')] } satisfies Part));
}

/** Puts parted messages back together; answers a whole message once its last part arrives. */
export function createReassembler(now: () => number = Date.now) {
  const pending = new Map<string, { parts: (string | undefined)[]; received: number; startedAt: number }>();
  return (payload: string): BusMessage | undefined => {
    const parsed = JSON.parse(payload) as BusMessage | Part;
    if (!('p' in parsed)) return parsed;
    const [id, index, count, data] = parsed.p;
    for (const [key, entry] of pending) if (now() - entry.startedAt > PARTS_TTL_MS) pending.delete(key);
    const entry = pending.get(id) ?? { parts: new Array<string | undefined>(count).fill(undefined), received: 0, startedAt: now() };
    pending.set(id, entry);
    if (entry.parts[index] === undefined) entry.received++;
    entry.parts[index] = data;
    if (entry.received < count) return undefined;
    pending.delete(id);
    return JSON.parse(Buffer.concat(entry.parts.map((part) => Buffer.from(part as string, 'base64'))).toString('utf8')) as BusMessage;
  };
}

/**
 * Fan-out through PostgreSQL: a dedicated client LISTENs (reconnecting with back-off when the
 * connection drops); publishing NOTIFYs through the pool, all parts of one message in one
 * transaction so they arrive together and in order.
 */
export function createPostgresBus(options: { pool: pg.Pool; log: Logger }): RealtimeBus {
  const { pool, log } = options;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let deliverTo: ((message: BusMessage) => void) | undefined;
  let onLost: (() => void) | undefined;
  const reassemble = createReassembler();

  async function connect(): Promise<void> {
    // The pool's own connection settings, for one connection outside it that stays open.
    const next = new pg.Client({ ...pool.options, application_name: 'plinth-realtime' });
    next.on('notification', (notification) => {
      if (notification.channel !== BUS_CHANNEL || !notification.payload) return;
      try {
        const message = reassemble(notification.payload);
        if (message) deliverTo?.(message);
      } catch (error) {
        log.warn({ err: error }, 'realtime: unreadable notification ignored');
      }
    });
    next.on('error', (error) => {
      log.warn({ err: error }, 'realtime: LISTEN connection lost; reconnecting');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      scheduleReconnect(500);
    });
    await next.connect();
    await next.query(`LISTEN ${BUS_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  }

  function scheduleReconnect(delayMs: number): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect()
        .then(() => onLost?.())
        .catch((error: unknown) => {
          log.warn({ err: error }, 'realtime: could not LISTEN; retrying');
          scheduleReconnect(Math.min(delayMs * 2, 10_000));
        });
    }, delayMs);
  }

  return {
    async start(deliver, lost) {
      deliverTo = deliver;
      onLost = lost;
      await connect();
    },
    async publish(message) {
      const payloads = notifyPayloads(message);
      if (payloads.length === 1) {
        await pool.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, payloads[0]]);
        return;
      }
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        for (const payload of payloads) await connection.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, payload]);
        await connection.query('COMMIT');
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}

/** Fan-out through Redis pub/sub: one connection publishes, a second one subscribes. */
export function createRedisBus(options: { url: string; log: Logger }): RealtimeBus {
  const publisher = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  for (const connection of [publisher, subscriber]) connection.on('error', (error) => options.log.warn({ err: error }, 'realtime: Redis connection error'));
  return {
    async start(deliver, lost) {
      // ioredis resubscribes by itself after a reconnect; what was published meanwhile is gone.
      let connectedBefore = false;
      subscriber.on('ready', () => {
        if (connectedBefore) lost?.();
        connectedBefore = true;
      });
      subscriber.on('message', (channel: string, payload: string) => {
        if (channel !== BUS_CHANNEL) return;
        try {
          deliver(JSON.parse(payload) as BusMessage);
        } catch (error) {
          options.log.warn({ err: error }, 'realtime: unreadable Redis message ignored');
        }
      });
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(BUS_CHANNEL);
    },
    async publish(message) {
      await publisher.publish(BUS_CHANNEL, JSON.stringify(message));
    },
    async close() {
      await Promise.all([publisher.quit().catch(() => publisher.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}
