import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedDatabase, type SharedDatabase } from './lib/database.ts';
import { alternate, measure } from './lib/load.ts';
import { startServerProcess, type ServerProcess } from './lib/server-process.ts';
import { temporaryFolder } from './lib/temporary-folder.ts';
import type { Benchmark } from './lib/types.ts';
import { waitingOn } from './lib/watchdog.ts';

const QUERY = '/v1/catalog/products?pageSize=50';

/** The list body, checked to hold 50 rows. */
async function sampleBody(url: string, headers: Record<string, string> = {}): Promise<string> {
  waitingOn(`a sample answer of ${url}`);
  const response = await fetch(url, { headers });
  const body = await response.text();
  const rows = response.ok ? (JSON.parse(body) as { data: unknown[] }).data.length : 0;
  if (rows !== 50) throw new Error(`expected 50 rows from ${url}, got ${response.status} with ${rows}`);
  return body;
}

/**
 * GET /v1/catalog/products (50 rows) through the full app vs. a bare Fastify route running the
 * same SQL on the same database (bench/servers/bare-sql.ts), measured interleaved; the answers
 * are checked to be the same bytes first. A bare route serving that JSON from memory is an
 * extra line (what Fastify alone costs), not the ratio's baseline.
 */
export const catalogListBenchmark: Benchmark = {
  name: 'catalog list: full app vs bare Fastify + the same SQL',
  baseline:
    'a bare Fastify route in its own process running the list statement listProducts builds (same columns, filter, name order, ' +
    'count(*) over (), LIMIT 50) as a prepared statement on the same database, as plinth_app under row-level security with the tenant ' +
    'set once per connection, answering byte-identical JSON; no guard, no transaction per request, no Zod validation or serialization',
  async run({ duration, connections }) {
    const folder = await temporaryFolder('plinth-bench-');
    const dataDir = folder.path;
    const servers: ServerProcess[] = [];
    let database: SharedDatabase | undefined;
    try {
      database = await sharedDatabase(dataDir);
      const app = await startServerProcess('plinth-app.ts', { PLINTH_DATA_DIR: dataDir, DATABASE_URL: database.url, BENCH_PRODUCTS: '50' });
      servers.push(app);
      // Started after the app seeded the tenant and its products.
      const bareSql = await startServerProcess('bare-sql.ts', { DATABASE_URL: database.url });
      servers.push(bareSql);
      const headers = { authorization: `Bearer ${(await readFile(path.join(dataDir, 'bench-token'), 'utf8')).trim()}` };
      const body = await sampleBody(app.url + QUERY, headers);
      if ((await sampleBody(bareSql.url + QUERY)) !== body) throw new Error('the bare SQL route answered other JSON than the app');
      const bodyFile = path.join(dataDir, 'body.json');
      await writeFile(bodyFile, body);
      const memory = await startServerProcess('bare-json.ts', { BENCH_BODY_FILE: bodyFile });
      servers.push(memory);

      // Warm all up, then measure the app and its baseline interleaved, and the in-memory route.
      await measure({ url: app.url + QUERY, headers, duration: 1, connections });
      await measure({ url: bareSql.url + QUERY, duration: 1, connections });
      await measure({ url: memory.url + QUERY, duration: 1, connections });
      const [full, baseline] = await alternate({ url: app.url + QUERY, headers, duration, connections }, { url: bareSql.url + QUERY, duration, connections });
      const fromMemory = await measure({ url: memory.url + QUERY, duration, connections });
      process.stdout.write(`  (full / bare JSON from memory = ${(full.requestsPerSecond / fromMemory.requestsPerSecond).toFixed(3)})\n`);
      return {
        rows: [
          { label: 'full app (50 rows from PostgreSQL)', result: full },
          { label: 'bare Fastify + same SQL, same database', result: baseline },
          { label: 'bare Fastify, same JSON from memory (extra)', result: fromMemory },
        ],
        ratio: { label: 'full / bare Fastify + same SQL requests per second', value: full.requestsPerSecond / baseline.requestsPerSecond, target: '≥ 0.6' },
      };
    } finally {
      for (const server of servers) await server.stop();
      await database?.stop();
      await folder.remove();
    }
  },
};
