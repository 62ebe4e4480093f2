import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formRoute, parseWith } from '../../web/index.ts';
import { BusinessSettingsPage } from './settings.page.tsx';
import { SETTINGS_READ, SETTINGS_WRITE } from './settings.routes.ts';
import { businessSettingsInput, getBusinessSettings, updateBusinessSettings } from './settings.service.ts';

/** `/settings/business`: the form (business.settings.write) or the values (business.settings.read). */
export function settingsPageRoutes(app: AppInstance): void {
  const pageQuery = z.object({ done: z.enum(['saved']).optional().catch(undefined) });
  formRoute(app, {
    path: '/settings/business',
    config: SETTINGS_WRITE,
    show: { path: '/settings/business', config: SETTINGS_READ, values: async (request) => getBusinessSettings(serviceContext(request)) },
    values: (form) => ({ timeZone: form.text('timeZone') }),
    parse: (values) => parseWith(businessSettingsInput, values),
    submit: async (input, request) => {
      await updateBusinessSettings(serviceContext(request), input);
      // Post/redirect/get: a reload does not post again.
      return '/settings/business?done=saved';
    },
    // The zone is the whole form: what is wrong with it is shown next to the field.
    render: ({ values, errors, formError }, request, reply) => {
      const canWrite = request.permissions.has(SETTINGS_WRITE.access.permission);
      const notice = pageQuery.parse(request.query ?? {}).done === 'saved' ? 'Saved the business settings.' : undefined;
      return BusinessSettingsPage({ timeZone: values.timeZone, canWrite, error: formError ?? errors.timeZone, notice, chrome: chrome(request, reply) });
    },
  });
}
