import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedDatabase, type SharedDatabase } from './lib/database.ts';
import { alternate, measure } from './lib/load.ts';
import { startServerProcess, type ServerProcess } from './lib/server-process.ts';
import { temporaryFolder } from './lib/temporary-folder.ts';
import type { Benchmark } from './lib/types.ts';

/** The list body, checked to hold 50 rows so both variants are known to do the same work. */
async function sampleBody(url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { headers });
  const body = await response.text();
  const rows = response.ok ? (JSON.parse(body) as { data: unknown[] }).data.length : 0;
  if (rows !== 50) throw new Error(`expected 50 rows from ${url}, got ${response.status} with ${rows}: ${body.slice(0, 300)}`);
  return body;
}

/**
 * An authenticated GET /v1/catalog/products (50 rows) through the full guard (helmet, bearer token,
 * rate limit, tenant + membership + permissions, CSRF) vs. the same app and handler over the same
 * database with the guard replaced by a hook stamping the owner's fixed actor, tenant and permissions.
 */
export const guardOverheadBenchmark: Benchmark = {
  name: 'guard overhead: full pipeline vs guard off (same app, same handler)',
  baseline:
    'the same app and handler over the same database in a second process, with the guard replaced by a hook stamping the owner\'s ' +
    'actor, tenant and permissions, resolved once at start (benchmark-only switch); GET /v1/catalog/products?pageSize=50, same body checked',
  async run({ duration, connections }) {
    const folder = await temporaryFolder('plinth-bench-');
    const dataDir = folder.path;
    const servers: ServerProcess[] = [];
    let database: SharedDatabase | undefined;
    try {
      database = await sharedDatabase(dataDir);
      const env = { PLINTH_DATA_DIR: dataDir, DATABASE_URL: database.url, BENCH_PRODUCTS: '50' };
      // The guarded server seeds the data and writes the token; the unguarded one resolves it once.
      const guarded = await startServerProcess('plinth-app.ts', env);
      servers.push(guarded);
      const unguarded = await startServerProcess('plinth-app.ts', { ...env, BENCH_GUARD: 'fixed-actor' });
      servers.push(unguarded);

      const query = '/v1/catalog/products?pageSize=50';
      const headers = { authorization: `Bearer ${(await readFile(path.join(dataDir, 'bench-token'), 'utf8')).trim()}` };
      if ((await sampleBody(guarded.url + query, headers)) !== (await sampleBody(unguarded.url + query, headers)))
        throw new Error('the guarded and unguarded servers answered different bodies');

      // Warm both up, then measure each for the same total duration, interleaved.
      await measure({ url: guarded.url + query, headers, duration: 1, connections });
      await measure({ url: unguarded.url + query, headers, duration: 1, connections });
      const [full, off] = await alternate(
        { url: guarded.url + query, headers, duration, connections },
        { url: unguarded.url + query, headers, duration, connections },
      );
      return {
        rows: [
          { label: 'full guard pipeline (bearer → DB checks)', result: full },
          { label: 'guard off (fixed actor, same handler)', result: off },
        ],
        ratio: { label: 'full / guard-off requests per second', value: full.requestsPerSecond / off.requestsPerSecond, target: '≥ 0.8' },
      };
    } finally {
      for (const server of servers) await server.stop();
      await database?.stop();
      await folder.remove();
    }
  },
};
