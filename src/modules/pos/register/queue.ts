import { inTransaction, requestResult, SALES } from './store.ts';

/**
 * The register's outbox of sales. A sale is written to IndexedDB BEFORE anything is sent, under
 * the id the register generated for it, and leaves the queue only when the server has answered
 * it. The server records a sale exactly once per id, so sending a sale again — after a timeout
 * that in fact reached the server, after a crash, from a second tab — answers the same sale and
 * never makes a second one.
 *
 * Two tabs (or a tab and its reload) share this queue. Double sending is harmless but wasteful,
 * so it is avoided twice over:
 * - a Web Lock (`navigator.locks`, held only while draining, released by the browser when the
 *   tab dies) lets one tab drain at a time; the others skip their turn;
 * - each sale is CLAIMED in a read-write IndexedDB transaction before it is sent. Read-write
 *   transactions on one store never overlap, so two syncers cannot both see a sale unclaimed;
 *   the claim is a lease (claimTtlMs, longer than the send timeout) so a tab that died
 *   mid-send does not hold its sales forever. This also covers browsers without Web Locks.
 */

export type QueuedSaleStatus = 'pending' | 'synced' | 'rejected';

export interface QueuedSale<Body = unknown, Receipt = unknown> {
  /** The client-generated sale id (crypto.randomUUID), also the id the server records. */
  id: string;
  body: Body;
  /** Sent with this staff member's token: the sale is theirs, whoever is signed in when it syncs. */
  cashierUserId: string;
  status: QueuedSaleStatus;
  createdAt: number;
  attempts: number;
  /** Not sent again before this time (back-off); 0 = now. */
  nextAttemptAt: number;
  claimedBy: string | null;
  claimedUntil: number;
  lastError: string | null;
  syncedAt: number | null;
  /** The server's number of the sale, once synced. */
  saleNumber: string | null;
  /** What the register needs to print a (provisional) receipt without the server. */
  receipt: Receipt;
}

export type SendOutcome =
  | { kind: 'synced'; saleNumber: string }
  /** Not reached, timed out, server busy, sign-in needed: keep and send again later. */
  | { kind: 'retry'; error: string }
  /** The server refused this sale for good (it will never accept it as it is): keep, show, stop sending. */
  | { kind: 'rejected'; error: string };

export interface SyncReport {
  /** false when another tab held the sync lock. */
  ran: boolean;
  synced: number;
  retrying: number;
  rejected: number;
}

export interface SaleQueueOptions<Body> {
  db: IDBDatabase;
  send: (sale: QueuedSale<Body>) => Promise<SendOutcome>;
  /** Identifies this tab's claims. */
  tabId?: string;
  locks?: LockManager | undefined;
  now?: () => number;
  random?: () => number;
  claimTtlMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  onChange?: () => void;
}

export const SYNC_LOCK = 'plinth-register-sync';

export class SaleQueue<Body = unknown, Receipt = unknown> {
  private readonly db: IDBDatabase;
  private readonly send: (sale: QueuedSale<Body>) => Promise<SendOutcome>;
  private readonly tabId: string;
  private readonly locks: LockManager | undefined;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly claimTtlMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly onChange: () => void;

