/**
 * The register's service worker: keeps the register page and its assets so that a reload while
 * offline still shows a working register (sales, catalog and cashier live in IndexedDB).
 *
 * What is cached, in one cache per version (`plinth-register-<version>`):
 * - the page shell GET /pos/register: network first (always fresh when online, and the copy is
 *   refreshed on every successful load), the cached copy when the network fails;
 * - the island bundles and stylesheets: cache first — their URLs carry content hashes (or are
 *   versioned with the worker), so a cached copy is never stale.
 * API calls are never touched: the sale queue must see real network failures.
 *
 * Versioning: the server serves this script with the build's version and asset list prepended
 * (self.__PLINTH_REGISTER_SHELL__). A new island build changes the script's bytes, so the browser
 * installs the new worker, which precaches the new assets and deletes the older caches.
 */

interface ShellConfig {
  version: string;
  shellUrl: string;
  assets: string[];
}

// Minimal worker types: the project compiles against the DOM library, not WebWorker.
interface WaitUntilEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerFetchEvent extends WaitUntilEvent {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface WorkerScope {
  __PLINTH_REGISTER_SHELL__: ShellConfig;
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: WaitUntilEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: WorkerFetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const shell = worker.__PLINTH_REGISTER_SHELL__;
const CACHE_PREFIX = 'plinth-register-';
const cacheName = `${CACHE_PREFIX}${shell.version}`;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll(shell.assets);
      // The page itself may fail (signed out): the assets alone are still worth having.
      await cache.add(shell.shellUrl).catch(() => undefined);
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX) && name !== cacheName) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (url.pathname === shell.shellUrl) {
    event.respondWith(networkFirst(request));
  } else if (shell.assets.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    // Only a real register page is kept (not a sign-in redirect or an error page).
    if (response.ok && !response.redirected) await cache.put(shell.shellUrl, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(shell.shellUrl);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
