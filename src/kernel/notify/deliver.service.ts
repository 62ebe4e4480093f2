import type pg from 'pg';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import { tenantTimeZone, withTenantTx } from '../tenancy/index.ts';
import { endOfQuietHours, parseQuietHours } from '../time/index.ts';
import { notifyDelivery, type DeliveryStatus } from './delivery.table.ts';
import { notifyTemplates, renderEmail, renderSms, type TemplateRegistry } from './domain/templates.ts';
import { isOptedOut, optOut } from './opt-out.service.ts';
import { PermanentDeliveryError, RecipientOptedOutError, type NotifyProviders } from './providers/port.ts';
import { readNotifySettings, type NotifySettings } from './settings.service.ts';
import { signUnsubscribeToken } from './unsubscribe-token.ts';

type DeliveryRow = typeof notifyDelivery.$inferSelect;

export interface DeliverOptions {
  /** Sender of email (NOTIFY_FROM). */
  from: string;
  /** Default quiet hours `HH:MM-HH:MM`, when the tenant names none (their zone: the recipient's, else the business's). */
  quietHours: string;
  /** Builds unsubscribe links into email: the signing key and the server's public base URL. */
  unsubscribe?: { key: Buffer; baseUrl: string };
  templates?: TemplateRegistry;
  /** Most deliveries claimed per call, across tenants (default 50). */
  batchSize?: number;
  /** Attempts before a delivery fails for good (default 5). */
  maxAttempts?: number;
  /** Wait before the next attempt after `attempts` failures, in ms (default 30 s doubling, at most 1 h). */
  backoffMs?: (attempts: number) => number;
  /** How long a claimed delivery is held before another worker may try it (default 5 min). */
  leaseMs?: number;
  /** What a pass measures its own duration by, in ms (default Date.now); tests move it by hand. */
  wallClock?: () => number;
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

/** Where deliverDue works: the app pool (tenant transactions, row-level security) and the owner pool for the cross-tenant claim. */
export interface NotifyDatabases {
  db: Db;
  /** Logs in as the tables' owner, a member of plinth_notify_runner: the only role that may call notify_claim_due. */
  owner: pg.Pool;
}

interface Claim {
  tenantId: string;
  id: string;
  token: string;
}

/**
 * Claims up to `batchSize` due deliveries of every tenant at once (notify_claim_due: FOR UPDATE
 * SKIP LOCKED, marks them `sending` with a lease and a claim token). One statement, so one
 * short transaction of its own: nothing is held while messages are sent.
 */
export async function claimDue(owner: pg.Pool, now: Date, batchSize: number, leaseMs: number): Promise<Claim[]> {
  const { rows } = await owner.query<{ tenant_id: string; id: string; claim_token: string }>('SELECT tenant_id, id, claim_token FROM notify_claim_due($1, $2, $3)', [
    batchSize,
    now,
    leaseMs,
  ]);
  return rows.map((row) => ({ tenantId: row.tenant_id, id: row.id, token: row.claim_token }));
}

const claimed = (claim: Claim) => and(eq(notifyDelivery.tenantId, claim.tenantId), eq(notifyDelivery.id, claim.id), eq(notifyDelivery.claimToken, claim.token));

type Prepared = { kind: 'send'; row: DeliveryRow; settings: NotifySettings } | { kind: 'skipped' } | { kind: 'settled'; status: 'suppressed' | 'deferred' | 'failed' };

/**
 * In the delivery's tenant transaction: suppresses it when the recipient opted out or the tenant
 * switched SMS off, defers it out of quiet hours, fails it when crashed runners used up its
 * attempts, else counts the attempt (committed before sending, so a crash mid-send counts too).
 */
async function prepare(tx: Tx, claim: Claim, now: Date, options: DeliverOptions): Promise<Prepared> {
  const [row] = await tx.select().from(notifyDelivery).where(claimed(claim));
  // Another runner took it over after our lease ran out; or the lease ran out while earlier
  // messages of the batch were sent, and another runner may take it over at any moment: leave it.
  if (!row || (row.nextAttemptAt && row.nextAttemptAt <= now)) return { kind: 'skipped' };
  const settings = await readNotifySettings(tx, claim.tenantId);
  const settle = async (status: 'suppressed' | 'deferred' | 'failed', change: Partial<typeof notifyDelivery.$inferInsert>): Promise<Prepared> => {
    await tx
      .update(notifyDelivery)
      .set({ status, claimToken: null, ...change })
      .where(claimed(claim));
    return { kind: 'settled', status };
  };
  if (await isOptedOut(tx, claim.tenantId, row.channel, row.recipient)) {
    options.log?.info({ deliveryId: row.id, tenantId: row.tenantId, channel: row.channel }, 'notification suppressed: recipient opted out');
    return settle('suppressed', { nextAttemptAt: null, settledAt: now, error: 'The recipient opted out.' });
  }
  if (row.channel === 'sms' && !settings.smsEnabled) return settle('suppressed', { nextAttemptAt: null, settledAt: now, error: 'SMS is switched off for this tenant.' });
  if (row.quietHours) {
    const window = parseQuietHours(settings.quietHours ?? options.quietHours);
    const sendAt = endOfQuietHours(now, row.timeZone ?? (await tenantTimeZone(tx, claim.tenantId)), window);
    if (sendAt > now) return settle('deferred', { nextAttemptAt: sendAt });
  }
  const maxAttempts = options.maxAttempts ?? 5;
  if (row.attempts >= maxAttempts)
    return settle('failed', { nextAttemptAt: null, settledAt: now, error: `Gave up after ${row.attempts} attempts whose outcome was never recorded.` });
  const attempts = row.attempts + 1;
  // A full lease from now on for the send itself, however long the batch has taken so far.
  await tx
    .update(notifyDelivery)
    .set({ attempts, nextAttemptAt: new Date(now.getTime() + (options.leaseMs ?? 300_000)) })
    .where(claimed(claim));
  return { kind: 'send', row: { ...row, attempts }, settings };
}

/** `"Name" <address>`: the tenant's display name with NOTIFY_FROM's address (the domain the mail server may send for). */
export function senderAddress(from: string, senderName: string | null): string {
  if (!senderName) return from;
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return `"${senderName.replace(/["\\\r\n<>]/g, '')}" <${address}>`;
}

/** Renders a delivery and hands it to its channel's provider; answers the provider's message id. */
async function send(row: DeliveryRow, settings: NotifySettings, providers: NotifyProviders, options: DeliverOptions): Promise<string> {
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
  const from = senderAddress(options.from, settings.senderName);
  return (await providers.email.send({ deliveryId: row.id, from, to: row.recipient, ...message, headers, ...(settings.replyTo ? { replyTo: settings.replyTo } : {}) }))
    .providerMessageId;
}

/**
 * Records one attempt's outcome in the tenant's transaction, only while the claim is still ours.
 * A provider saying the recipient opted out (Twilio 21610) also records the opt-out, audited.
 */
async function settle(db: Db, claim: Claim, row: DeliveryRow, now: Date, options: DeliverOptions, outcome: { id: string } | { error: unknown }): Promise<DeliveryStatus | undefined> {
  let change: Partial<typeof notifyDelivery.$inferInsert>;
  const optedOut = 'error' in outcome && outcome.error instanceof RecipientOptedOutError;
  if ('id' in outcome) change = { status: 'sent', providerMessageId: outcome.id, error: null, nextAttemptAt: null, settledAt: new Date() };
  else {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const final = outcome.error instanceof PermanentDeliveryError || row.attempts >= (options.maxAttempts ?? 5);
    if (optedOut) change = { status: 'suppressed', error: message.slice(0, 1000), nextAttemptAt: null, settledAt: new Date() };
    else
      change = final
        ? { status: 'failed', error: message.slice(0, 1000), nextAttemptAt: null, settledAt: new Date() }
        : { status: 'queued', error: message.slice(0, 1000), nextAttemptAt: new Date(now.getTime() + (options.backoffMs ?? defaultBackoffMs)(row.attempts)) };
    options.log?.warn({ deliveryId: row.id, tenantId: row.tenantId, attempts: row.attempts, final, err: message }, 'notification attempt failed');
  }
  // The opt-out below is the runner's, for this delivery.
  const scope = { tenantId: row.tenantId, actor: { kind: 'system' as const, process: 'notify.runner' }, requestId: `delivery:${row.id}` };
  return withTenantTx({ db, ...scope }, async (uow) => {
    const updated = await uow.tx
      .update(notifyDelivery)
      .set({ ...change, claimToken: null })
      .where(claimed(claim))
      .returning({ id: notifyDelivery.id });
    if (updated.length === 0) return undefined;
    if (optedOut) await optOut(uow, row.channel, row.recipient, 'provider-opted-out');
    return change.status as DeliveryStatus;
  });
}

/**
 * Sends what is due at `now` across all tenants: claims a batch of due deliveries at once
 * (notify_claim_due on the owner pool, FOR UPDATE SKIP LOCKED, so runners never take the same
 * row), then handles each in its tenant's transactions: suppressed when opted out or SMS is off,
 * deferred out of quiet hours, else sent through its provider and the outcome recorded: sent,
 * retried with back-off, or failed after `maxAttempts`. At-least-once: a runner dying mid-send
 * leaves the delivery `sending` until its lease runs out; the next claim takes it over.
 */
export async function deliverDue(databases: NotifyDatabases, providers: NotifyProviders, now: Date, options: DeliverOptions): Promise<DeliverReport> {
  const { db } = databases;
  const report: DeliverReport = { sent: 0, retrying: 0, failed: 0, suppressed: 0, deferred: 0 };
  const claims = await claimDue(databases.owner, now, options.batchSize ?? 50, options.leaseMs ?? 300_000);
  // `now` moved on by the time this pass has taken, for the leases (`now` may be simulated in tests).
  const wallClock = options.wallClock ?? Date.now;
  const started = wallClock();
  const clock = () => new Date(now.getTime() + (wallClock() - started));
  for (const claim of claims) {
    // One delivery's bad row or tenant settings must not stop everyone else's mail: its claim
    // simply runs out and it is tried again.
    const prepared = await withTenantTx({ db, tenantId: claim.tenantId }, (uow) => prepare(uow.tx, claim, clock(), options)).catch((error: unknown) => {
      options.log?.error({ err: error, tenantId: claim.tenantId, deliveryId: claim.id }, 'could not prepare a notification');
      return { kind: 'skipped' } as const;
    });
    if (prepared.kind === 'skipped') continue;
    if (prepared.kind === 'settled') {
      report[prepared.status]++;
      continue;
    }
    const outcome = await send(prepared.row, prepared.settings, providers, options).then(
      (id) => ({ id }),
      (error: unknown) => ({ error }),
    );
    const status = await settle(db, claim, prepared.row, now, options, outcome);
    if (status === 'sent') report.sent++;
    else if (status === 'failed') report.failed++;
    else if (status === 'suppressed') report.suppressed++;
    else if (status === 'queued') report.retrying++;
  }
  return report;
}
