import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { text } from '../../kernel/text/index.ts';
import { commentInput, requestDetail, requestInput, requestListQuery, requestSummary, scopeInput } from './domain/request.ts';
import { DRAFT, MODERATE, READ, WRITE } from './permissions.ts';
import { addComment, changeRequestStatus, createRequest, getRequest, listRequests, removeComment, setRequestScope, type RequestsDeps } from './requests.service.ts';

const tags = ['requests'];
const idParams = z.strictObject({ id: z.uuid({ error: 'must be a request id (UUID)' }) });
const commentParams = idParams.extend({ commentId: z.uuid({ error: 'must be a comment id (UUID)' }) });
const pagination = z.object({ page: z.number(), pageSize: z.number(), total: z.number(), totalPages: z.number() });
const detail = { 200: z.object({ data: requestDetail }) };

/** The JSON API of requests (`/v1/requests`): the same use cases as the pages. */
export function requestsApiRoutes(app: AppInstance, deps: RequestsDeps): void {
  app.get(
    '/v1/requests',
    {
      config: READ,
      schema: { tags, summary: 'The feed: requests newest first, filtered by status, scope (private/public) or mine=true', querystring: requestListQuery, response: { 200: z.object({ data: z.array(requestSummary), pagination }) } },
    },
    (request) => listRequests(serviceContext(request), request.query),
  );

  app.post(
    '/v1/requests',
    {
      config: DRAFT,
      schema: { tags, summary: 'Post a request (pending until the author’s sign-in is verified)', body: requestInput, response: { 201: z.object({ data: requestDetail }) } },
    },
    async (request, reply) => reply.code(201).send({ data: await createRequest(serviceContext(request), request.body) }),
  );

  app.get('/v1/requests/:id', { config: READ, schema: { tags, summary: 'A request with its comments', params: idParams, response: detail } }, async (request) => ({
    data: await getRequest(serviceContext(request), request.params.id),
  }));

  for (const action of ['complete', 'reopen'] as const) {
    app.post(
      `/v1/requests/:id/${action}`,
      { config: WRITE, schema: { tags, summary: action === 'complete' ? 'Mark an open request completed' : 'Reopen a completed request', params: idParams, response: detail } },
      async (request) => ({ data: await changeRequestStatus(serviceContext(request), deps, request.params.id, action) }),
    );
  }

  app.post(
    '/v1/requests/:id/comments',
    { config: WRITE, schema: { tags, summary: 'Comment on a request', params: idParams, body: commentInput, response: { 201: z.object({ data: requestDetail }) } } },
    async (request, reply) => reply.code(201).send({ data: await addComment(serviceContext(request), deps, request.params.id, request.body) }),
  );

  app.put(
    '/v1/requests/:id/scope',
    { config: WRITE, schema: { tags, summary: "Change a request's sync scope (its author or a moderator)", params: idParams, body: scopeInput, response: detail } },
    async (request) => ({ data: await setRequestScope(serviceContext(request), deps, request.params.id, request.body.syncScope) }),
  );

  app.post(
    '/v1/requests/:id/comments/:commentId/remove',
    { config: MODERATE, schema: { tags, summary: 'Moderation: remove a comment (kept and audited)', params: commentParams, body: z.strictObject({ reason: text(500).default('') }), response: detail } },
    async (request) => ({ data: await removeComment(serviceContext(request), deps, request.params.id, request.params.commentId, request.body.reason) }),
  );
}
