import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { BusinessSettingsPage } from './settings.page.tsx';
import { SETTINGS_READ, SETTINGS_WRITE } from './settings.routes.ts';
import { businessSettingsInput, getBusinessSettings, updateBusinessSettings } from './settings.service.ts';

/** `/settings/business`: the form (business.settings.write) or the values (business.settings.read). */
export function settingsPageRoutes(app: AppInstance): void {
  const page = (request: FastifyRequest, reply: FastifyReply, timeZone: string, state: { errors?: FieldErrors; formError?: string; notice?: string; status?: number } = {}) =>
    sendPage(
      reply,
      BusinessSettingsPage({
        timeZone,
        canWrite: request.permissions.has(SETTINGS_WRITE.access.permission),
        errors: state.errors ?? {},
        formError: state.formError,
        notice: state.notice,
        chrome: chrome(request, reply),
      }),
      state.status ?? 200,
    );

  const pageQuery = z.object({ done: z.enum(['saved']).optional().catch(undefined) });
  app.get('/settings/business', { config: SETTINGS_READ, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const notice = request.query.done === 'saved' ? { notice: 'Saved the business settings.' } : {};
    return page(request, reply, (await getBusinessSettings(serviceContext(request))).timeZone, notice);
  });

  app.post('/settings/business', { config: SETTINGS_WRITE, schema: { hide: true } }, async (request, reply) => {
    const timeZone = formText(formFields(request.body).timeZone);
    const parsed = businessSettingsInput.safeParse({ timeZone });
    if (!parsed.success) return page(request, reply, timeZone, { errors: { timeZone: parsed.error.issues[0]?.message ?? 'must be a time zone' }, status: 400 });
    try {
      await updateBusinessSettings(serviceContext(request), parsed.data);
    } catch (error) {
      const rejection = formRejection(error);
      return page(request, reply, timeZone, { errors: rejection.errors, ...(rejection.formError ? { formError: rejection.formError } : {}), status: rejection.status });
    }
    // Post/redirect/get: a reload does not post again.
    return reply.redirect('/settings/business?done=saved', 303);
  });
}
