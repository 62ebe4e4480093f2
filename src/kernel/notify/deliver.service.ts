import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import { tenantTable, withTenantTx } from '../tenancy/index.ts';
import { notifyDelivery, notifySettings, type DeliveryStatus } from './delivery.table.ts';
import { endOfQuietHours, parseQuietHours } from './domain/quiet-hours.ts';
import { notifyTemplates, renderEmail, renderSms, type TemplateRegistry } from './domain/templates.ts';
import { isOptedOut } from './opt-out.service.ts';
import { PermanentDeliveryError, type NotifyProviders } from './providers/port.ts';
import { signUnsubscribeToken } from './unsubscribe-token.ts';

type DeliveryRow = typeof notifyDelivery.$inferSelect;

export interface DeliverOptions {
  /** Sender of email (NOTIFY_FROM). */
  from: string;
  /** Default quiet hours `HH:MM-HH:MM` and time zone, when neither the delivery nor the tenant names one. */
  quietHours: string;
  timeZone: string;
  /** Builds unsubscribe links into email: the signing key and the server's public base URL. */
  unsubscribe?: { key: Buffer; baseUrl: string };
  templates?: TemplateRegistry;
  /** Most deliveries claimed per tenant per call (default 50). */
  batchSize?: number;
  /** Attempts before a delivery fails for good (default 5). */
  maxAttempts?: number;
  /** Wait before the next attempt after `attempts` failures, in ms (default 30 s doubling, at most 1 h). */
  backoffMs?: (attempts: number) => number;
  /** How long a claimed delivery is held before another worker may try it (default 5 min). */
  leaseMs?: number;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface DeliverReport {
  sent: number;
  retrying: number;
  failed: number;
  suppressed: number;
  deferred: number;
}

export const defaultBackoffMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/** Claimed in one tenant transaction: opted-out recipients suppressed, quiet hours deferred, the rest leased for sending. */
async function claim(tx: Tx, tenantId: string, now: Date, options: DeliverOptions, report: DeliverReport): Promise<DeliveryRow[]> {
  const due = await tx
    .select()
    .from(notifyDelivery)
    .where(and(eq(notifyDelivery.tenantId, tenantId), inArray(notifyDelivery.status, ['queued', 'deferred']), lte(notifyDelivery.nextAttemptAt, now)))
    .orderBy(asc(notifyDelivery.nextAttemptAt))
    .limit(options.batchSize ?? 50)
    .for('update', { skipLocked: true });
  if (due.length === 0) return [];
  const [settings] = await tx.select().from(notifySettings).where(eq(notifySettings.tenantId, tenantId));
  const window = parseQuietHours(settings?.quietHours ?? options.quietHours);
  const leased: DeliveryRow[] = [];
  for (const row of due) {
    const where = and(eq(notifyDelivery.tenantId, tenantId), eq(notifyDelivery.id, row.id));
    if (await isOptedOut(tx, tenantId, row.channel, row.recipient)) {
      await tx.update(notifyDelivery).set({ status: 'suppressed', nextAttemptAt: null, settledAt: now, error: 'The recipient opted out.' }).where(where);
      options.log?.info({ deliveryId: row.id, tenantId, channel: row.channel }, 'notification suppressed: recipient opted out');
      report.suppressed++;
      continue;
    }
    const sendAt = row.quietHours ? endOfQuietHours(now, row.timeZone ?? settings?.timeZone ?? options.timeZone, window) : now;
    if (sendAt > now) {
      await tx.update(notifyDelivery).set({ status: 'deferred', nextAttemptAt: sendAt }).where(where);
      report.deferred++;
      continue;
    }
    const attempts = row.attempts + 1;
    await tx
      .update(notifyDelivery)
      .set({ status: 'queued', attempts, nextAttemptAt: new Date(now.getTime() + (options.leaseMs ?? 300_000)) })
      .where(where);
    leased.push({ ...row, attempts });
  }
  return leased;
}

/** Renders a delivery and hands it to its channel's provider; answers the provider's message id. */
async function send(row: DeliveryRow, providers: NotifyProviders, options: DeliverOptions): Promise<string> {
  const template = (options.templates ?? notifyTemplates).get(row.template);
  if (!template) throw new PermanentDeliveryError(`Unknown template ${row.template}.`);
  const data = template.data.safeParse(row.data);
  if (!data.success) throw new PermanentDeliveryError(`The data no longer fits template ${row.template}.`);
  if (row.channel === 'sms') {
    const { text } = renderSms(template, data.data, {});
    return (await providers.sms.send({ deliveryId: row.id, to: row.recipient, text })).providerMessageId;
  }
  const headers: Record<string, string> = {};
  let unsubscribeUrl: string | undefined;
  if (options.unsubscribe) {
    const token = signUnsubscribeToken(options.unsubscribe.key, { tenantId: row.tenantId, channel: 'email', recipient: row.recipient });
    unsubscribeUrl = new URL(`/notify/unsubscribe?token=${encodeURIComponent(token)}`, options.unsubscribe.baseUrl).toString();
    // Mailbox providers show these as their own unsubscribe button: RFC 8058 one-click posts
    // `List-Unsubscribe=One-Click` to the link (its signed token is the credential); people
    // opening the link get the confirm page, so a mail scanner's GET unsubscribes nobody.
    headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const message = renderEmail(template, data.data, unsubscribeUrl ? { unsubscribeUrl } : {});
  return (await providers.email.send({ deliveryId: row.id, from: options.from, to: row.recipient, ...message, headers })).providerMessageId;
}

/** Records one attempt's outcome; only while the lease is still ours (same attempt count). */
async function settle(db: Db, row: DeliveryRow, now: Date, options: DeliverOptions, outcome: { id: string } | { error: unknown }): Promise<DeliveryStatus> {
  let change: Partial<typeof notifyDelivery.$inferInsert>;
  if ('id' in outcome) change = { status: 'sent', providerMessageId: outcome.id, error: null, nextAttemptAt: null, settledAt: new Date() };
  else {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const final = outcome.error instanceof PermanentDeliveryError || row.attempts >= (options.maxAttempts ?? 5);
    change = final
      ? { status: 'failed', error: message.slice(0, 1000), nextAttemptAt: null, settledAt: new Date() }
      : { status: 'queued', error: message.slice(0, 1000), nextAttemptAt: new Date(now.getTime() + (options.backoffMs ?? defaultBackoffMs)(row.attempts)) };
    options.log?.warn({ deliveryId: row.id, tenantId: row.tenantId, attempts: row.attempts, final, err: message }, 'notification attempt failed');
  }
  await withTenantTx({ db, tenantId: row.tenantId }, (tx) =>
    tx
      .update(notifyDelivery)
      .set(change)
      .where(and(eq(notifyDelivery.tenantId, row.tenantId), eq(notifyDelivery.id, row.id), eq(notifyDelivery.attempts, row.attempts))),
  );
  return change.status as DeliveryStatus;
}

/**
 * Sends what is due at `now`, tenant by tenant: claims due deliveries (FOR UPDATE SKIP LOCKED, so
 * workers never take the same row), suppresses those to opted-out recipients, defers those in
 * quiet hours to the window's end, sends the rest through the providers and records each outcome:
 * sent, retried with back-off, or failed after `maxAttempts`. At-least-once: a worker dying
 * mid-send leaves the delivery to be retried when its lease runs out. Driven by a runner now,
 * by the job system later.
 */
export async function deliverDue(db: Db, providers: NotifyProviders, now: Date, options: DeliverOptions): Promise<DeliverReport> {
  const report: DeliverReport = { sent: 0, retrying: 0, failed: 0, suppressed: 0, deferred: 0 };
  const tenants = await db.select({ id: tenantTable.id }).from(tenantTable);
  for (const { id: tenantId } of tenants) {
    // One tenant's bad settings must not stop everyone else's mail.
    const leased = await withTenantTx({ db, tenantId }, (tx) => claim(tx, tenantId, now, options, report)).catch((error: unknown) => {
      options.log?.error({ err: error, tenantId }, 'could not claim due notifications');
      return [];
    });
    for (const row of leased) {
      const outcome = await send(row, providers, options).then(
        (id) => ({ id }),
        (error: unknown) => ({ error }),
      );
      const status = await settle(db, row, now, options, outcome);
      if (status === 'sent') report.sent++;
      else if (status === 'failed') report.failed++;
      else report.retrying++;
    }
  }
  return report;
}
