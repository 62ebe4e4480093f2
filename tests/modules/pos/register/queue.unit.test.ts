import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, test } from 'node:test';
import { IDBFactory } from 'fake-indexeddb';
import { SaleQueue, SYNC_LOCK, type QueuedSale, type SendOutcome } from '../../../../src/modules/pos/register/queue.ts';
import { openRegisterDb } from '../../../../src/modules/pos/register/store.ts';
import { meeting } from '../../../support/wait.ts';

type Body = { n: number };

let db: IDBDatabase;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  // A fresh in-memory IndexedDB per test: nothing carries over.
  db = await openRegisterDb(new IDBFactory());
  clock = 1_000_000;
});

function queueWith(send: (sale: QueuedSale<Body>) => Promise<SendOutcome>, options: { tabId?: string; locks?: LockManager } = {}) {
  return new SaleQueue<Body, null>({ db, send, now, random: () => 1, backoffBaseMs: 1_000, backoffMaxMs: 8_000, claimTtlMs: 30_000, ...options });
}

const enqueue = (queue: SaleQueue<Body, null>, n: number) => {
  clock += 1;
  return queue.enqueue({ id: randomUUID(), body: { n }, cashierUserId: 'cashier-1', receipt: null });
};

/** A one-shot signal: tests wait for a send to have started (a fixed sleep raced it on a loaded machine). */
function signal(): { fire: () => void; fired: Promise<void> } {
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

describe('the register sale queue', () => {
  test('stores a sale before sending it and refuses a second sale under the same id', async () => {
    const sent: string[] = [];
    const queue = queueWith(async (sale) => {
      sent.push(sale.id);
      return { kind: 'synced', saleNumber: 'T1-000001' };
    });
    const sale = await enqueue(queue, 1);
    assert.deepEqual(sent, [], 'enqueue only stores');
    assert.equal((await queue.get(sale.id))?.status, 'pending');
    assert.equal(await queue.unsyncedCount(), 1);
    await assert.rejects(queue.enqueue({ id: sale.id, body: { n: 2 }, cashierUserId: 'cashier-1', receipt: null }));
    assert.deepEqual((await queue.get(sale.id))?.body, { n: 1 }, 'the first sale is kept as it was');
  });

  test('sends oldest first and marks each sale synced with its number', async () => {
    const sent: number[] = [];
    const queue = queueWith(async (sale) => {
      sent.push(sale.body.n);
      return { kind: 'synced', saleNumber: `T1-00000${sale.body.n}` };
    });
    const first = await enqueue(queue, 1);
    await enqueue(queue, 2);
    const report = await queue.syncNow();
    assert.deepEqual(report, { ran: true, synced: 2, retrying: 0, rejected: 0 });
    assert.deepEqual(sent, [1, 2]);
    assert.equal(await queue.unsyncedCount(), 0);
    const synced = await queue.get(first.id);
    assert.equal(synced?.status, 'synced');
    assert.equal(synced?.saleNumber, 'T1-000001');
    assert.equal(synced?.claimedBy, null);
    assert.deepEqual(await queue.syncNow(), { ran: true, synced: 0, retrying: 0, rejected: 0 }, 'nothing is sent twice');
  });

  test('a failed send keeps the sale and retries it with growing back-off; the sales behind it wait', async () => {
    let answer: SendOutcome = { kind: 'retry', error: 'The server could not be reached.' };
    const sent: number[] = [];
    const queue = queueWith(async (sale) => {
      sent.push(sale.body.n);
      return answer;
    });
    const first = await enqueue(queue, 1);
    await enqueue(queue, 2);
    assert.deepEqual(await queue.syncNow(), { ran: true, synced: 0, retrying: 1, rejected: 0 });
    assert.deepEqual(sent, [1], 'stops at the first failure');
    let stored = await queue.get(first.id);
    assert.equal(stored?.attempts, 1);
    assert.equal(stored?.nextAttemptAt, clock + 1_000);
    assert.equal(stored?.lastError, 'The server could not be reached.');

    await queue.syncNow();
    assert.deepEqual(sent, [1, 2], 'the first is not due yet, so the next one goes');
    clock += 1_000;
    await queue.syncNow();
    stored = await queue.get(first.id);
    assert.equal(stored?.attempts, 2);
    assert.equal(stored?.nextAttemptAt, clock + 2_000, 'back-off doubles');

    answer = { kind: 'synced', saleNumber: 'T1-000001' };
    await queue.retryAllNow();
    await queue.syncNow();
    assert.equal(await queue.unsyncedCount(), 0, 'coming online sends at once, without waiting out the back-off');
  });

  test('a send that throws (network error, timeout) counts as a retry', async () => {
    const queue = queueWith(async () => {
      throw new TypeError('Failed to fetch');
    });
    const sale = await enqueue(queue, 1);
    assert.deepEqual(await queue.syncNow(), { ran: true, synced: 0, retrying: 1, rejected: 0 });
    assert.equal((await queue.get(sale.id))?.lastError, 'Failed to fetch');
    assert.equal(await queue.unsyncedCount(), 1);
  });

  test('back-off is capped and jittered', () => {
    const queue = new SaleQueue({ db, send: async () => ({ kind: 'retry', error: '' }), random: () => 0, backoffBaseMs: 1_000, backoffMaxMs: 8_000 });
    assert.deepEqual([1, 2, 3, 4, 5, 10].map((attempts) => queue.backoffDelay(attempts)), [500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    const high = new SaleQueue({ db, send: async () => ({ kind: 'retry', error: '' }), random: () => 1, backoffBaseMs: 1_000, backoffMaxMs: 8_000 });
    assert.equal(high.backoffDelay(10), 8_000);
  });

  test('a refused sale stays unsynced and is not sent again until requeued', async () => {
    let refuse = true;
    let sends = 0;
    const queue = queueWith(async () => {
      sends++;
      return refuse ? { kind: 'rejected', error: 'The tenders must settle 349 exactly.' } : { kind: 'synced', saleNumber: 'T1-000009' };
    });
    const sale = await enqueue(queue, 1);
    assert.deepEqual(await queue.syncNow(), { ran: true, synced: 0, retrying: 0, rejected: 1 });
    clock += 3_600_000;
    await queue.syncNow();
    assert.equal(sends, 1);
    assert.equal((await queue.get(sale.id))?.status, 'rejected');
    assert.equal(await queue.unsyncedCount(), 1, 'the server does not have it: it counts');
    refuse = false;
    await queue.requeue(sale.id);
    await queue.syncNow();
    assert.equal((await queue.get(sale.id))?.status, 'synced');
  });

  test('two tabs syncing the same queue at once send each sale exactly once (IndexedDB claims)', async () => {
    const sends = new Map<number, number>();
    // Each tab's first send waits until the other tab has begun sending too (or stopped): the syncs overlap for real.
    const join = meeting(2);
    const tab = (tabId: string) => {
      const arrive = join();
      const send = async (sale: QueuedSale<Body>): Promise<SendOutcome> => {
        sends.set(sale.body.n, (sends.get(sale.body.n) ?? 0) + 1);
        await arrive();
        return { kind: 'synced', saleNumber: `T1-${sale.body.n}` };
      };
      const queue = queueWith(send, { tabId });
      return { queue, sync: () => queue.syncNow().finally(() => void arrive()) };
    };
    const tabA = tab('tab-a');
    const tabB = tab('tab-b');
    for (let n = 1; n <= 6; n++) await enqueue(tabA.queue, n);
    const [a, b] = await Promise.all([tabA.sync(), tabB.sync()]);
    assert.equal(a.synced + b.synced, 6);
    assert.deepEqual([...sends.entries()].sort(([x], [y]) => x - y), [1, 2, 3, 4, 5, 6].map((n) => [n, 1]));
    assert.ok(a.synced > 0 && b.synced > 0, 'both tabs took part (the claims, not luck, kept them apart)');
  });

  test("a claim is a lease: a tab that died mid-send does not hold its sale forever", async () => {
    const sent: string[] = [];
    const sendStarted = signal();
    const dead = queueWith(
      () => {
        sendStarted.fire();
        return new Promise<SendOutcome>(() => undefined); // never answers: the tab was closed mid-send
      },
      { tabId: 'dead' },
    );
    const alive = queueWith(
      async (sale) => {
        sent.push(sale.id);
        return { kind: 'synced', saleNumber: 'T1-000001' };
      },
      { tabId: 'alive' },
    );
    const sale = await enqueue(dead, 1);
    void dead.syncNow();
    await sendStarted.fired;
    assert.equal((await dead.get(sale.id))?.claimedBy, 'dead');
    await alive.syncNow();
    assert.deepEqual(sent, [], 'claimed by the other tab');
    clock += 30_000;
    await alive.syncNow();
    assert.deepEqual(sent, [sale.id], 'the lease ran out');
  });

  test('with Web Locks, a tab skips its turn while another drains', async () => {
    let held = false;
    // The part of LockManager the queue uses: an exclusive lock, `ifAvailable` answering null when taken.
    const locks = {
      async request(name: string, options: { ifAvailable?: boolean }, callback: (lock: { name: string } | null) => Promise<unknown>) {
        assert.equal(name, SYNC_LOCK);
        if (held && options.ifAvailable) return callback(null);
        held = true;
        try {
          return await callback({ name });
        } finally {
          held = false;
        }
      },
    } as unknown as LockManager;
    let release: () => void = () => undefined;
    const sendStarted = signal();
    const queue = queueWith(
      (sale) =>
        new Promise<SendOutcome>((resolve) => {
          release = () => resolve({ kind: 'synced', saleNumber: `T1-${sale.body.n}` });
          sendStarted.fire();
        }),
      { locks },
    );
    await enqueue(queue, 1);
    const first = queue.syncNow();
    await sendStarted.fired;
    assert.deepEqual(await queue.syncNow(), { ran: false, synced: 0, retrying: 0, rejected: 0 });
    release();
    assert.deepEqual(await first, { ran: true, synced: 1, retrying: 0, rejected: 0 });
  });

  test('synced sales are pruned after a while; unsynced ones never', async () => {
    let ok = true;
    const queue = queueWith(async () => (ok ? { kind: 'synced', saleNumber: 'T1-1' } : { kind: 'retry', error: 'offline' }));
    const synced = await enqueue(queue, 1);
    await queue.syncNow();
    ok = false;
    const waiting = await enqueue(queue, 2);
    await queue.syncNow();
    clock += 2 * 86_400_000;
    assert.equal(await queue.pruneSynced(86_400_000), 1);
    assert.equal(await queue.get(synced.id), undefined);
    assert.equal((await queue.get(waiting.id))?.status, 'pending');
  });
});
