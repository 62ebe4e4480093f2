/**
 * The register's IndexedDB: queued sales, this browser's terminal identity, cashier sessions and
 * the cached catalog. Browser-only (and fake-indexeddb in unit tests); no server imports.
 */

export const DB_NAME = 'plinth-register';
const DB_VERSION = 1;
export const SALES = 'sales';
export const SETTINGS = 'settings';
export const CASHIERS = 'cashiers';

/** Opens (and on first use creates) the register database on the given IndexedDB factory. */
export function openRegisterDb(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(SALES)) {
        const sales = db.createObjectStore(SALES, { keyPath: 'id' });
        sales.createIndex('byStatus', 'status');
      }
      if (!db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
      if (!db.objectStoreNames.contains(CASHIERS)) db.createObjectStore(CASHIERS, { keyPath: 'userId' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('could not open the register database'));
    // Another tab still has an older version open: it closes on versionchange below.
    request.onblocked = () => undefined;
  });
}

/** Wraps an IDBRequest in a promise. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Runs `work` in one transaction and resolves once the transaction has COMMITTED (not just when its requests succeeded). */
export function inTransaction<T>(db: IDBDatabase, stores: string | string[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => Promise<T> | T): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let result: T;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    Promise.resolve()
      .then(() => work(tx))
      .then(
        (value) => {
          result = value;
        },
        (error: unknown) => {
          try {
            tx.abort();
          } catch {
            // Already finished: nothing to undo.
          }
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
  });
}

export async function readSetting<T>(db: IDBDatabase, key: string): Promise<T | undefined> {
  return inTransaction(db, SETTINGS, 'readonly', (tx) => requestResult(tx.objectStore(SETTINGS).get(key)) as Promise<T | undefined>);
}

export async function writeSetting(db: IDBDatabase, key: string, value: unknown): Promise<void> {
  await inTransaction(db, SETTINGS, 'readwrite', (tx) => requestResult(tx.objectStore(SETTINGS).put(value, key)));
}

export async function deleteSetting(db: IDBDatabase, key: string): Promise<void> {
  await inTransaction(db, SETTINGS, 'readwrite', (tx) => requestResult(tx.objectStore(SETTINGS).delete(key)));
}
