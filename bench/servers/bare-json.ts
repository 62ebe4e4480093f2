/** Baseline: a bare Fastify route answering a fixed JSON body from memory. */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = readFileSync(process.env.BENCH_BODY_FILE as string, 'utf8');
const app = Fastify({ logger: false });
app.get('/v1/catalog/products', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
