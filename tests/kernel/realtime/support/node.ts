/**
 * One app process for the cross-node test: the full app over DATABASE_URL (already migrated and
 * provisioned by the test), with the test channel, listening on a free port. Prints `READY <port>`;
 * each line on stdin is `{"tenantId","channel","event"}` to publish, answered `PUBLISHED` (or `FAILED …`).
 */
import { createInterface } from 'node:readline';
import { APP_ROLE, createDatabase } from '../../../../src/kernel/db/index.ts';
import { createLogger } from '../../../../src/kernel/observability/logger.ts';
import { buildPlinthApp, planEditions } from '../../../../src/editions/compose.ts';
import { TEST_ROOT_SECRET, testConfig } from '../../../support/app.ts';
import { TEST_CHANNEL } from './client.ts';

const env = Object.fromEntries(['DATABASE_URL', 'REALTIME_ADAPTER', 'REDIS_URL'].flatMap((key) => (process.env[key] ? [[key, process.env[key] as string]] : [])));
const config = testConfig(env);
const database = createDatabase(config.databaseUrl as string, { poolMax: 3, log: createLogger('silent'), role: APP_ROLE });
const app = await buildPlinthApp({ config, database, logger: createLogger(config.logLevel), rootSecret: TEST_ROOT_SECRET, plan: planEditions({ editions: undefined }) });
app.realtime.defineChannel(TEST_CHANNEL);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  try {
    const { tenantId, channel, event } = JSON.parse(line) as { tenantId: string; channel: string; event: unknown };
    await app.realtime.publish(tenantId, channel, event);
    process.stdout.write('PUBLISHED\n');
  } catch (error) {
    process.stdout.write(`FAILED ${String(error)}\n`);
  }
}
await app.close();
await database.close();
