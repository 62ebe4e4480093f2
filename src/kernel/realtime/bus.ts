import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Db } from '../db/index.ts';
import type { UnitOfWork } from '../tenancy/unit-of-work.ts';
import type { Logger } from '../observability/logger.ts';
import type { PgListener } from '../db/listener.ts';
import { channelKey, eventId } from './protocol.ts';

/** What publishing in a unit of work uses of it: its transaction, and its count of events per channel. */
type InUnitOfWork = Pick<UnitOfWork<{ tenantId: string }>, 'tx' | 'count'>;

/** One published event as it travels between app processes. */
export interface BusMessage {
  tenantId: string;
  /** The channel's name within the tenant (`catalog.products`), not the full `tenant:<id>:` key. */
  channel: string;
  event: unknown;
}

/** A published event with the id its sequencer gave it (`<stream>-<sequence>`, see protocol.ts). */
export interface SequencedMessage extends BusMessage {
  id: string;
}

/**
 * Where this process's view of a stream begins: every event of `stream` whose sequence is at
 * least `sequence` reaches this process (until `lost` says otherwise), so a resume from an id at
 * or after it can be served completely from what this process kept.
 */
export interface Horizon {
  stream: string;
  sequence: bigint;
}

export interface BusReceiver {
  /** Called in each channel's sequence order. */
  deliver(message: SequencedMessage): void;
  /** Messages may have been missed (the link dropped and came back); what follows starts at `horizon`. */
  lost(horizon: Horizon): void;
}

/**
 * How published events get their id and reach every app process, this one included. The id
 * comes from one sequencer shared by all processes (PostgreSQL or Redis), so it is the same
 * everywhere and grows on each channel in delivery order: what lets a client resume on any node.
 */
export interface RealtimeBus {
  publish(message: BusMessage): Promise<void>;
  /** Publishes as part of the unit of work: delivered once it commits, never if it rolls back. */
  publishInTransaction(uow: InUnitOfWork, message: BusMessage): Promise<void>;
  /** Resolves once the process receives what others publish, with where its view begins. */
  start(receiver: BusReceiver): Promise<Horizon>;
  close(): Promise<void>;
}

/** The NOTIFY channel (and Redis channel) every app process listens on. */
export const BUS_CHANNEL = 'plinth_realtime';
/** With Redis: the NOTIFY channel of events published in a transaction, relayed to Redis once committed. */
export const COMMIT_RELAY_CHANNEL = 'plinth_realtime_commit';

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
export function notifyPayloads(message: object): string[] {
  const json = JSON.stringify(message);
  if (Buffer.byteLength(json) < NOTIFY_PAYLOAD_LIMIT) return [json];
  const bytes = Buffer.from(json);
  const id = randomUUID();
  const count = Math.ceil(bytes.length / PART_BYTES);
  return Array.from({ length: count }, (_, index) => JSON.stringify({ p: [id, index, count, bytes.subarray(index * PART_BYTES, (index + 1) * PART_BYTES).toString('base64')] } satisfies Part));
}

/** Puts parted messages back together; answers a whole message once its last part arrives. */
export function createReassembler<T extends object = SequencedMessage>(now: () => number = Date.now) {
  const pending = new Map<string, { parts: (string | undefined)[]; received: number; startedAt: number }>();
  return (payload: string): T | undefined => {
    const parsed = JSON.parse(payload) as T | Part;
    if (!('p' in parsed)) return parsed;
    const [id, index, count, data] = parsed.p;
    for (const [key, entry] of pending) if (now() - entry.startedAt > PARTS_TTL_MS) pending.delete(key);
    const entry = pending.get(id) ?? { parts: new Array<string | undefined>(count).fill(undefined), received: 0, startedAt: now() };
    pending.set(id, entry);
    if (entry.parts[index] === undefined) entry.received++;
    entry.parts[index] = data;
    if (entry.received < count) return undefined;
    pending.delete(id);
    return JSON.parse(Buffer.concat(entry.parts.map((part) => Buffer.from(part as string, 'base64'))).toString('utf8')) as T;
  };
}

/** How many events one transaction may publish to one channel (they share the transaction's WAL position). */
const MAX_EVENTS_PER_TRANSACTION = 1024n;

/** The longest sequence an id may carry (for sizing a NOTIFY before the id is known). */
const LONGEST_SEQUENCE = 10n ** 29n;
/** The WAL insert position as a number; it only grows, and a commit moves it on. */
const walPosition = sql`(pg_current_wal_insert_lsn() - '0/0')::text`;

