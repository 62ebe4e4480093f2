import { randomUUID } from 'node:crypto';
import { api, resource, type RouteFixture } from '../../support/route-fixtures.ts';

/** A job that failed its last retry, for the tenant's event, on a queue that exists (so retrying it succeeds). */
const deadLetter = resource(async (s) => {
  const owner = s.t.database.pool;
  await owner.query(`SELECT pgboss.create_queue('jobs.matrix', '{"policy":"standard"}')`);
  const data = { id: randomUUID(), type: 'jobs.matrix.happened', tenantId: s.tenant.id, payload: {}, occurredAt: new Date().toISOString(), handler: 'jobs.matrix' };
  const { rows } = await owner.query<{ id: string }>(`INSERT INTO pgboss.job (name, data, output) VALUES ('jobs.dead-letter', $1, '{"message":"matrix"}') RETURNING id`, [data]);
  return (rows[0] as { id: string }).id;
});

export const routeFixtures: Record<string, RouteFixture> = {
  // Dead letters: jobs that failed their last retry.
  'GET /v1/jobs/dead-letters': api(),
  'POST /v1/jobs/dead-letters/:id/retry': api({ params: { id: deadLetter } }),
  'POST /v1/jobs/dead-letters/:id/discard': api({ params: { id: deadLetter } }),
};
