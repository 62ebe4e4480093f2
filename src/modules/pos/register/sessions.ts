import { apiCall, ApiError, type TokenPair } from './api.ts';
import { CASHIERS, inTransaction, requestResult } from './store.ts';

/**
 * Cashier sign-ins at this terminal. Each staff member's tokens are kept (in IndexedDB, bound to
 * this terminal: revoking the terminal ends them) until their queued sales are sent, so a sale is
 * always sent as the person who rang it up, even after a switch of cashier or a reload offline.
 */

export interface CashierSession {
  userId: string;
  displayName: string;
  tokens: TokenPair;
}

/** Refresh this long before the access token runs out, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 30_000;

export async function saveCashierSession(db: IDBDatabase, session: CashierSession): Promise<void> {
  await inTransaction(db, CASHIERS, 'readwrite', (tx) => requestResult(tx.objectStore(CASHIERS).put(session)));
}

export async function readCashierSession(db: IDBDatabase, userId: string): Promise<CashierSession | undefined> {
  return inTransaction(db, CASHIERS, 'readonly', (tx) => requestResult(tx.objectStore(CASHIERS).get(userId)) as Promise<CashierSession | undefined>);
}

export async function deleteCashierSession(db: IDBDatabase, userId: string): Promise<void> {
  await inTransaction(db, CASHIERS, 'readwrite', (tx) => requestResult(tx.objectStore(CASHIERS).delete(userId)));
}

/**
 * A usable access token of the staff member, refreshed when due. Refresh tokens work once and a
 * reused one revokes the whole sign-in, so two tabs must never refresh the same one: the refresh
 * runs under a Web Lock per staff member and re-reads the stored tokens inside it (the other tab
 * may have refreshed them meanwhile). Null when the sign-in is gone (refused refresh): that
 * person must sign in with their PIN again. A network failure throws (try again later).
 */
export async function accessTokenFor(db: IDBDatabase, userId: string, locks: LockManager | undefined, now = Date.now): Promise<string | null> {
  const fresh = (session: CashierSession | undefined) => session && Date.parse(session.tokens.accessExpiresAt) - EXPIRY_MARGIN_MS > now();
  const stored = await readCashierSession(db, userId);
  if (!stored) return null;
  if (fresh(stored)) return stored.tokens.accessToken;
  const refresh = async (): Promise<string | null> => {
    const current = await readCashierSession(db, userId);
    if (!current) return null;
    if (fresh(current)) return current.tokens.accessToken;
    if (Date.parse(current.tokens.refreshExpiresAt) <= now()) {
      await deleteCashierSession(db, userId);
      return null;
    }
    try {
      const { data } = await apiCall<{ data: TokenPair }>('/v1/auth/token/refresh', { body: { refreshToken: current.tokens.refreshToken } });
      await saveCashierSession(db, { ...current, tokens: data });
      return data.accessToken;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        await deleteCashierSession(db, userId);
        return null;
      }
      throw error;
    }
  };
  return locks ? locks.request(`plinth-register-token-${userId}`, refresh) : refresh();
}
