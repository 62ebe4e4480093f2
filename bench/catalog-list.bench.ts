import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measure } from './lib/load.ts';
import { startServerProcess } from './lib/server-process.ts';
import type { Benchmark } from './lib/types.ts';

/** GET /v1/catalog/products (50 rows) through the full app vs. a bare route serving the same JSON from memory. */
export const catalogListBenchmark: Benchmark = {
  name: 'catalog list: full app vs bare Fastify (same JSON)',
  async run({ duration, connections }) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-bench-'));
    const app = await startServerProcess('plinth-app.ts', { PLINTH_DATA_DIR: dataDir, BENCH_PRODUCTS: '50' });
    try {
      const listUrl = `${app.url}/v1/catalog/products?pageSize=50`;
      const headers = { authorization: `Bearer ${(await readFile(path.join(dataDir, 'bench-token'), 'utf8')).trim()}` };
      const sample = await fetch(listUrl, { headers });
      const body = await sample.text();
      const rows = (JSON.parse(body) as { data: unknown[] }).data.length;
      if (!sample.ok || rows !== 50) throw new Error(`expected 50 rows, got ${sample.status} with ${rows}`);
      const bodyFile = path.join(dataDir, 'body.json');
      await writeFile(bodyFile, body);
      const bare = await startServerProcess('bare-json.ts', { BENCH_BODY_FILE: bodyFile });
      try {
        // Warm both up, then measure each for the same duration.
        await measure({ url: listUrl, headers, duration: 1, connections });
        await measure({ url: `${bare.url}/v1/catalog/products`, duration: 1, connections });
        const full = await measure({ url: listUrl, headers, duration, connections });
        const baseline = await measure({ url: `${bare.url}/v1/catalog/products`, duration, connections });
        return {
          rows: [
            { label: 'full app (50 rows from PostgreSQL)', result: full },
            { label: 'bare Fastify (same JSON from memory)', result: baseline },
          ],
          ratio: { label: 'full / bare requests per second', value: full.requestsPerSecond / baseline.requestsPerSecond },
        };
      } finally {
        await bare.stop();
      }
    } finally {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
