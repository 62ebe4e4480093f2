/**
 * Two app processes on different ports sharing one database: a client connected to process A
 * receives what process B publishes, through PostgreSQL LISTEN/NOTIFY and through Redis.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { connect, TEST_CHANNEL, type TestClient } from './support/client.ts';
import { REDIS_URL, redisOrSkip } from './support/redis.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DROPPED_ENV = new Set(['NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'DATABASE_URL', 'REALTIME_ADAPTER', 'REDIS_URL']);

interface Node {
  child: ChildProcess;
  port: number;
  publish(tenantId: string, event: unknown): Promise<void>;
}

let t: TestApp;
const children = new Set<ChildProcess>();
const clients: TestClient[] = [];

/** Starts tests/kernel/realtime/support/node.ts over the test database; resolves once it listens. */
async function startNode(env: Record<string, string>): Promise<Node> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !DROPPED_ENV.has(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/kernel/realtime/support/node.ts'], {
    cwd: REPO_ROOT,
    env: { ...inherited, DATABASE_URL: t.database.url, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const lineMatching = async (pattern: RegExp, from: number): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const match = pattern.exec(out.slice(from));
      if (match) return match;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`node process: no ${pattern} (exit ${child.exitCode}); stdout ${out}; stderr ${err}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  const port = Number((await lineMatching(/READY (\d+)\n/, 0))[1]);
  return {
    child,
    port,
    async publish(tenantId, event) {
      const from = out.length;
      child.stdin?.write(`${JSON.stringify({ tenantId, channel: TEST_CHANNEL.name, event })}\n`);
      const [line] = await lineMatching(/(PUBLISHED|FAILED [^\n]*)\n/, from);
      assert.equal(line.trim(), 'PUBLISHED');
    },
  };
}

async function stopNode(node: Node): Promise<void> {
  node.child.stdin?.end();
  const exited = node.child.exitCode === null ? once(node.child, 'exit') : Promise.resolve();
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  children.delete(node.child);
}

/** A client on process A sees an event that process B publishes. */
async function crossNode(env: Record<string, string>): Promise<void> {
  const [a, b] = await Promise.all([startNode(env), startNode(env)]);
  try {
    assert.notEqual(a.port, b.port);
    const client = await connect(`ws://127.0.0.1:${a.port}/v1/realtime`, await t.headersFor('tenant-a'));
    clients.push(client);
    await client.next('welcome');
    const channel = `tenant:${t.tenantA.id}:${TEST_CHANNEL.name}`;
    client.send({ type: 'subscribe', channel, ref: 's' });
    await client.next('subscribed');
    const marker = `from-b-${Date.now()}`;
    // Small, and larger than one NOTIFY payload (sent in parts and put back together).
    await b.publish(t.tenantA.id, { marker, size: 'small' });
    await b.publish(t.tenantA.id, { marker, size: 'large', body: 'é'.repeat(20_000) });
    const small = await client.next('event', (event) => (event.event as { size?: string }).size === 'small', 15_000);
    const large = await client.next('event', (event) => (event.event as { size?: string }).size === 'large', 15_000);
    assert.equal(small.channel, channel);
    assert.deepEqual(small.event, { marker, size: 'small' });
    assert.equal((large.event as { body: string }).body, 'é'.repeat(20_000));
    // And the other tenant's publication does not reach this client.
    await b.publish(t.tenantB.id, { marker, size: 'elsewhere' });
    await b.publish(t.tenantA.id, { marker, size: 'last' });
    await client.next('event', (event) => (event.event as { size?: string }).size === 'last', 15_000);
    assert.equal(client.received.filter((message) => message.type === 'event' && (message.event as { size?: string }).size === 'elsewhere').length, 0);
    await client.close();
  } finally {
    await Promise.all([stopNode(a), stopNode(b)]);
  }
}

before(async () => {
  t = await startTestApp();
});

after(async () => {
  for (const client of clients) client.socket.terminate();
  for (const child of children) child.kill('SIGKILL');
  await t.close();
});

describe('realtime across app processes', () => {
  test('PostgreSQL LISTEN/NOTIFY: a client on process A receives what process B publishes', () => crossNode({ REALTIME_ADAPTER: 'postgres' }));

  test('Redis: a client on process A receives what process B publishes', async (context) => {
    if (!(await redisOrSkip(context))) return;
    await crossNode({ REALTIME_ADAPTER: 'redis', REDIS_URL });
  });
});
