import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startDemoServer, type DemoServer } from './server.ts';

export interface E2eSession {
  readonly server: DemoServer;
  readonly browser: Browser;
  /** Rows of a query on the demo server's database, for checking what the pages did. */
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
}

/** Starts the demo server and Chromium before a file's tests and stops both after them. */
export function demoServerAndBrowser(): E2eSession {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('e2e: the demo server and browser start in before()');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    query: <R extends Record<string, unknown>>(text: string, values: unknown[] = []) => started(server).database.pool.query<R>(text, values).then((result) => result.rows),
  };
}