/**
 * Fan-out and sequencing through PostgreSQL. An event's id is the WAL insert position read while
 * holding a transaction-level advisory lock on its channel, times 1024, plus its ordinal among the
 * channel's events in that transaction. The lock makes a second publisher on the channel wait for
 * the first one's commit, which writes WAL, so its position is strictly greater: ids grow on each
 * channel in commit order, which is also the order PostgreSQL delivers the NOTIFYs (sent in the
 * same transaction, so only on commit) to every listener. No table, no sequence to prune: each
 * process keeps the recent events it received (see hub.ts), and every process receives them all.
 */
export function createPostgresBus(options: { db: Db; listener: PgListener; log: Logger }): RealtimeBus {
  const { db, listener } = options;
  const reassemble = createReassembler();
  const horizon = async (): Promise<Horizon> => {
    const { rows } = await db.execute<{ position: string }>(sql`SELECT ${walPosition} AS position`);
    return { stream: POSTGRES_STREAM, sequence: BigInt((rows[0] as { position: string }).position) * MAX_EVENTS_PER_TRANSACTION };
  };

  /** The next ordinal of the channel's events in the unit of work, which counts them (none for a statement of its own). */
  function ordinalIn(uow: InUnitOfWork | undefined, key: string): bigint {
    if (!uow) return 0n;
    const ordinal = BigInt(uow.count(`realtime:${key}`));
    if (ordinal >= MAX_EVENTS_PER_TRANSACTION) throw new Error(`realtime: one transaction may publish at most ${MAX_EVENTS_PER_TRANSACTION} events to ${key}`);
    return ordinal;
  }

  /**
   * Locks the channel, numbers the event and NOTIFYs it. A message that fits one NOTIFY takes one
   * statement (outside a transaction, its own: the lock lasts until it commits); the id is put in
   * front of the message's JSON by the statement. A bigger one is numbered first, then sent in parts.
   */
  async function sequenceAndNotify(uow: InUnitOfWork | undefined, message: BusMessage): Promise<void> {
    const key = channelKey(message.tenantId, message.channel);
    const ordinal = ordinalIn(uow, key);
    const tx = uow?.tx;
    const lock = sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    const sequence = sql`(${walPosition})::numeric * ${MAX_EVENTS_PER_TRANSACTION.toString()}::numeric + ${ordinal.toString()}::numeric`;
    const json = JSON.stringify(message);
    if (notifyPayloads({ id: eventId(POSTGRES_STREAM, LONGEST_SEQUENCE), ...message }).length === 1) {
      const prefix = `{"id":"${POSTGRES_STREAM}-`;
      await (tx ?? db).execute(
        sql`SELECT pg_notify(${BUS_CHANNEL}, ${prefix} || numbered.sequence || '",' || substr(${json}, 2))
            FROM (SELECT ${sequence} AS sequence FROM (${lock}) AS channel_lock) AS numbered`,
      );
      return;
    }
    if (!tx) return db.transaction((own) => sequenceAndNotify({ tx: own, count: () => 0 }, message));
    const { rows } = await tx.execute<{ sequence: string }>(sql`SELECT (${sequence})::text AS sequence FROM (${lock}) AS channel_lock`);
    const id = eventId(POSTGRES_STREAM, BigInt((rows[0] as { sequence: string }).sequence));
    for (const payload of notifyPayloads({ id, ...message } satisfies SequencedMessage)) await tx.execute(sql`SELECT pg_notify(${BUS_CHANNEL}, ${payload})`);
  }

  return {
    async start(receiver) {
      listener.listen(BUS_CHANNEL, {
        notification(payload) {
          const message = reassemble(payload);
          if (message) receiver.deliver(message);
        },
        reconnected: async () => receiver.lost(await horizon()),
      });
      await listener.start();
      // Read once LISTEN is active: an event at or after this position commits later, so it arrives.
      return horizon();
    },
    publish: (message) => sequenceAndNotify(undefined, message),
    publishInTransaction: (uow, message) => sequenceAndNotify(uow, message),
    // The listener is the caller's (it carries other channels too) and closes with it.
    async close() {},
  };
}

/** The stream of ids PostgreSQL's sequencer hands out. */
export const POSTGRES_STREAM = 'pg';

/** The Redis hash holding the sequencer: its epoch (the stream) and its counter, lost or kept together. */
const SEQUENCER_KEY = 'plinth:realtime:sequencer';
/** How long a relayed transaction's event is remembered, so that the processes relaying it publish it once. */
const RELAY_DEDUPE_SECONDS = 3600;

