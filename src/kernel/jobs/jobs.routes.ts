import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance, ModuleServices } from '../module/index.ts';
import { deadLetterQuery, deadLetterService, deadLetterView, listDeadLetters } from './dead-letters.service.ts';

const READ = { access: { permission: 'jobs.deadletter.read' } } as const;
const MANAGE = { access: { permission: 'jobs.deadletter.manage' } } as const;
const tags = ['jobs'];
const params = z.object({ id: z.string().max(100) });

/** The console's view of jobs that failed their last retry: list, retry, discard. */
export function jobsRoutes(app: AppInstance, services: ModuleServices): void {
  const service = deadLetterService(services.database);

  app.get(
    '/v1/jobs/dead-letters',
    {
      config: READ,
      schema: {
        tags,
        summary: 'List jobs that failed their last retry, newest first',
        querystring: deadLetterQuery,
        response: { 200: z.object({ data: z.array(deadLetterView) }) },
      },
    },
    async (request) => ({ data: await listDeadLetters(serviceContext(request), request.query) }),
  );

  app.post(
    '/v1/jobs/dead-letters/:id/retry',
    {
      config: MANAGE,
      schema: {
        tags,
        summary: 'Put a dead letter back on its queue for another round of attempts',
        params,
        response: { 200: z.object({ data: deadLetterView }) },
      },
    },
    async (request) => ({ data: await service.retry(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/jobs/dead-letters/:id/discard',
    {
      config: MANAGE,
      schema: {
        tags,
        summary: 'Drop a dead letter for good',
        params,
        response: { 200: z.object({ data: deadLetterView }) },
      },
    },
    async (request) => ({ data: await service.discard(serviceContext(request), request.params.id) }),
  );
}
