import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance, Entitlements } from '../../kernel/module/index.ts';
import { actionRoute, chrome, formRoute, noticeOf, parseWith, sendPage, withNotice, type FormState } from '../../web/index.ts';
import { closeInput, enquiryInput, enquiryListQuery, FORWARD_STEPS, STATUS_LABELS, type EnquiryKind } from './domain/enquiry.ts';
import { HONEYPOT_FIELD } from './domain/spam-guard.ts';
import { getEnquiry, listEnquiries, moveEnquiry, publicBusiness, submitEnquiry } from './enquiry.service.ts';
import { idParams } from './enquiries.routes.ts';
import type { FormClock } from './form-token.ts';
import { EnquiryPage } from './pages/enquiry.page.tsx';
import { PipelinePage } from './pages/pipeline.page.tsx';
import { EMPTY_PUBLIC_FORM, PublicFormPage, ThanksPage, type PublicFormValues } from './pages/public-form.page.tsx';
import { ENQUIRY_PERMISSIONS, PUBLIC_FORM, READ, WRITE } from './permissions.ts';

const hidden = { hide: true };
const businessParams = z.object({ business: z.string().min(1).max(63) });
const PUBLIC_PATHS: Record<EnquiryKind, string> = { enquiry: 'enquire', access: 'request-access' };

/** Query filters from a GET form: a select left at "Any" sends an empty value, which means no filter. */
const nonEmpty = (query: unknown) => Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([key, value]) => value !== '' && key !== 'notice'));

/** The public site's forms (anonymous, per business slug) and the staff pipeline's pages. */
export function enquiriesPageRoutes(app: AppInstance, clock: FormClock, entitlements: Entitlements): void {
  const anonymousContext = (request: FastifyRequest) => ({ db: app.db, actor: { kind: 'anonymous' } as const, requestId: request.id, log: request.log });
  for (const kind of ['enquiry', 'access'] as const) {
    const path = `/site/:business/${PUBLIC_PATHS[kind]}`;
    formRoute<z.infer<typeof businessParams>, PublicFormValues & { clock: string; honeypot: string }, { input: z.output<typeof enquiryInput>; clock: string; honeypot: string }>(app, {
      path,
      config: PUBLIC_FORM,
      params: businessParams,
      show: { path, config: { access: 'public' }, values: () => ({ ...EMPTY_PUBLIC_FORM, clock: '', honeypot: '' }) },
      values: (form) => ({
        name: form.text('name'),
        email: form.text('email'),
        phone: form.text('phone'),
        postcode: form.text('postcode'),
        message: form.text('message'),
        clock: form.text('clock'),
        honeypot: form.text(HONEYPOT_FIELD),
      }),
      parse: ({ clock: token, honeypot, ...fields }) => {
        const parsed = parseWith(enquiryInput, fields);
        return 'input' in parsed ? { input: { input: parsed.input, clock: token, honeypot } } : parsed;
      },
      submit: async ({ input, clock: token, honeypot }, request) => {
        const business = await publicBusiness(anonymousContext(request), entitlements, request.params.business);
        const ctx = { ...anonymousContext(request), tenantId: business.id };
        await submitEnquiry(ctx, { kind, input, honeypot, shownAt: clock.shownAt(business.slug, token) });
        return `/site/${business.slug}/thanks`;
      },
      render: async (form, request, reply) => {
        const business = await publicBusiness(anonymousContext(request), entitlements, request.params.business);
        // A refused form keeps the time it was first shown: correcting a typo is no reason to wait again.
        const token = clock.shownAt(business.slug, form.values.clock) === undefined ? clock.issue(business.slug) : form.values.clock;
        return PublicFormPage({ business, kind, values: form.values, errors: form.errors, formError: form.formError, clock: token, chrome: chrome(request, reply) });
      },
    });
  }

  app.get('/site/:business/thanks', { config: { access: 'public' }, schema: { ...hidden, params: businessParams } }, async (request, reply) => {
    const business = await publicBusiness(anonymousContext(request), entitlements, request.params.business);
    return sendPage(reply, ThanksPage({ business }));
  });

  // The staff pipeline.

  app.get('/enquiries', { config: READ, schema: hidden }, async (request, reply) => {
    const parsed = enquiryListQuery.safeParse(nonEmpty(request.query));
    const query = parsed.success ? parsed.data : enquiryListQuery.parse({});
    const page = await listEnquiries(serviceContext(request), query);
    const publicPath = `/site/${request.tenant?.slug ?? ''}/enquire`;
    return sendPage(reply, PipelinePage({ page, query, notice: noticeOf(request), publicPath }));
  });

  type IdRequest = FastifyRequest<{ Params: z.infer<typeof idParams> }>;
  const showEnquiry = async (request: IdRequest, reply: FastifyReply, form: FormState<{ reason: string }>) =>
    EnquiryPage({
      enquiry: await getEnquiry(serviceContext(request), request.params.id),
      canWrite: request.permissions.has(ENQUIRY_PERMISSIONS.write),
      notice: noticeOf(request),
      reason: form.values.reason,
      errors: form.errors,
      formError: form.formError,
      chrome: chrome(request, reply),
    });

  formRoute<z.infer<typeof idParams>, { reason: string }, { reason: string }>(app, {
    path: '/enquiries/:id/close',
    config: WRITE,
    params: idParams,
    show: { path: '/enquiries/:id', config: READ, values: () => ({ reason: '' }) },
    values: (form) => ({ reason: form.text('reason') }),
    parse: (values) => parseWith(closeInput, values),
    submit: async ({ reason }, request) => {
      await moveEnquiry(serviceContext(request), request.params.id, 'closed', reason);
      return withNotice(`/enquiries/${request.params.id}`, 'Enquiry closed.');
    },
    render: (form, request, reply) => showEnquiry(request, reply, form),
  });

  for (const [step, to] of Object.entries(FORWARD_STEPS)) {
    actionRoute<z.infer<typeof idParams>>(app, {
      path: `/enquiries/:id/${step}`,
      config: WRITE,
      params: idParams,
      submit: async (_input, request) => {
        await moveEnquiry(serviceContext(request), request.params.id, to);
        return withNotice(`/enquiries/${request.params.id}`, `Marked ${STATUS_LABELS[to].toLowerCase()}.`);
      },
      render: (form, request, reply) => showEnquiry(request, reply, { ...form, values: { reason: '' } }),
    });
  }
}
