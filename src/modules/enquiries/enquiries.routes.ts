import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { closeInput, enquiryListQuery, enquiryView, FORWARD_STEPS } from './domain/enquiry.ts';
import { getEnquiry, listEnquiries, moveEnquiry } from './enquiry.service.ts';
import { READ, WRITE } from './permissions.ts';

const tags = ['enquiries'];
export const idParams = z.strictObject({ id: z.uuid({ error: 'must be an enquiry id (UUID)' }) });
const pagination = z.object({ page: z.number(), pageSize: z.number(), total: z.number(), totalPages: z.number() });
const one = { 200: z.object({ data: enquiryView }) };

/** The staff pipeline's JSON API (`/v1/enquiries`): the same use cases as the pages. */
export function enquiriesApiRoutes(app: AppInstance): void {
  app.get(
    '/v1/enquiries',
    { config: READ, schema: { tags, summary: 'Enquiries and access requests, newest first, filtered by status and kind', querystring: enquiryListQuery, response: { 200: z.object({ data: z.array(enquiryView), pagination }) } } },
    (request) => listEnquiries(serviceContext(request), request.query),
  );

  app.get('/v1/enquiries/:id', { config: READ, schema: { tags, summary: 'One enquiry', params: idParams, response: one } }, async (request) => ({
    data: await getEnquiry(serviceContext(request), request.params.id),
  }));

  for (const [step, to] of Object.entries(FORWARD_STEPS)) {
    app.post(`/v1/enquiries/:id/${step}`, { config: WRITE, schema: { tags, summary: `Mark an enquiry ${to}`, params: idParams, response: one } }, async (request) => ({
      data: await moveEnquiry(serviceContext(request), request.params.id, to),
    }));
  }

  app.post('/v1/enquiries/:id/close', { config: WRITE, schema: { tags, summary: 'Close an open enquiry, with the reason', params: idParams, body: closeInput, response: one } }, async (request) => ({
    data: await moveEnquiry(serviceContext(request), request.params.id, 'closed', request.body.reason),
  }));
}
