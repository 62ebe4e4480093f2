import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { BUS_CHANNEL, type BusMessage } from '../src/kernel/realtime/bus.ts';
import { sharedDatabase, type SharedDatabase } from './lib/database.ts';
import type { LoadResult } from './lib/load.ts';
import { startServerProcess, type ServerProcess } from './lib/server-process.ts';
import type { Benchmark } from './lib/types.ts';

const CLIENTS = Number(process.env.BENCH_RT_CLIENTS ?? 1000);
const MESSAGES = Number(process.env.BENCH_RT_MESSAGES ?? 100);
const CHANNEL = 'bench.fanout';
const now = () => performance.timeOrigin + performance.now();

interface Target {
  url: string;
  headers: Record<string, string>;
  /** The subscribe message to send once open (Plinth), or none (the bare server sends everything to everyone). */
  subscribe?: string;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function openClient(target: Target, onEvent: (event: { i: number; sentAt: number }) => void): Promise<WebSocket> {
  const socket = new WebSocket(target.url, { headers: target.headers });
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; event?: { i: number; sentAt: number } };
      if (message.type === 'event' && message.event) onEvent(message.event);
      else if (message.type === 'subscribed') resolve();
      else if (message.type === 'error') reject(new Error(String(data)));
    });
    socket.once('open', () => (target.subscribe ? socket.send(target.subscribe) : resolve()));
    socket.once('error', reject);
  });
  return socket;
}

/**
 * CLIENTS sockets on one channel; MESSAGES events published one after another through NOTIFY on
 * the bus channel (as another app process would); each is awaited at every client before the next.
 * Latency: from just before the NOTIFY to each client's receipt.
 */
async function fanout(target: Target, publisher: pg.Client, tenantId: string): Promise<LoadResult> {
  const latencies: number[] = [];
  let received = 0;
  let wake: (() => void) | undefined;
  const onEvent = (event: { sentAt: number }) => {
    latencies.push(now() - event.sentAt);
    received++;
    if (received % CLIENTS === 0) wake?.();
  };
  const sockets: WebSocket[] = [];
  for (let start = 0; start < CLIENTS; start += 100)
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, CLIENTS - start) }, () => openClient(target, onEvent)))));
  let errors = 0;
  const began = now();
  for (let i = 0; i < MESSAGES; i++) {
    const done = new Promise<void>((resolve) => (wake = resolve));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
    const message: BusMessage = { tenantId, channel: CHANNEL, event: { i, sentAt: now() } };
    await publisher.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, JSON.stringify(message)]);
    if ((await Promise.race([done, timeout])) === 'timeout') {
      errors++;
      received = (i + 1) * CLIENTS;
    }
  }
  const seconds = (now() - began) / 1000;
  for (const socket of sockets) socket.terminate();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { requestsPerSecond: latencies.length / seconds, p50Ms: round(quantile(latencies, 0.5)), p99Ms: round(quantile(latencies, 0.99)), non2xx: 0, errors };
}

/**
 * 1,000 WebSocket clients on one channel, 100 messages: delivery latency (p50/p99) and deliveries
 * per second through Plinth's gateway (guarded handshake, permission-checked subscribe, replay
 * buffer, back-pressure check) vs. a bare `ws` server doing the same fan-out from the same NOTIFY.
 */
export const realtimeFanoutBenchmark: Benchmark = {
  name: `realtime fan-out: ${CLIENTS} clients × ${MESSAGES} messages, gateway vs bare ws (deliveries/s)`,
  async run() {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-bench-rt-'));
    const servers: ServerProcess[] = [];
    let database: SharedDatabase | undefined;
    let publisher: pg.Client | undefined;
    try {
      database = await sharedDatabase(dataDir);
      const plinth = await startServerProcess('realtime-app.ts', { PLINTH_DATA_DIR: dataDir, DATABASE_URL: database.url });
      servers.push(plinth);
      const bare = await startServerProcess('bare-ws.ts', { DATABASE_URL: database.url });
      servers.push(bare);
      const [tenantId, token] = (await readFile(path.join(dataDir, 'bench-realtime'), 'utf8')).trim().split('\n') as [string, string];
      publisher = new pg.Client({ connectionString: database.url });
      await publisher.connect();
      const ws = (url: string) => url.replace(/^http/, 'ws');
      const gateway = await fanout(
        { url: `${ws(plinth.url)}/v1/realtime`, headers: { authorization: `Bearer ${token}` }, subscribe: JSON.stringify({ type: 'subscribe', channel: `tenant:${tenantId}:${CHANNEL}` }) },
        publisher,
        tenantId,
      );
      const baseline = await fanout({ url: ws(bare.url), headers: {} }, publisher, tenantId);
      return {
        rows: [
          { label: 'Plinth gateway (deliveries/s)', result: gateway },
          { label: 'bare ws server (deliveries/s)', result: baseline },
        ],
        ratio: { label: 'gateway / bare ws deliveries per second', value: gateway.requestsPerSecond / baseline.requestsPerSecond },
      };
    } finally {
      await publisher?.end();
      for (const server of servers) await server.stop();
      await database?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
