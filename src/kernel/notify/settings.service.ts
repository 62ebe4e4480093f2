import type { Tx } from '../db/index.ts';
import { notifySettings } from './delivery.table.ts';
import { isTimeZone, parseQuietHours } from './domain/quiet-hours.ts';

/** A tenant's own quiet hours (`HH:MM-HH:MM`) and recipients' default time zone; null returns to the configured default. */
export async function setNotifySettings(tx: Tx, tenantId: string, settings: { quietHours: string | null; timeZone: string | null }): Promise<void> {
  if (settings.quietHours !== null) parseQuietHours(settings.quietHours);
  if (settings.timeZone !== null && !isTimeZone(settings.timeZone)) throw new Error(`Unknown time zone ${settings.timeZone}.`);
  await tx
    .insert(notifySettings)
    .values({ tenantId, ...settings })
    .onConflictDoUpdate({ target: notifySettings.tenantId, set: settings });
}
