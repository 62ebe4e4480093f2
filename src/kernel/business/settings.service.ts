import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { setTenantTimeZone, tenantTimeZone, withTenantTx } from '../tenancy/index.ts';
import { timeZoneName } from '../time/index.ts';

/** The business's own settings; the time zone its clocks show (report days, quiet hours, every time on its pages). */
export const businessSettingsInput = z.strictObject({ timeZone: timeZoneName });
export type BusinessSettingsInput = z.input<typeof businessSettingsInput>;

export const businessSettingsView = z.object({ timeZone: z.string() });
export type BusinessSettings = z.infer<typeof businessSettingsView>;

export function getBusinessSettings(ctx: Pick<ServiceContext, 'db' | 'tenantId'>): Promise<BusinessSettings> {
  return withTenantTx(ctx, async (uow) => ({ timeZone: await tenantTimeZone(uow.tx, ctx.tenantId) }));
}

/** Moves the business's clocks to another zone and audits the change, in one transaction; the same zone again changes nothing. */
export function updateBusinessSettings(ctx: Pick<ServiceContext, 'db' | 'tenantId' | 'actor' | 'requestId'>, input: BusinessSettingsInput): Promise<BusinessSettings> {
  const parsed = businessSettingsInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION', issue?.message ?? 'The settings are not valid.', { reason: 'BUSINESS_SETTINGS_INVALID', field: String(issue?.path[0] ?? '') });
  }
  const { timeZone } = parsed.data;
  return withTenantTx(ctx, async (uow) => {
    const before = await tenantTimeZone(uow.tx, ctx.tenantId);
    if (before !== timeZone) {
      await setTenantTimeZone(uow.tx, ctx.tenantId, timeZone);
      recordAudit(uow, { action: 'business.settings.updated', target: { type: 'tenancy.tenant', id: ctx.tenantId }, data: { changed: ['timeZone'], before: { timeZone: before }, after: { timeZone } } });
    }
    return { timeZone };
  });
}
