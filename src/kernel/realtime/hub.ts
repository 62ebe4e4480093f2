import { LRUCache } from 'lru-cache';
import type { Horizon, SequencedMessage } from './bus.ts';
import { channelKey, parseEventId, type ServerMessage } from './protocol.ts';

/** What the hub needs of a socket (a `ws` WebSocket). */
export interface Sink {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  terminate(): void;
}

const OPEN = 1;

/**
 * The recent events of one channel, oldest first. `floor`: the greatest sequence after which this
 * process is sure to hold every event of the channel (below it, events were trimmed away or
 * arrived before this process listened).
 */
interface Channel {
  last: bigint;
  floor: bigint;
  recent: { sequence: bigint; frame: string }[];
}

export interface HubOptions {
  replayEvents: number;
  maxBufferedBytes: number;
  /** How many channels keep their recent events; the least recently used are forgotten (their resuming clients resync). */
  maxStreams?: number;
  /** Called when a slow consumer is dropped. */
  onSlowConsumer?: (sink: Sink) => void;
}

export interface Hub {
  /** Where this process's view of the event stream begins (from the bus, at start). */
  begin(horizon: Horizon): void;
  /** Hands a message from the bus to this process's subscribers of its channel. */
  deliver(message: SequencedMessage): void;
  /** Adds a subscriber; answers the frames to send first (missed events, or a resync). */
  subscribe(sink: Sink, key: string, lastEventId: string | undefined): string[];
  unsubscribe(sink: Sink, key: string): void;
  /** Events may have been lost on the way here: every subscriber is told to resync, and replay starts afresh at `horizon`. */
  lost(horizon: Horizon): void;
  /** Forgets a closed socket everywhere. */
  remove(sink: Sink): void;
  /** Sends a frame unless the socket is too far behind, in which case it is dropped. */
  send(sink: Sink, message: ServerMessage | string): boolean;
  subscriberCount(key: string): number;
  /** How many channels a socket is subscribed to. */
  subscriptionsOf(sink: Sink): number;
  /** The channel keys a socket is subscribed to. */
  channelsOf(sink: Sink): string[];
  isSubscribed(sink: Sink, key: string): boolean;
}

/**
 * Subscriptions and recent events of this process. Ids come from the bus's shared sequencer and
 * every process receives every event, so each process keeps the same recent window per channel
 * and can serve a resume from an id another process handed out. Each subscription remembers the
 * last sequence it was sent: an event at or below it is never sent again, so a client never sees
 * an id go backwards, even when it resumes here with an id this process has not received yet.
 */
export function createHub(options: HubOptions): Hub {
  // Subscriber → channel key → the last sequence sent to it there (undefined: nothing yet).
  const subscriptions = new Map<Sink, Map<string, bigint | undefined>>();
  const subscribers = new Map<string, Set<Sink>>();
  let horizon: Horizon | undefined;
  // A forgotten channel's events are gone: no resume at or before its last event can be served.
  let evictedUpTo = -1n;
  const channels = new LRUCache<string, Channel>({
    max: options.maxStreams ?? 10_000,
    dispose: (channel, _key, reason) => {
      if (reason === 'evict' && channel.last > evictedUpTo) evictedUpTo = channel.last;
    },
  });

  function remove(sink: Sink): void {
    for (const key of subscriptions.get(sink)?.keys() ?? []) {
      const set = subscribers.get(key);
      set?.delete(sink);
      if (set?.size === 0) subscribers.delete(key);
    }
    subscriptions.delete(sink);
  }

  /** Back-pressure: a client that does not read is dropped, never buffered for without bound. */
  function send(sink: Sink, message: ServerMessage | string): boolean {
    if (sink.readyState !== OPEN) return false;
    if (sink.bufferedAmount > options.maxBufferedBytes) {
      remove(sink);
      sink.terminate();
      options.onSlowConsumer?.(sink);
      return false;
    }
    sink.send(typeof message === 'string' ? message : JSON.stringify(message));
    return true;
  }

  function restart(next: Horizon): void {
    horizon = next;
    channels.clear();
    evictedUpTo = -1n;
  }

  return {
    begin: restart,
    deliver(message) {
      const id = parseEventId(message.id);
      if (!id) return;
      // A new stream (Redis lost its data): what this process kept belongs to the old one.
      if (!horizon || id.stream !== horizon.stream) restart({ stream: id.stream, sequence: id.sequence });
      const key = channelKey(message.tenantId, message.channel);
      const channel = channels.get(key) ?? { last: -1n, floor: (horizon as Horizon).sequence - 1n, recent: [] };
      // Defensive: the bus delivers each channel in order; a repeat or a late one is not sent.
      if (id.sequence <= channel.last) return;
      const frame = JSON.stringify({ type: 'event', channel: key, id: message.id, event: message.event } satisfies ServerMessage);
      channel.recent.push({ sequence: id.sequence, frame });
      channel.last = id.sequence;
      if (channel.recent.length > options.replayEvents) channel.floor = (channel.recent.shift() as { sequence: bigint }).sequence;
      channels.set(key, channel);
      for (const sink of [...(subscribers.get(key) ?? [])]) {
        const mine = subscriptions.get(sink);
        const sent = mine?.get(key);
        if (sent !== undefined && id.sequence <= sent) continue;
        mine?.set(key, id.sequence);
        send(sink, frame);
      }
    },
    subscribe(sink, key, lastEventId) {
      let set = subscribers.get(key);
      if (!set) subscribers.set(key, (set = new Set()));
      set.add(sink);
      let mine = subscriptions.get(sink);
      if (!mine) subscriptions.set(sink, (mine = new Map()));
      if (lastEventId === undefined) {
        if (!mine.has(key)) mine.set(key, undefined);
        return [];
      }
      const resync = (reason: 'TOO_OLD' | 'UNKNOWN_STREAM') => {
        mine.set(key, undefined);
        return [JSON.stringify({ type: 'resync', channel: key, reason } satisfies ServerMessage)];
      };
      const last = parseEventId(lastEventId);
      if (!last || !horizon || last.stream !== horizon.stream) return resync('UNKNOWN_STREAM');
      const channel = channels.get(key);
      const floor = [horizon.sequence - 1n, channel?.floor ?? -1n, evictedUpTo].reduce((a, b) => (a > b ? a : b));
      // Complete only when every event after the client's last one is still kept here.
      if (last.sequence < floor) return resync('TOO_OLD');
      const missed = channel?.recent.filter((entry) => entry.sequence > last.sequence) ?? [];
      // Events up to the client's last one are not sent again, including those still on their way here.
      mine.set(key, missed.at(-1)?.sequence ?? last.sequence);
      return missed.map((entry) => entry.frame);
    },
    unsubscribe(sink, key) {
      const set = subscribers.get(key);
      set?.delete(sink);
      if (set?.size === 0) subscribers.delete(key);
      subscriptions.get(sink)?.delete(key);
    },
    lost(next) {
      restart(next);
      for (const [key, sinks] of subscribers) {
        const frame = JSON.stringify({ type: 'resync', channel: key, reason: 'MISSED' } satisfies ServerMessage);
        for (const sink of [...sinks]) send(sink, frame);
      }
    },
    remove,
    send,
    subscriberCount: (key) => subscribers.get(key)?.size ?? 0,
    subscriptionsOf: (sink) => subscriptions.get(sink)?.size ?? 0,
    channelsOf: (sink) => [...(subscriptions.get(sink)?.keys() ?? [])],
    isSubscribed: (sink, key) => subscriptions.get(sink)?.has(key) ?? false,
  };
}
