import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { getNotifySettings, notifySettingsInput, notifySettingsView, updateNotifySettings } from './settings.service.ts';

export const SETTINGS_READ = { access: { permission: 'notify.settings.read' } } as const;
export const SETTINGS_WRITE = { access: { permission: 'notify.settings.write' } } as const;
const tags = ['notify'];
const one = z.object({ data: notifySettingsView });

/** The tenant's notification settings: sender name, reply-to, default quiet hours and zone, SMS on or off. */
export function settingsRoutes(app: AppInstance): void {
  app.get(
    '/v1/notify/settings',
    { config: SETTINGS_READ, schema: { tags, summary: "The tenant's notification settings (null: the configured default)", response: { 200: one } } },
    async (request) => ({ data: await getNotifySettings(serviceContext(request)) }),
  );

  app.put(
    '/v1/notify/settings',
    {
      config: SETTINGS_WRITE,
      schema: { tags, summary: "Replace the tenant's notification settings (audited)", body: notifySettingsInput, response: { 200: one } },
    },
    async (request) => ({ data: await updateNotifySettings(serviceContext(request), request.body) }),
  );
}
