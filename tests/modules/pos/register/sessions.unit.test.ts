import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { IDBFactory } from 'fake-indexeddb';
import { ApiError } from '../../../../src/modules/pos/register/api.ts';
import { accessTokenFor, readCashierSession, saveCashierSession } from '../../../../src/modules/pos/register/sessions.ts';
import { openRegisterDb } from '../../../../src/modules/pos/register/store.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const realFetch = globalThis.fetch;
let db: IDBDatabase;
let refreshCalls: string[];

/** An exclusive lock per name, as navigator.locks gives it. */
function mutexLocks(): LockManager {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request(name: string, callback: () => Promise<unknown>) {
      const run = (tails.get(name) ?? Promise.resolve()).then(callback, callback);
      tails.set(name, run.catch(() => undefined));
      return run;
    },
  } as unknown as LockManager;
}

function answerRefreshWith(status: number, body?: unknown) {
  globalThis.fetch = (async (url: string | URL, init?: RequestInit) => {
    assert.equal(String(url), '/v1/auth/token/refresh');
    assert.equal(init?.credentials, 'omit', 'no session cookie on a till call');
    refreshCalls.push((JSON.parse(String(init?.body)) as { refreshToken: string }).refreshToken);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

beforeEach(async () => {
  db = await openRegisterDb(new IDBFactory());
  refreshCalls = [];
  await saveCashierSession(db, {
    userId: 'cashier-1',
    displayName: 'Ana',
    tokens: { accessToken: 'old-access', accessExpiresAt: iso(10_000), refreshToken: 'refresh-1', refreshExpiresAt: iso(3_600_000) },
  });
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe("a cashier's tokens at the till", () => {
  test('a token with time left is used as it is', async () => {
    await saveCashierSession(db, { userId: 'cashier-2', displayName: 'Ben', tokens: { accessToken: 'fresh', accessExpiresAt: iso(600_000), refreshToken: 'r', refreshExpiresAt: iso(3_600_000) } });
    answerRefreshWith(500);
    assert.equal(await accessTokenFor(db, 'cashier-2', undefined, () => NOW), 'fresh');
    assert.deepEqual(refreshCalls, []);
  });

  test('a token about to run out is refreshed once, even when two callers ask at the same time (lock + re-read)', async () => {
    answerRefreshWith(200, { data: { accessToken: 'new-access', accessExpiresAt: iso(900_000), refreshToken: 'refresh-2', refreshExpiresAt: iso(7_200_000) } });
    const locks = mutexLocks();
    const tokens = await Promise.all([accessTokenFor(db, 'cashier-1', locks, () => NOW), accessTokenFor(db, 'cashier-1', locks, () => NOW)]);
    assert.deepEqual(tokens, ['new-access', 'new-access']);
    assert.deepEqual(refreshCalls, ['refresh-1'], 'a refresh token works once: it must never be sent twice');
    assert.equal((await readCashierSession(db, 'cashier-1'))?.tokens.refreshToken, 'refresh-2');
  });

  test('a refused refresh ends the sign-in: null, and the stored session is gone', async () => {
    answerRefreshWith(401, { error: { code: 'AUTHN', message: 'The refresh token is not valid; sign in again.' } });
    assert.equal(await accessTokenFor(db, 'cashier-1', undefined, () => NOW), null);
    assert.equal(await readCashierSession(db, 'cashier-1'), undefined);
  });

  test('an unreachable server is not an ended sign-in: it throws and keeps the session', async () => {
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await assert.rejects(accessTokenFor(db, 'cashier-1', undefined, () => NOW), (error: unknown) => error instanceof ApiError && error.network);
    assert.ok(await readCashierSession(db, 'cashier-1'));
  });

  test('an expired refresh token is not even tried', async () => {
    answerRefreshWith(200, {});
    assert.equal(await accessTokenFor(db, 'cashier-1', undefined, () => NOW + 2 * 3_600_000), null);
    assert.deepEqual(refreshCalls, []);
  });
});
