import { api, page, resource, type FixtureScope, type Resource, type RouteFixture } from '../../support/route-fixtures.ts';
import { newKitchen, receivedEnquiry } from './support.ts';

const newEnquiry = resource((s: FixtureScope) => receivedEnquiry(s.t, s.tenant.id));
const contactedEnquiry = resource(async (s) => {
  const id = await receivedEnquiry(s.t, s.tenant.id);
  await s.asOwner('POST', `/v1/enquiries/${id}/contact`);
  return id;
});
/**
 * The public forms name the business by its slug: not a tenant resource (anyone may name any
 * business), but only a business whose edition has enquiries serves them, so a kitchen.
 */
const business: Resource = { create: async (s) => (await newKitchen(s.t, 'matrix-kitchen')).slug, tenantScoped: false, missing: () => 'no-such-business' };
const visitor = { name: 'Matrix Visitor', email: 'matrix@example.com', message: 'Hello' };

export const routeFixtures: Record<string, RouteFixture> = {
  'GET /v1/enquiries': api({ query: { status: 'new', page: '1', pageSize: '5' } }),
  'GET /v1/enquiries/:id': api({ params: { id: newEnquiry } }),
  'POST /v1/enquiries/:id/contact': api({ params: { id: newEnquiry } }),
  'POST /v1/enquiries/:id/qualify': api({ params: { id: contactedEnquiry } }),
  'POST /v1/enquiries/:id/close': api({ params: { id: newEnquiry }, body: { reason: 'Outside our delivery area' } }),
  'GET /site/:business/enquire': page({ params: { business } }),
  'POST /site/:business/enquire': page({ params: { business }, body: visitor }),
  'GET /site/:business/request-access': page({ params: { business } }),
  'POST /site/:business/request-access': page({ params: { business }, body: visitor }),
  'GET /site/:business/thanks': page({ params: { business } }),
  'GET /enquiries': page(),
  'GET /enquiries/:id': page({ params: { id: newEnquiry } }),
  'POST /enquiries/:id/contact': page({ params: { id: newEnquiry } }),
  'POST /enquiries/:id/qualify': page({ params: { id: contactedEnquiry } }),
  'POST /enquiries/:id/close': page({ params: { id: newEnquiry }, body: { reason: 'Not a fit' } }),
};
