/** The hub's ordering guarantees, without sockets: ids never go backwards for a subscriber, and a resume is complete or a resync. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SequencedMessage } from '../../../src/kernel/realtime/index.ts';
import { createHub, type Sink } from '../../../src/kernel/realtime/hub.ts';

const TENANT = '0b6a3c2e-8f1d-4a57-9c3e-2d1f0a9b8c7d';
const KEY = `tenant:${TENANT}:catalog.products`;

function sink(): Sink & { frames: { type: string; id?: string; reason?: string }[] } {
  const frames: { type: string; id?: string; reason?: string }[] = [];
  return { bufferedAmount: 0, readyState: 1, send: (data) => frames.push(JSON.parse(data) as never), terminate: () => undefined, frames };
}
const message = (sequence: number, stream = 'pg'): SequencedMessage => ({ id: `${stream}-${sequence}`, tenantId: TENANT, channel: 'catalog.products', event: { sequence } });
const parse = (frames: string[]) => frames.map((frame) => JSON.parse(frame) as { type: string; id?: string; reason?: string });

describe('realtime hub', () => {
  test('a repeated or late event is not sent again', () => {
    const hub = createHub({ replayEvents: 10, maxBufferedBytes: 1 << 20 });
    hub.begin({ stream: 'pg', sequence: 100n });
    const client = sink();
    hub.subscribe(client, KEY, undefined);
    for (const sequence of [100, 105, 105, 103, 110]) hub.deliver(message(sequence));
    assert.deepEqual(client.frames.map((frame) => frame.id), ['pg-100', 'pg-105', 'pg-110']);
  });

  test('resuming here with an id this node has not received yet skips up to it, then carries on', () => {
    const hub = createHub({ replayEvents: 10, maxBufferedBytes: 1 << 20 });
    hub.begin({ stream: 'pg', sequence: 100n });
    hub.deliver(message(101));
    const client = sink();
    // The client saw 107 on another node; 104 and 107 are still on their way here.
    assert.deepEqual(hub.subscribe(client, KEY, 'pg-107'), []);
    for (const sequence of [104, 107, 109]) hub.deliver(message(sequence));
    assert.deepEqual(client.frames.map((frame) => frame.id), ['pg-109']);
  });

  test('a resume is served only when nothing after the id can be missing', () => {
    const hub = createHub({ replayEvents: 2, maxBufferedBytes: 1 << 20 });
    hub.begin({ stream: 'pg', sequence: 100n });
    for (const sequence of [101, 102, 103]) hub.deliver(message(sequence));
    // 101 was trimmed: from 101 on everything is kept; from 100 on, 101 is gone.
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'pg-101')).map((frame) => frame.id), ['pg-102', 'pg-103']);
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'pg-100')).map((frame) => frame.reason), ['TOO_OLD']);
    // Before this node listened: it cannot know what came between.
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'pg-50')).map((frame) => frame.reason), ['TOO_OLD']);
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'r0123-101')).map((frame) => frame.reason), ['UNKNOWN_STREAM']);
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'not an id')).map((frame) => frame.reason), ['UNKNOWN_STREAM']);
  });

  test('a forgotten channel cannot serve a resume at or before what it held', () => {
    const hub = createHub({ replayEvents: 10, maxBufferedBytes: 1 << 20, maxStreams: 1 });
    hub.begin({ stream: 'pg', sequence: 100n });
    hub.deliver(message(101));
    hub.deliver({ ...message(102), channel: 'other.channel' });
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'pg-100')).map((frame) => frame.reason), ['TOO_OLD']);
    // After what the forgotten channel held, nothing can be missing (every later event would be kept).
    assert.deepEqual(hub.subscribe(sink(), KEY, 'pg-102'), []);
  });

  test('after a loss every subscriber is told to resync, and old ids no longer resume', () => {
    const hub = createHub({ replayEvents: 10, maxBufferedBytes: 1 << 20 });
    hub.begin({ stream: 'pg', sequence: 100n });
    const client = sink();
    hub.subscribe(client, KEY, undefined);
    hub.deliver(message(101));
    hub.lost({ stream: 'pg', sequence: 200n });
    assert.deepEqual(client.frames.map((frame) => frame.reason ?? frame.id), ['pg-101', 'MISSED']);
    assert.deepEqual(parse(hub.subscribe(sink(), KEY, 'pg-101')).map((frame) => frame.reason), ['TOO_OLD']);
  });
});
