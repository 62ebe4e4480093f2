import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config/index.ts';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { DEFAULT_TIME_ZONE } from '../time/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { NotifySettingsPage, type SettingsFormValues } from './settings.page.tsx';
import { SETTINGS_READ, SETTINGS_WRITE } from './settings.routes.ts';
import { getNotifySettings, notifySettingsInput, updateNotifySettings, type NotifySettingsView } from './settings.service.ts';

const toForm = (view: NotifySettingsView): SettingsFormValues => ({
  senderName: view.senderName ?? '',
  replyTo: view.replyTo ?? '',
  quietStart: view.quietHours?.start ?? '',
  quietEnd: view.quietHours?.end ?? '',
  smsEnabled: view.smsEnabled,
});

/** Form text to the API's input (empty: null, the default); errors keyed by form field. */
function parseForm(values: SettingsFormValues) {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  const errors: FieldErrors = {};
  const [start, end] = [orNull(values.quietStart), orNull(values.quietEnd)];
  if (Boolean(start) !== Boolean(end)) errors[start ? 'quietEnd' : 'quietStart'] = 'give both times, or neither for the default';
  const parsed = notifySettingsInput.safeParse({
    senderName: orNull(values.senderName),
    replyTo: orNull(values.replyTo),
    quietHours: start && end ? { start, end } : null,
    smsEnabled: values.smsEnabled,
  });
  if (parsed.success && Object.keys(errors).length === 0) return { input: parsed.data, errors };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [key, part] = issue.path.map(String);
    const field = key === 'quietHours' ? (part === 'end' ? 'quietEnd' : 'quietStart') : (key ?? '');
    errors[field] ??= issue.message;
  }
  return { errors };
}

/** `/settings/notifications`: the settings form (notify.settings.write) or their values (notify.settings.read). */
export function settingsPageRoutes(app: AppInstance, config: Config): void {
  const defaults = { from: config.notify.from, quietHours: config.notify.quietHours };
  const page = (request: FastifyRequest, reply: FastifyReply, values: SettingsFormValues, state: { errors?: FieldErrors; formError?: string; notice?: string; status?: number } = {}) =>
    sendPage(
      reply,
      NotifySettingsPage({
        values,
        defaults,
        timeZone: request.tenant?.timeZone ?? DEFAULT_TIME_ZONE,
        canWrite: request.permissions.has(SETTINGS_WRITE.access.permission),
        errors: state.errors ?? {},
        formError: state.formError,
        notice: state.notice,
        chrome: chrome(request, reply),
      }),
      state.status ?? 200,
    );

  const pageQuery = z.object({ done: z.enum(['saved']).optional().catch(undefined) });
  app.get('/settings/notifications', { config: SETTINGS_READ, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const notice = request.query.done === 'saved' ? { notice: 'Saved the notification settings.' } : {};
    return page(request, reply, toForm(await getNotifySettings(serviceContext(request))), notice);
  });

  app.post('/settings/notifications', { config: SETTINGS_WRITE, schema: { hide: true } }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: SettingsFormValues = {
      senderName: formText(fields.senderName),
      replyTo: formText(fields.replyTo),
      quietStart: formText(fields.quietStart),
      quietEnd: formText(fields.quietEnd),
      smsEnabled: formText(fields.smsEnabled) === 'true',
    };
    const { input, errors } = parseForm(values);
    if (!input) return page(request, reply, values, { errors, status: 400 });
    try {
      await updateNotifySettings(serviceContext(request), input);
    } catch (error) {
      const rejection = formRejection(error);
      return page(request, reply, values, { errors: rejection.errors, ...(rejection.formError ? { formError: rejection.formError } : {}), status: rejection.status });
    }
    // Post/redirect/get: a reload does not post again.
    return reply.redirect('/settings/notifications?done=saved', 303);
  });
}
