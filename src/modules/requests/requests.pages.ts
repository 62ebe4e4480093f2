import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { channelKey } from '../../kernel/realtime/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { defineIsland, islandScriptUrl, useIslands } from '../../web/islands/index.ts';
import { actionRoute, chrome, firstError, formRoute, noticeOf, parseWith, withNotice, type FormState } from '../../web/index.ts';
import { commentInput, requestInput, requestListQuery, scopeInput } from './domain/request.ts';
import { DetailPage } from './pages/detail.page.tsx';
import { EMPTY_REQUEST, FeedPage, type RequestFormValues } from './pages/feed.page.tsx';
import { REQUEST_LIVE_ISLAND } from './pages/request-live.tsx';
import { ACTIVITY_CHANNEL, DRAFT, MODERATE, READ, REQUEST_PERMISSIONS, WRITE } from './permissions.ts';
import { addComment, changeRequestStatus, createRequest, getRequest, listRequests, removeComment, setCommentScope, setRequestScope, type RequestsDeps } from './requests.service.ts';

const idParams = z.object({ id: z.uuid() });
const commentParams = idParams.extend({ commentId: z.uuid() });
type IdParams = z.infer<typeof idParams>;
type CommentParams = z.infer<typeof commentParams>;
const requestLiveIsland = defineIsland(REQUEST_LIVE_ISLAND, new URL('./pages/request-live.client.tsx', import.meta.url));
const EMPTY_COMMENT = { body: '', syncScope: 'private' };

const nonEmpty = (query: unknown) => Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([key, value]) => value !== '' && key !== 'notice'));

/** The feed, the request page (live through its island) and their forms. */
export function requestsPageRoutes(app: AppInstance, deps: RequestsDeps): void {
  useIslands(app, [requestLiveIsland]);

  const feed = async (form: FormState<RequestFormValues>, request: FastifyRequest, reply: FastifyReply) => {
    const parsed = requestListQuery.safeParse(nonEmpty(request.query));
    const query = parsed.success ? parsed.data : requestListQuery.parse({});
    const page = await listRequests(serviceContext(request), query);
    const { permissions } = request;
    return FeedPage({ page, query, ...form, notice: noticeOf(request), canDraft: permissions.has(REQUEST_PERMISSIONS.draft), verified: permissions.has(REQUEST_PERMISSIONS.write), chrome: chrome(request, reply) });
  };

  formRoute(app, {
    path: '/requests',
    config: DRAFT,
    show: { path: '/requests', config: READ, values: () => EMPTY_REQUEST },
    values: (form) => ({ title: form.text('title'), body: form.text('body'), syncScope: form.text('syncScope') || 'private' }),
    parse: (values) => parseWith(requestInput, values),
    submit: async (input, request) => {
      const created = await createRequest(serviceContext(request), input);
      return withNotice(`/requests/${created.id}`, created.status === 'pending' ? 'Saved as pending: others see it once your sign-in is verified.' : 'Request posted.');
    },
    render: feed,
  });

  /** The request page, its comment form showing `form` (and a refused action's reason above it). */
  const detail = async (form: FormState<typeof EMPTY_COMMENT>, request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply) => {
    const ctx = serviceContext(request);
    const [found, script] = await Promise.all([getRequest(ctx, request.params.id), islandScriptUrl(app, REQUEST_LIVE_ISLAND)]);
    const pageChrome = chrome(request, reply);
    const live = {
      detail: found,
      channel: channelKey(ctx.tenantId, ACTIVITY_CHANNEL),
      csrfToken: pageChrome.csrfToken,
      timeZone: request.tenant?.timeZone ?? DEFAULT_TIME_ZONE,
      canWrite: request.permissions.has(REQUEST_PERMISSIONS.write),
      canModerate: request.permissions.has(REQUEST_PERMISSIONS.moderate),
    };
    return DetailPage({ live, script, ...form, notice: noticeOf(request), chrome: pageChrome });
  };
  /** A refused button shows its reason on the request page. */
  const detailWithReason = (form: FormState<object>, request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply) =>
    detail({ values: EMPTY_COMMENT, errors: {}, formError: firstError(form) }, request, reply);

  formRoute(app, {
    path: '/requests/:id/comments',
    config: WRITE,
    params: idParams,
    show: { path: '/requests/:id', config: READ, values: () => EMPTY_COMMENT },
    values: (form) => ({ body: form.text('body'), syncScope: form.text('syncScope') || 'private' }),
    parse: (values) => parseWith(commentInput, values),
    submit: async (input, request) => {
      await addComment(serviceContext(request), deps, request.params.id, input);
      return withNotice(`/requests/${request.params.id}`, 'Comment posted.');
    },
    render: detail,
  });

  for (const action of ['complete', 'reopen'] as const) {
    actionRoute(app, {
      path: `/requests/:id/${action}`,
      config: WRITE,
      params: idParams,
      submit: async (_input, request) => {
        await changeRequestStatus(serviceContext(request), deps, request.params.id, action);
        return withNotice(`/requests/${request.params.id}`, action === 'complete' ? 'Marked completed. Thank you!' : 'Reopened.');
      },
      render: detailWithReason,
    });
  }

  formRoute(app, {
    path: '/requests/:id/scope',
    config: WRITE,
    params: idParams,
    values: (form) => ({ syncScope: form.text('syncScope') }),
    parse: (values) => parseWith(scopeInput, values),
    submit: async ({ syncScope }, request) => {
      await setRequestScope(serviceContext(request), deps, request.params.id, syncScope);
      return withNotice(`/requests/${request.params.id}`, `The request is ${syncScope} now.`);
    },
    render: detailWithReason,
  });

  formRoute<CommentParams, { syncScope: string }, z.output<typeof scopeInput>>(app, {
    path: '/requests/:id/comments/:commentId/scope',
    config: WRITE,
    params: commentParams,
    values: (form) => ({ syncScope: form.text('syncScope') }),
    parse: (values) => parseWith(scopeInput, values),
    submit: async ({ syncScope }, request) => {
      await setCommentScope(serviceContext(request), deps, request.params.id, request.params.commentId, syncScope);
      return withNotice(`/requests/${request.params.id}`, `The comment is ${syncScope} now.`);
    },
    render: detailWithReason,
  });

  formRoute<CommentParams, { reason: string }, { reason: string }>(app, {
    path: '/requests/:id/comments/:commentId/remove',
    config: MODERATE,
    params: commentParams,
    values: (form) => ({ reason: form.text('reason') }),
    parse: (values) => parseWith(z.object({ reason: z.string().max(500) }), values),
    submit: async ({ reason }, request) => {
      await removeComment(serviceContext(request), deps, request.params.id, request.params.commentId, reason);
      return withNotice(`/requests/${request.params.id}`, 'Comment removed.');
    },
    render: detailWithReason,
  });
}
