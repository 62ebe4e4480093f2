import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formFields, formText, sendPage } from '../../web/index.ts';
import { BusinessSettingsPage } from './settings.page.tsx';
import { SETTINGS_READ, SETTINGS_WRITE } from './settings.routes.ts';
import { businessSettingsInput, getBusinessSettings, updateBusinessSettings } from './settings.service.ts';

/** `/settings/business`: the form (business.settings.write) or the values (business.settings.read). */
export function settingsPageRoutes(app: AppInstance): void {
  const render = (request: FastifyRequest, reply: FastifyReply, timeZone: string, shown: { error?: string; notice?: string } = {}) => {
    const canWrite = request.permissions.has(SETTINGS_WRITE.access.permission);
    return sendPage(reply, BusinessSettingsPage({ timeZone, canWrite, ...shown, chrome: chrome(request, reply) }), shown.error ? 400 : 200);
  };

  const pageQuery = z.object({ done: z.enum(['saved']).optional().catch(undefined) });
  app.get('/settings/business', { config: SETTINGS_READ, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const { timeZone } = await getBusinessSettings(serviceContext(request));
    return render(request, reply, timeZone, request.query.done === 'saved' ? { notice: 'Saved the business settings.' } : {});
  });

  app.post('/settings/business', { config: SETTINGS_WRITE, schema: { hide: true } }, async (request, reply) => {
    const typed = formText(formFields(request.body).timeZone);
    const parsed = businessSettingsInput.safeParse({ timeZone: typed });
    // The zone is the whole form, and the use case refuses nothing else: what it says is shown next to the field.
    if (!parsed.success) return render(request, reply, typed, { error: parsed.error.issues[0]?.message ?? 'must be a time zone' });
    await updateBusinessSettings(serviceContext(request), parsed.data);
    // Post/redirect/get: a reload does not post again.
    return reply.redirect('/settings/business?done=saved', 303);
  });
}
