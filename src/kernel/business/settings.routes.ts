import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { businessSettingsInput, businessSettingsView, getBusinessSettings, updateBusinessSettings } from './settings.service.ts';

export const SETTINGS_READ = { access: { permission: 'business.settings.read' } } as const;
export const SETTINGS_WRITE = { access: { permission: 'business.settings.write' } } as const;
const tags = ['business'];
const one = z.object({ data: businessSettingsView });

/** The business's own settings: its time zone. */
export function settingsRoutes(app: AppInstance): void {
  app.get(
    '/v1/business/settings',
    { config: SETTINGS_READ, schema: { tags, summary: "The business's settings: the IANA time zone of its clocks", response: { 200: one } } },
    async (request) => ({ data: await getBusinessSettings(serviceContext(request)) }),
  );

  app.put(
    '/v1/business/settings',
    {
      config: SETTINGS_WRITE,
      schema: { tags, summary: "Change the business's settings (audited): report days, quiet hours and the times its pages show follow the time zone", body: businessSettingsInput, response: { 200: one } },
    },
    async (request) => ({ data: await updateBusinessSettings(serviceContext(request), request.body) }),
  );
}
