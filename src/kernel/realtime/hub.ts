import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { BusMessage } from './bus.ts';
import { channelKey, eventId, parseEventId, type ServerMessage } from './protocol.ts';

/** What the hub needs of a socket (a `ws` WebSocket). */
export interface Sink {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  terminate(): void;
}

const OPEN = 1;

/** The recent events of one channel in this process's stream; `previous` is the channel's event before each. */
interface Stream {
  last: number;
  recent: { sequence: number; previous: number; frame: string }[];
}

export interface HubOptions {
  replayEvents: number;
  maxBufferedBytes: number;
  /** How many channels keep their recent events; the least recently used are forgotten (their clients resync). */
  maxStreams?: number;
  /** Called when a slow consumer is dropped. */
  onSlowConsumer?: (sink: Sink) => void;
}

export interface Hub {
  /** This process's stream id: the prefix of the event ids it hands out. */
  readonly stream: string;
  /** Hands a message from the bus to this process's subscribers of its channel. */
  deliver(message: BusMessage): void;
  /** Adds a subscriber; answers the frames to send first (missed events, or a resync). */
  subscribe(sink: Sink, key: string, lastEventId: string | undefined): string[];
  unsubscribe(sink: Sink, key: string): void;
  /** Events may have been lost on the way here: every subscriber is told to resync, and replay starts afresh. */
  lost(): void;
  /** Forgets a closed socket everywhere. */
  remove(sink: Sink): void;
  /** Sends a frame unless the socket is too far behind, in which case it is dropped. */
  send(sink: Sink, message: ServerMessage | string): boolean;
  subscriberCount(key: string): number;
  /** How many channels a socket is subscribed to. */
  subscriptionsOf(sink: Sink): number;
  isSubscribed(sink: Sink, key: string): boolean;
}

export function createHub(options: HubOptions): Hub {
  const stream = randomBytes(6).toString('hex');
  const subscribers = new Map<string, Set<Sink>>();
  const subscriptionsOf = new Map<Sink, Set<string>>();
  const streams = new LRUCache<string, Stream>({ max: options.maxStreams ?? 10_000 });
  let counter = 0;

  function remove(sink: Sink): void {
    for (const key of subscriptionsOf.get(sink) ?? []) {
      const set = subscribers.get(key);
      set?.delete(sink);
      if (set?.size === 0) subscribers.delete(key);
    }
    subscriptionsOf.delete(sink);
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

  return {
    stream,
    deliver(message) {
      const key = channelKey(message.tenantId, message.channel);
      const state = streams.get(key) ?? { last: 0, recent: [] };
      // One counter for the process: a channel's ids keep growing even after its stream was forgotten.
      const sequence = ++counter;
      const frame = JSON.stringify({ type: 'event', channel: key, id: eventId(stream, sequence), event: message.event } satisfies ServerMessage);
      state.recent.push({ sequence, previous: state.last, frame });
      state.last = sequence;
      if (state.recent.length > options.replayEvents) state.recent.shift();
      streams.set(key, state);
      for (const sink of [...(subscribers.get(key) ?? [])]) send(sink, frame);
    },
    subscribe(sink, key, lastEventId) {
      let set = subscribers.get(key);
      if (!set) subscribers.set(key, (set = new Set()));
      set.add(sink);
      let mine = subscriptionsOf.get(sink);
      if (!mine) subscriptionsOf.set(sink, (mine = new Set()));
      mine.add(key);
      if (lastEventId === undefined) return [];
      const resync = (reason: 'TOO_OLD' | 'UNKNOWN_STREAM') => [JSON.stringify({ type: 'resync', channel: key, reason } satisfies ServerMessage)];
      const last = parseEventId(lastEventId);
      if (!last || last.stream !== stream || last.sequence > counter) return resync('UNKNOWN_STREAM');
      const state = streams.get(key);
      if (!state) return resync('TOO_OLD');
      if (last.sequence >= state.last) return [];
      // Complete only when the channel's event right after the client's last one is still kept.
      if (last.sequence < (state.recent[0]?.previous ?? state.last)) return resync('TOO_OLD');
      return state.recent.filter((entry) => entry.sequence > last.sequence).map((entry) => entry.frame);
    },
    unsubscribe(sink, key) {
      const set = subscribers.get(key);
      set?.delete(sink);
      if (set?.size === 0) subscribers.delete(key);
      subscriptionsOf.get(sink)?.delete(key);
    },
    lost() {
      streams.clear();
      for (const [key, sinks] of subscribers) {
        const frame = JSON.stringify({ type: 'resync', channel: key, reason: 'MISSED' } satisfies ServerMessage);
        for (const sink of [...sinks]) send(sink, frame);
      }
    },
    remove,
    send,
    subscriberCount: (key) => subscribers.get(key)?.size ?? 0,
    subscriptionsOf: (sink) => subscriptionsOf.get(sink)?.size ?? 0,
    isSubscribed: (sink, key) => subscriptionsOf.get(sink)?.has(key) ?? false,
  };
}