  constructor(options: SaleQueueOptions<Body>) {
    this.db = options.db;
    this.send = options.send;
    this.tabId = options.tabId ?? crypto.randomUUID();
    this.locks = options.locks;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.claimTtlMs = options.claimTtlMs ?? 60_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 2_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 5 * 60_000;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /** Stores a new sale durably (the transaction has committed when this resolves). Refuses an id already queued. */
  async enqueue(input: { id: string; body: Body; cashierUserId: string; receipt: Receipt }): Promise<QueuedSale<Body, Receipt>> {
    const sale: QueuedSale<Body, Receipt> = {
      ...input,
      status: 'pending',
      createdAt: this.now(),
      attempts: 0,
      nextAttemptAt: 0,
      claimedBy: null,
      claimedUntil: 0,
      lastError: null,
      syncedAt: null,
      saleNumber: null,
    };
    // add(), not put(): a second sale under an id already used must fail, never overwrite.
    await inTransaction(this.db, SALES, 'readwrite', (tx) => requestResult(tx.objectStore(SALES).add(sale)));
    this.onChange();
    return sale;
  }

  async get(id: string): Promise<QueuedSale<Body, Receipt> | undefined> {
    return inTransaction(this.db, SALES, 'readonly', (tx) => requestResult(tx.objectStore(SALES).get(id)) as Promise<QueuedSale<Body, Receipt> | undefined>);
  }

  async list(): Promise<QueuedSale<Body, Receipt>[]> {
    const all = await inTransaction(this.db, SALES, 'readonly', (tx) => requestResult(tx.objectStore(SALES).getAll()) as Promise<QueuedSale<Body, Receipt>[]>);
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Sales the server does not have yet: waiting to be sent, and refused ones a person must look at. */
  async unsyncedCount(): Promise<number> {
    return (await this.list()).filter((sale) => sale.status !== 'synced').length;
  }

  /** Makes every waiting sale due now (the browser came back online, or a person asked). */
  async retryAllNow(): Promise<void> {
    await this.updateWhere((sale) => sale.status === 'pending' && sale.nextAttemptAt > 0, (sale) => ({ ...sale, nextAttemptAt: 0 }));
  }

  /** Puts a refused sale back in line (after its cause was fixed, e.g. the cashier signed in again). */
  async requeue(id: string): Promise<void> {
    await this.updateWhere((sale) => sale.id === id && sale.status === 'rejected', (sale) => ({ ...sale, status: 'pending', nextAttemptAt: 0, lastError: null }));
    this.onChange();
  }

  /** Forgets synced sales older than `ageMs` (they live on the server; the register kept them for receipts). */
  async pruneSynced(ageMs: number): Promise<number> {
    const cutoff = this.now() - ageMs;
    return inTransaction(this.db, SALES, 'readwrite', async (tx) => {
      const store = tx.objectStore(SALES);
      const all = (await requestResult(store.getAll())) as QueuedSale[];
      const old = all.filter((sale) => sale.status === 'synced' && (sale.syncedAt ?? 0) < cutoff);
      for (const sale of old) await requestResult(store.delete(sale.id));
      return old.length;
    });
  }

  /**
   * Sends every due sale, oldest first. Stops at the first sale that must be retried (the
   * network or server is down: the rest would fail alike). Skips its turn when another tab holds
   * the sync lock.
   */
  async syncNow(): Promise<SyncReport> {
    if (!this.locks) return this.drain();
    const outcome = await this.locks.request(SYNC_LOCK, { ifAvailable: true }, async (lock) => (lock ? this.drain() : null));
    return outcome ?? { ran: false, synced: 0, retrying: 0, rejected: 0 };
  }

  private async drain(): Promise<SyncReport> {
    const report: SyncReport = { ran: true, synced: 0, retrying: 0, rejected: 0 };
    for (;;) {
      const sale = await this.claimNextDue();
      if (!sale) break;
      let outcome: SendOutcome;
      try {
        outcome = await this.send(sale);
      } catch (error) {
        outcome = { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
      }
      await this.settle(sale.id, outcome);
      report[outcome.kind === 'synced' ? 'synced' : outcome.kind === 'retry' ? 'retrying' : 'rejected']++;
      this.onChange();
      if (outcome.kind === 'retry') break;
    }
    return report;
  }

  /** In one read-write transaction: the oldest due, unclaimed pending sale, claimed for this tab. */
  private claimNextDue(): Promise<QueuedSale<Body, Receipt> | undefined> {
    return inTransaction(this.db, SALES, 'readwrite', async (tx) => {
      const store = tx.objectStore(SALES);
      const now = this.now();
      const pending = (await requestResult(store.index('byStatus').getAll('pending'))) as QueuedSale<Body, Receipt>[];
      const due = pending
        .filter((sale) => sale.nextAttemptAt <= now && (sale.claimedBy === null || sale.claimedUntil <= now))
        .sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!due) return undefined;
      const claimed = { ...due, claimedBy: this.tabId, claimedUntil: now + this.claimTtlMs };
      await requestResult(store.put(claimed));
      return claimed;
    });
  }

  private async settle(id: string, outcome: SendOutcome): Promise<void> {
    await inTransaction(this.db, SALES, 'readwrite', async (tx) => {
      const store = tx.objectStore(SALES);
      const sale = (await requestResult(store.get(id))) as QueuedSale<Body, Receipt> | undefined;
      if (!sale || sale.status === 'synced') return;
      // Our lease ran out and another tab claimed the sale since: its outcome counts, not ours (a success always counts).
      if (outcome.kind !== 'synced' && sale.claimedBy !== this.tabId) return;
      const released = { ...sale, claimedBy: null, claimedUntil: 0 };
      if (outcome.kind === 'synced') {
        await requestResult(store.put({ ...released, status: 'synced', syncedAt: this.now(), saleNumber: outcome.saleNumber, lastError: null }));
      } else if (outcome.kind === 'rejected') {
        await requestResult(store.put({ ...released, status: 'rejected', lastError: outcome.error, attempts: sale.attempts + 1 }));
      } else {
        const attempts = sale.attempts + 1;
        await requestResult(store.put({ ...released, attempts, lastError: outcome.error, nextAttemptAt: this.now() + this.backoffDelay(attempts) }));
      }
    });
  }

  /** Exponential back-off with jitter (so many registers coming back online do not retry in step). */
  backoffDelay(attempts: number): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  private async updateWhere(match: (sale: QueuedSale<Body, Receipt>) => boolean, change: (sale: QueuedSale<Body, Receipt>) => QueuedSale<Body, Receipt>): Promise<void> {
    await inTransaction(this.db, SALES, 'readwrite', async (tx) => {
      const store = tx.objectStore(SALES);
      const all = (await requestResult(store.getAll())) as QueuedSale<Body, Receipt>[];
      for (const sale of all.filter(match)) await requestResult(store.put(change(sale)));
    });
  }
}
