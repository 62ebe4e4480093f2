import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { channelKey } from '../../kernel/realtime/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { defineIsland, islandScriptUrl, useIslands } from '../../web/islands/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { commentInput, requestInput, requestListQuery, scopeInput } from './domain/request.ts';
import { DetailPage } from './pages/detail.page.tsx';
import { EMPTY_REQUEST, FeedPage, type RequestFormValues } from './pages/feed.page.tsx';
import { REQUEST_LIVE_ISLAND } from './pages/request-live.tsx';
import { ACTIVITY_CHANNEL, DRAFT, MODERATE, READ, REQUEST_PERMISSIONS, WRITE } from './permissions.ts';
import { addComment, changeRequestStatus, createRequest, getRequest, listRequests, removeComment, setCommentScope, setRequestScope, type RequestsDeps } from './requests.service.ts';

const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });
const commentParams = idParams.extend({ commentId: z.uuid() });
const requestLiveIsland = defineIsland(REQUEST_LIVE_ISLAND, new URL('./pages/request-live.client.tsx', import.meta.url));

const noticeOf = (request: FastifyRequest) => {
  const { notice } = (request.query ?? {}) as Record<string, unknown>;
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
};
const withNotice = (path: string, text: string) => `${path}?notice=${encodeURIComponent(text)}`;
const nonEmpty = (query: unknown) => Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([key, value]) => value !== '' && key !== 'notice'));

function issuesByField(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

/** The feed, the request page (live through its island) and their forms. */
export function requestsPageRoutes(app: AppInstance, deps: RequestsDeps): void {
  useIslands(app, [requestLiveIsland]);

  const sendFeed = async (request: FastifyRequest, reply: FastifyReply, values: RequestFormValues, errors: FieldErrors, formError?: string, status = 200) => {
    const parsed = requestListQuery.safeParse(nonEmpty(request.query));
    const query = parsed.success ? parsed.data : requestListQuery.parse({});
    const page = await listRequests(serviceContext(request), query);
    const { permissions } = request;
    return sendPage(
      reply,
      FeedPage({ page, query, values, errors, formError, notice: noticeOf(request), canDraft: permissions.has(REQUEST_PERMISSIONS.draft), verified: permissions.has(REQUEST_PERMISSIONS.write), chrome: chrome(request, reply) }),
      status,
    );
  };

  app.get('/requests', { config: READ, schema: hidden }, (request, reply) => sendFeed(request, reply, EMPTY_REQUEST, {}));

  app.post('/requests', { config: DRAFT, schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: RequestFormValues = { title: formText(fields.title), body: formText(fields.body), syncScope: formText(fields.syncScope) || 'private' };
    const parsed = requestInput.safeParse(values);
    if (!parsed.success) return sendFeed(request, reply, values, issuesByField(parsed.error), undefined, 422);
    const created = await createRequest(serviceContext(request), parsed.data);
    return reply.redirect(withNotice(`/requests/${created.id}`, created.status === 'pending' ? 'Saved as pending: others see it once your sign-in is verified.' : 'Request posted.'), 303);
  });

  const sendDetail = async (request: FastifyRequest, reply: FastifyReply, id: string, values: { body: string; syncScope: string }, errors: FieldErrors, formError?: string, status = 200) => {
    const ctx = serviceContext(request);
    const [detail, script] = await Promise.all([getRequest(ctx, id), islandScriptUrl(app, REQUEST_LIVE_ISLAND)]);
    const live = {
      detail,
      channel: channelKey(ctx.tenantId, ACTIVITY_CHANNEL),
      csrfToken: '',
      timeZone: request.tenant?.timeZone ?? DEFAULT_TIME_ZONE,
      canWrite: request.permissions.has(REQUEST_PERMISSIONS.write),
      canModerate: request.permissions.has(REQUEST_PERMISSIONS.moderate),
    };
    const pageChrome = chrome(request, reply);
    return sendPage(reply, DetailPage({ live: { ...live, csrfToken: pageChrome.csrfToken }, script, values, errors, formError, notice: noticeOf(request), chrome: pageChrome }), status);
  };

  /** A failed action shows the request again with the reason; a missing request stays a 404. */
  const actionFailed = (request: FastifyRequest, reply: FastifyReply, id: string, error: unknown) => {
    const rejection = formRejection(error);
    if (rejection.status === 404) throw error;
    return sendDetail(request, reply, id, { body: '', syncScope: 'private' }, {}, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
  };

  app.get('/requests/:id', { config: READ, schema: { ...hidden, params: idParams } }, (request, reply) => sendDetail(request, reply, request.params.id, { body: '', syncScope: 'private' }, {}));

  app.post('/requests/:id/comments', { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const fields = formFields(request.body);
    const values = { body: formText(fields.body), syncScope: formText(fields.syncScope) || 'private' };
    const parsed = commentInput.safeParse(values);
    if (!parsed.success) return sendDetail(request, reply, request.params.id, values, issuesByField(parsed.error), undefined, 422);
    try {
      await addComment(serviceContext(request), deps, request.params.id, parsed.data);
      return reply.redirect(withNotice(`/requests/${request.params.id}`, 'Comment posted.'), 303);
    } catch (error) {
      return actionFailed(request, reply, request.params.id, error);
    }
  });

  for (const action of ['complete', 'reopen'] as const) {
    app.post(`/requests/:id/${action}`, { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      try {
        await changeRequestStatus(serviceContext(request), deps, request.params.id, action);
        return reply.redirect(withNotice(`/requests/${request.params.id}`, action === 'complete' ? 'Marked completed. Thank you!' : 'Reopened.'), 303);
      } catch (error) {
        return actionFailed(request, reply, request.params.id, error);
      }
    });
  }

  app.post('/requests/:id/scope', { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    try {
      const { syncScope } = scopeInput.parse({ syncScope: formText(formFields(request.body).syncScope) });
      await setRequestScope(serviceContext(request), deps, request.params.id, syncScope);
      return reply.redirect(withNotice(`/requests/${request.params.id}`, `The request is ${syncScope} now.`), 303);
    } catch (error) {
      return actionFailed(request, reply, request.params.id, error);
    }
  });

  app.post('/requests/:id/comments/:commentId/scope', { config: WRITE, schema: { ...hidden, params: commentParams } }, async (request, reply) => {
    try {
      const { syncScope } = scopeInput.parse({ syncScope: formText(formFields(request.body).syncScope) });
      await setCommentScope(serviceContext(request), deps, request.params.id, request.params.commentId, syncScope);
      return reply.redirect(withNotice(`/requests/${request.params.id}`, `The comment is ${syncScope} now.`), 303);
    } catch (error) {
      return actionFailed(request, reply, request.params.id, error);
    }
  });

  app.post('/requests/:id/comments/:commentId/remove', { config: MODERATE, schema: { ...hidden, params: commentParams } }, async (request, reply) => {
    try {
      await removeComment(serviceContext(request), deps, request.params.id, request.params.commentId, formText(formFields(request.body).reason).slice(0, 500));
      return reply.redirect(withNotice(`/requests/${request.params.id}`, 'Comment removed.'), 303);
    } catch (error) {
      return actionFailed(request, reply, request.params.id, error);
    }
  });
}
