import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { notifySettings } from './delivery.table.ts';
import { parseQuietHours } from '../time/index.ts';

/** A tenant's notification settings as stored; every field null (or SMS on) means "the configured default". */
export interface NotifySettings {
  /** Display name on the tenant's email, with NOTIFY_FROM's address. */
  senderName: string | null;
  replyTo: string | null;
  /** `HH:MM-HH:MM`, local to the recipient; applies to recipients without their own. */
  quietHours: string | null;
  smsEnabled: boolean;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = { senderName: null, replyTo: null, quietHours: null, smsEnabled: true };

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM, e.g. 21:00' });

/** The API's and the form's shape: quiet hours as start and end, each field null to use the default. */
export const notifySettingsInput = z.strictObject({
  // A display name goes into a header: no quotes, angle brackets or control characters (line breaks, NUL).
  senderName: z
    .string()
    .trim()
    .min(1)
    .max(100)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .regex(/^[^"<>\\\u0000-\u001f\u007f]+$/, { error: 'must not contain quotes, angle brackets or control characters' })
    .nullable(),
  replyTo: z.email({ error: 'must be an email address' }).max(254).nullable(),
  quietHours: z
    .strictObject({ start: clock, end: clock })
    .refine((range) => range.start !== range.end, { error: 'must start and end at different times', path: ['end'] })
    .nullable(),
  smsEnabled: z.boolean(),
});
export type NotifySettingsInput = z.infer<typeof notifySettingsInput>;

export const notifySettingsView = notifySettingsInput;
export type NotifySettingsView = NotifySettingsInput;

export function toView(settings: NotifySettings): NotifySettingsView {
  const [start, end] = settings.quietHours?.split('-') ?? [];
  return {
    senderName: settings.senderName,
    replyTo: settings.replyTo,
    quietHours: start && end ? { start, end } : null,
    smsEnabled: settings.smsEnabled,
  };
}

/** The tenant's settings inside the caller's tenant transaction; the defaults when it has none. */
export async function readNotifySettings(tx: Tx, tenantId: string): Promise<NotifySettings> {
  const [row] = await tx.select().from(notifySettings).where(eq(notifySettings.tenantId, tenantId));
  if (!row) return DEFAULT_NOTIFY_SETTINGS;
  return { senderName: row.senderName, replyTo: row.replyTo, quietHours: row.quietHours, smsEnabled: row.smsEnabled };
}

/** Writes some of a tenant's settings in the caller's transaction (no audit: for set-up and tests; use cases call updateNotifySettings). */
export async function setNotifySettings(tx: Tx, tenantId: string, settings: Partial<NotifySettings>): Promise<void> {
  if (settings.quietHours) parseQuietHours(settings.quietHours);
  await tx
    .insert(notifySettings)
    .values({ tenantId, ...settings })
    .onConflictDoUpdate({ target: notifySettings.tenantId, set: settings });
}

export function getNotifySettings(ctx: Pick<ServiceContext, 'db' | 'tenantId'>): Promise<NotifySettingsView> {
  return withTenantTx(ctx, async (uow) => toView(await readNotifySettings(uow.tx, ctx.tenantId)));
}

/** Replaces the tenant's settings and audits what changed, in one transaction. */
export function updateNotifySettings(ctx: Pick<ServiceContext, 'db' | 'tenantId' | 'actor' | 'requestId'>, input: NotifySettingsInput): Promise<NotifySettingsView> {
  const parsed = notifySettingsInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION', issue?.message ?? 'The settings are not valid.', { reason: 'NOTIFY_SETTINGS_INVALID', field: String(issue?.path[0] ?? '') });
  }
  const next: NotifySettings = {
    senderName: parsed.data.senderName,
    replyTo: parsed.data.replyTo,
    quietHours: parsed.data.quietHours ? `${parsed.data.quietHours.start}-${parsed.data.quietHours.end}` : null,
    smsEnabled: parsed.data.smsEnabled,
  };
  return withTenantTx(ctx, async (uow) => {
    const before = await readNotifySettings(uow.tx, ctx.tenantId);
    const changed = (Object.keys(next) as (keyof NotifySettings)[]).filter((key) => before[key] !== next[key]);
    if (changed.length > 0) {
      await setNotifySettings(uow.tx, ctx.tenantId, next);
      recordAudit(uow, {
        action: 'notify.settings.updated',
        target: { type: 'notify.settings', id: ctx.tenantId },
        data: { changed, before: Object.fromEntries(changed.map((key) => [key, before[key]])), after: Object.fromEntries(changed.map((key) => [key, next[key]])) },
      });
    }
    return toView(next);
  });
}