/**
 * One atomic step: (when relaying) claim the relay id, take the next sequence number, and PUBLISH
 * the event with its id. Being one script, numbering and publishing cannot interleave with another
 * publisher's, so every subscriber receives each channel's ids in increasing order. A Redis that
 * lost its data starts a new epoch: old ids then belong to another stream and ask for a resync.
 * KEYS: sequencer, relay claim (or none). ARGV: bus channel, message JSON (an object), new epoch, claim TTL.
 */
const PUBLISH_SCRIPT = `
if KEYS[2] and not redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[4])) then return false end
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[3])
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local sequence = redis.call('HINCRBY', KEYS[1], 'sequence', 1)
local id = epoch .. '-' .. string.format('%d', sequence)
redis.call('PUBLISH', ARGV[1], '{"id":"' .. id .. '",' .. string.sub(ARGV[2], 2))
return id
`;

/** The current epoch and the sequence the next event will get (creating the epoch when there is none). */
const HORIZON_SCRIPT = `
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
return { redis.call('HGET', KEYS[1], 'epoch'), string.format('%d', (tonumber(redis.call('HGET', KEYS[1], 'sequence')) or 0) + 1) }
`;

const newEpoch = () => `r${randomBytes(6).toString('hex')}`;

/**
 * Fan-out and sequencing through Redis: one connection publishes (through PUBLISH_SCRIPT), a
 * second one subscribes. Publishing in a transaction cannot go through Redis directly (Redis knows
 * nothing of the commit), so the event is NOTIFYed in the transaction on COMMIT_RELAY_CHANNEL —
 * which PostgreSQL delivers only on commit — and every process relays what it hears to Redis;
 * the relay id makes the first relay publish it and the others do nothing.
 */
export function createRedisBus(options: { url: string; log: Logger; listener: PgListener }): RealtimeBus {
  const { log, listener } = options;
  const publisher = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  for (const connection of [publisher, subscriber]) connection.on('error', (error) => log.warn({ err: error }, 'realtime: Redis connection error'));
  const relayed = createReassembler<BusMessage & { relay: string }>();

  const publishVia = (message: BusMessage, relay?: string) =>
    publisher.eval(PUBLISH_SCRIPT, relay ? 2 : 1, ...(relay ? [SEQUENCER_KEY, `plinth:realtime:relayed:${relay}`] : [SEQUENCER_KEY]), BUS_CHANNEL, JSON.stringify(message), newEpoch(), RELAY_DEDUPE_SECONDS);
  const horizon = async (): Promise<Horizon> => {
    const [stream, sequence] = (await publisher.eval(HORIZON_SCRIPT, 1, SEQUENCER_KEY, newEpoch())) as [string, string];
    return { stream, sequence: BigInt(sequence) };
  };

  return {
    async start(receiver) {
      listener.listen(COMMIT_RELAY_CHANNEL, {
        notification(payload) {
          const message = relayed(payload);
          if (!message) return;
          const { relay, ...event } = message;
          publishVia(event, relay).catch((error: unknown) => log.error({ err: error }, 'realtime: could not relay a committed event to Redis'));
        },
      });
      let connectedBefore = false;
      subscriber.on('ready', () => {
        if (!connectedBefore) return void (connectedBefore = true);
        // ioredis resubscribes by itself; subscribing again resolves once Redis confirms, and only
        // then is the horizon read (what was published meanwhile is gone).
        subscriber
          .subscribe(BUS_CHANNEL)
          .then(horizon)
          .then((next) => receiver.lost(next))
          .catch((error: unknown) => log.warn({ err: error }, 'realtime: could not resume the Redis subscription'));
      });
      subscriber.on('message', (channel: string, payload: string) => {
        if (channel !== BUS_CHANNEL) return;
        try {
          receiver.deliver(JSON.parse(payload) as SequencedMessage);
        } catch (error) {
          log.warn({ err: error }, 'realtime: unreadable Redis message ignored');
        }
      });
      await Promise.all([publisher.connect(), subscriber.connect(), listener.start()]);
      await subscriber.subscribe(BUS_CHANNEL);
      return horizon();
    },
    async publish(message) {
      await publishVia(message);
    },
    async publishInTransaction({ tx }, message) {
      for (const payload of notifyPayloads({ ...message, relay: randomUUID() })) await tx.execute(sql`SELECT pg_notify(${COMMIT_RELAY_CHANNEL}, ${payload})`);
    },
    async close() {
      await Promise.all([publisher.quit().catch(() => publisher.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}
