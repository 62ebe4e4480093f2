import { readFile } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import { createDatabase, type Database } from '../src/kernel/db/index.ts';
import { createPgListener } from '../src/kernel/db/listener.ts';
import { createLogger } from '../src/kernel/observability/logger.ts';
import { createPostgresBus, type RealtimeBus } from '../src/kernel/realtime/bus.ts';
import { sharedDatabase, type SharedDatabase } from './lib/database.ts';
import type { LoadResult } from './lib/load.ts';
import { startServerProcess, type ServerProcess } from './lib/server-process.ts';
import { temporaryFolder } from './lib/temporary-folder.ts';
import type { Benchmark } from './lib/types.ts';
import { waitingOn } from './lib/watchdog.ts';

const CLIENTS = Number(process.env.BENCH_RT_CLIENTS ?? 1000);
const MESSAGES = Number(process.env.BENCH_RT_MESSAGES ?? 100);
const CHANNEL = 'bench.fanout';
/** How long one message may take to reach every client before the benchmark fails. */
const DELIVERY_LIMIT_MS = 10_000;
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
 * A publisher as another app process is one: its bus numbers each event (the gateway drops an
 * event without an id) and NOTIFYs it on the bus channel. Its listener is never started: it only publishes.
 */
function publisherOn(url: string): { bus: RealtimeBus; database: Database } {
  const log = createLogger('warn');
  const database = createDatabase(url, { poolMax: 1, log });
  const listener = createPgListener({ connection: database.pool.options, applicationName: 'plinth-bench-publisher', log });
  return { bus: createPostgresBus({ db: database.db, listener, log }), database };
}

/**
 * CLIENTS sockets on one channel; MESSAGES events published one after another through the bus
 * (as another app process would); each is awaited at every client before the next, and a message
 * that has not reached every client within DELIVERY_LIMIT_MS fails the benchmark.
 * Latency: from just before publishing to each client's receipt.
 */
async function fanout(target: Target, publisher: RealtimeBus, tenantId: string): Promise<LoadResult> {
  const latencies: number[] = [];
  let received = 0;
  let wake: (() => void) | undefined;
  const onEvent = (event: { sentAt: number }) => {
    latencies.push(now() - event.sentAt);
    received++;
    if (received % CLIENTS === 0) wake?.();
  };
  const sockets: WebSocket[] = [];
  try {
    for (let start = 0; start < CLIENTS; start += 100) {
      waitingOn(`${target.url}: ${sockets.length} of ${CLIENTS} clients connected and subscribed`);
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, CLIENTS - start) }, () => openClient(target, onEvent)))));
    }
    const began = now();
    for (let i = 0; i < MESSAGES; i++) {
      waitingOn(() => `${target.url}: message ${i + 1} of ${MESSAGES} reached ${received - i * CLIENTS} of ${CLIENTS} clients`);
      const done = new Promise<void>((resolve) => (wake = resolve));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), DELIVERY_LIMIT_MS)));
      await publisher.publish({ tenantId, channel: CHANNEL, event: { i, sentAt: now() } });
      const outcome = await Promise.race([done, late]);
      clearTimeout(timer);
      if (outcome === 'late')
        throw new Error(`${target.url}: message ${i + 1} of ${MESSAGES} reached ${received - i * CLIENTS} of ${CLIENTS} clients within ${DELIVERY_LIMIT_MS / 1000} s`);
    }
    const seconds = (now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return { requestsPerSecond: latencies.length / seconds, p50Ms: round(quantile(latencies, 0.5)), p99Ms: round(quantile(latencies, 0.99)), non2xx: 0, errors: 0 };
  } finally {
    for (const socket of sockets) socket.terminate();
  }
}

/**
 * 1,000 WebSocket clients on one channel, 100 messages: delivery latency (p50/p99) and deliveries
 * per second through Plinth's gateway (guarded handshake, permission-checked subscribe, replay
 * buffer, back-pressure check) vs. a bare `ws` server doing the same fan-out from the same NOTIFY.
 */
export const realtimeFanoutBenchmark: Benchmark = {
  name: `realtime fan-out: ${CLIENTS} clients × ${MESSAGES} messages, gateway vs bare ws (deliveries/s)`,
  baseline:
    'a bare `ws` server in its own process LISTENing on the same NOTIFY channel, sending each event to every connected socket ' +
    '(no handshake check, subscription, permission, replay buffer or back-pressure check); same publisher, clients and messages',
  async run() {
    const folder = await temporaryFolder('plinth-bench-rt-');
    const dataDir = folder.path;
    const servers: ServerProcess[] = [];
    let database: SharedDatabase | undefined;
    let publisher: { bus: RealtimeBus; database: Database } | undefined;
    try {
      database = await sharedDatabase(dataDir);
      const plinth = await startServerProcess('realtime-app.ts', { PLINTH_DATA_DIR: dataDir, DATABASE_URL: database.url });
      servers.push(plinth);
      const bare = await startServerProcess('bare-ws.ts', { DATABASE_URL: database.url });
      servers.push(bare);
      const [tenantId, token] = (await readFile(path.join(dataDir, 'bench-realtime'), 'utf8')).trim().split('\n') as [string, string];
      publisher = publisherOn(database.url);
      const ws = (url: string) => url.replace(/^http/, 'ws');
      const gateway = await fanout(
        { url: `${ws(plinth.url)}/v1/realtime`, headers: { authorization: `Bearer ${token}` }, subscribe: JSON.stringify({ type: 'subscribe', channel: `tenant:${tenantId}:${CHANNEL}` }) },
        publisher.bus,
        tenantId,
      );
      const baseline = await fanout({ url: ws(bare.url), headers: {} }, publisher.bus, tenantId);
      return {
        rows: [
          { label: 'Plinth gateway (deliveries/s)', result: gateway },
          { label: 'bare ws server (deliveries/s)', result: baseline },
        ],
        ratio: { label: 'gateway / bare ws deliveries per second', value: gateway.requestsPerSecond / baseline.requestsPerSecond },
      };
    } finally {
      await publisher?.database.close();
      for (const server of servers) await server.stop();
      await database?.stop();
      await folder.remove();
    }
  },
};
