import { api, page, resource, sessionApi, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';

/** A request posted by the community's owner (open: the owner's sign-in is verified). */
const lastComment = new Map<string, string>();
const postRequest = (s: FixtureScope) => s.asOwner('POST', '/v1/requests', { title: 'Matrix needs a hand', body: 'Carrying boxes.', syncScope: 'private' }).then((made) => made.id);
const openRequest = resource(postRequest);
const completedRequest = resource(async (s) => {
  const id = await postRequest(s);
  await s.asOwner('POST', `/v1/requests/${id}/complete`);
  return id;
});
/** A request with one comment, whose id the comment parameter (made next, in url order) answers. */
const commentedRequest = resource(async (s) => {
  const id = await postRequest(s);
  const made = await s.asOwner<{ comments: { id: string }[] }>('POST', `/v1/requests/${id}/comments`, { body: 'On my way.' });
  lastComment.set(s.tenant.id, made.comments[0]?.id ?? '');
  return id;
});
const commentOf = resource(async (s) => lastComment.get(s.tenant.id) ?? '');
const REQUEST = { id: openRequest };
const COMMENT = { id: commentedRequest, commentId: commentOf };

export const routeFixtures: Record<string, RouteFixture> = {
  'GET /v1/requests': api({ query: { status: 'open', page: '1', pageSize: '5' } }),
  'POST /v1/requests': api({ body: { title: 'Soup for a neighbour', body: 'Tonight, vegetarian.' } }),
  'GET /v1/requests/:id': sessionApi({ params: REQUEST }),
  'POST /v1/requests/:id/complete': api({ params: REQUEST }),
  'POST /v1/requests/:id/reopen': api({ params: { id: completedRequest } }),
  'POST /v1/requests/:id/comments': api({ params: REQUEST, body: { body: 'I can help on Sunday.' } }),
  'PUT /v1/requests/:id/scope': api({ params: REQUEST, body: { syncScope: 'public' }, alsoHolds: ['requests.request.moderate'] }),
  'POST /v1/requests/:id/comments/:commentId/remove': api({ params: COMMENT, body: { reason: 'Off topic' } }),
  'GET /requests': page(),
  'POST /requests': page({ body: { title: 'Lift to the station', body: 'Friday 7 am.', syncScope: 'private' } }),
  'GET /requests/:id': page({ params: REQUEST }),
  'POST /requests/:id/comments': page({ params: REQUEST, body: { body: 'Count me in.', syncScope: 'private' } }),
  'POST /requests/:id/complete': page({ params: REQUEST }),
  'POST /requests/:id/reopen': page({ params: { id: completedRequest } }),
  'POST /requests/:id/scope': page({ params: REQUEST, body: { syncScope: 'public' }, alsoHolds: ['requests.request.moderate'] }),
  'POST /requests/:id/comments/:commentId/scope': page({ params: COMMENT, body: { syncScope: 'public' }, alsoHolds: ['requests.request.moderate'] }),
  'POST /requests/:id/comments/:commentId/remove': page({ params: COMMENT, body: { reason: 'Duplicate' } }),
};
