import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import type { Db, Tx } from '../db/index.ts';
import { tenantTable, withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { notifyOptOut, type Channel } from './delivery.table.ts';
import { normalizeRecipient, smsKeyword } from './domain/keywords.ts';

type ConsentContext = Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>;

const recipientKey = (channel: Channel, to: string) => and(eq(notifyOptOut.channel, channel), eq(notifyOptOut.recipient, normalizeRecipient(channel, to)));

/** Consent changes are audited (who asked, how, when) in the same transaction as the change. */
const auditConsent = (uow: UnitOfWork<ConsentContext>, action: 'notify.opt_out.recorded' | 'notify.opt_out.lifted', channel: Channel, to: string, source: string) =>
  recordAudit(uow, { action, target: { type: 'notify.recipient', id: `${channel}:${normalizeRecipient(channel, to)}` }, data: { channel, source } });

/** Records that the recipient wants nothing more on this channel from this tenant; answers false when already recorded. */
export async function optOut(uow: UnitOfWork<ConsentContext>, channel: Channel, to: string, source: string): Promise<boolean> {
  const inserted = await uow.tx
    .insert(notifyOptOut)
    .values({ tenantId: uow.tenantId, channel, recipient: normalizeRecipient(channel, to), source })
    .onConflictDoNothing()
    .returning({ recipient: notifyOptOut.recipient });
  if (inserted.length > 0) await auditConsent(uow, 'notify.opt_out.recorded', channel, to, source);
  return inserted.length > 0;
}

/** Lifts an opt-out (SMS START / UNSTOP); answers false when there was none. */
export async function optIn(uow: UnitOfWork<ConsentContext>, channel: Channel, to: string, source: string): Promise<boolean> {
  const deleted = await uow.tx
    .delete(notifyOptOut)
    .where(and(eq(notifyOptOut.tenantId, uow.tenantId), recipientKey(channel, to)))
    .returning({ recipient: notifyOptOut.recipient });
  if (deleted.length > 0) await auditConsent(uow, 'notify.opt_out.lifted', channel, to, source);
  return deleted.length > 0;
}

export async function isOptedOut(tx: Tx, tenantId: string, channel: Channel, to: string): Promise<boolean> {
  const rows = await tx
    .select({ recipient: notifyOptOut.recipient })
    .from(notifyOptOut)
    .where(and(eq(notifyOptOut.tenantId, tenantId), recipientKey(channel, to)));
  return rows.length > 0;
}

export type InboundSmsResult = 'opted-out' | 'opted-in' | 'ignored';

/**
 * An SMS the tenant's number received (from a provider's webhook, once verified): STOP, STOPALL,
 * UNSUBSCRIBE, CANCEL, END or QUIT opt the sender out of this tenant's SMS at once; START or
 * UNSTOP opt back in. Anything else is not ours to act on.
 */
export async function handleInboundSms(db: Db, tenantId: string, from: string, body: string): Promise<InboundSmsResult> {
  const keyword = smsKeyword(body);
  if (keyword.kind === 'other') return 'ignored';
  const ctx: ConsentContext = { tenantId, actor: { kind: 'system', process: 'notify.inbound-sms' }, requestId: `inbound-sms:${randomUUID()}` };
  const source = `sms:${keyword.keyword}`;
  await withTenantTx({ db, ...ctx }, (uow) => (keyword.kind === 'stop' ? optOut(uow, 'sms', from, source) : optIn(uow, 'sms', from, source)));
  return keyword.kind === 'stop' ? 'opted-out' : 'opted-in';
}

/**
 * An SMS to the platform-wide sending number (one Twilio account serves every tenant, see
 * .env.example): carriers and recipients read STOP as addressed to the number, not to one business
 * behind it, so STOP opts the sender out of SMS from every tenant and START lifts it everywhere.
 * One transaction per tenant (each consent change audited in that tenant's own audit trail), so
 * a message repeated after a partial failure just finishes the job. Answers what was done and
 * in how many tenants the consent changed.
 */
export async function handlePlatformInboundSms(db: Db, from: string, body: string): Promise<{ result: InboundSmsResult; changed: number }> {
  const keyword = smsKeyword(body);
  if (keyword.kind === 'other') return { result: 'ignored', changed: 0 };
  const source = `sms:${keyword.keyword}`;
  const requestId = `inbound-sms:${randomUUID()}`;
  const tenants = await db.select({ id: tenantTable.id }).from(tenantTable);
  let changed = 0;
  for (const { id: tenantId } of tenants) {
    const ctx: ConsentContext = { tenantId, actor: { kind: 'system', process: 'notify.inbound-sms' }, requestId };
    const done = await withTenantTx({ db, ...ctx }, (uow) => (keyword.kind === 'stop' ? optOut(uow, 'sms', from, source) : optIn(uow, 'sms', from, source)));
    if (done) changed++;
  }
  return { result: keyword.kind === 'stop' ? 'opted-out' : 'opted-in', changed };
}
