import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import { defineEventHandler, type DomainEvent } from '../jobs/index.ts';
import { claimWebhook, markWebhookProcessed, WEBHOOK_RECEIVED } from '../webhooks/index.ts';
import { chargeColumns, reconcileProviderRefund, type Charge } from './ledger.service.ts';
import { paymentsCharge } from './ledger.table.ts';
import { transitionCharge } from './payment.service.ts';
import { ownsEvent, parseProviderEvent, type PaymentReport } from './provider-events.ts';
import { scopeTransactionTo, type UnitOfWork } from '../tenancy/index.ts';

type Routing = Pick<PaymentReport, 'providerPaymentId' | 'chargeId'>;

/** Thrown to have the job retried with back-off: the charge's own transaction has not committed yet. */
export class ChargeNotReady extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChargeNotReady';
  }
}

interface Route {
  tenantId: string;
  chargeId: string;
  byPaymentId: boolean;
}

/**
 * Which tenant's charge an event names, through the narrow SECURITY DEFINER lookup of migration
 * 0002_charge_routing (the handler runs as the platform tenant, and row-level security hides
 * every tenant's charges from it). A charge holding the event's payment id wins; else the one our
 * metadata names, which is only a candidate until its payment id is checked under its row lock.
 */
async function routeOf(tx: Tx, provider: string, report: Routing): Promise<Route | undefined> {
  const { rows } = await tx.execute<{ tenant_id: string; id: string; by_payment_id: boolean }>(
    sql`SELECT tenant_id, id, by_payment_id FROM payments_route_charge(${provider}, ${report.providerPaymentId}, ${report.chargeId ?? null}::uuid)`,
  );
  const [first] = rows;
  return first ? { tenantId: first.tenant_id, chargeId: first.id, byPaymentId: first.by_payment_id } : undefined;
}


async function lockChargeIn(tx: Tx, tenantId: string, chargeId: string): Promise<Charge | undefined> {
  const [charge] = await tx
    .select(chargeColumns)
    .from(paymentsCharge)
    .where(and(eq(paymentsCharge.tenantId, tenantId), eq(paymentsCharge.id, chargeId)))
    .for('update');
  return charge;
}

/**
 * Applies one stored provider event to its charge, exactly once however often and however
 * parallel it is delivered. All in the job's one transaction:
 * 1. claim the inbox row (row lock; a replay waits here and then finds it processed);
 * 2. find the charge's tenant and scope this transaction to it (the inbox has no tenant_id, so it
 *    is not under row-level security and stays reachable; from here on only that tenant's rows are);
 * 3. lock the charge FOR UPDATE — an API request still changing it makes us wait — and re-check
 *    its state after the lock: the payment id, amount and currency must be the event's;
 * 4. move it once (audit and outbox event with it) and mark the inbox row processed.
 * A charge not found, or found without its payment id yet, is an API request that has not
 * committed: throwing rolls everything back (the event stays unprocessed) and the job retries.
 */
export async function handleProviderEvent(uow: UnitOfWork, event: DomainEvent<typeof WEBHOOK_RECEIVED>): Promise<void> {
  const { inboxId, provider, eventType } = event.payload;
  if (!ownsEvent(provider, eventType)) return;
  const stored = await claimWebhook(uow.tx, inboxId);
  if (!stored) return;
  const log = uow.log.child({ inboxId, provider: stored.provider, providerEventId: stored.eventId, eventType: stored.eventType });
  const parsed = parseProviderEvent(stored.provider, stored.eventType, stored.payload);
  if (parsed.kind === 'none') {
    log.info({ why: parsed.why }, 'provider event needs no change');
    return markWebhookProcessed(uow.tx, inboxId);
  }
  const { report } = parsed;
  const route = await routeOf(uow.tx, stored.provider, report);
  if (!route) {
    // Without our reference it was not started by Plinth (e.g. taken in the provider's dashboard).
    if (!report.chargeId) {
      log.info({ providerPaymentId: report.providerPaymentId }, 'provider event for a payment Plinth did not start');
      return markWebhookProcessed(uow.tx, inboxId);
    }
    throw new ChargeNotReady(`charge ${report.chargeId} named by ${stored.provider} event ${stored.eventId} is not committed yet`);
  }

  const inTenant = { ...(await scopeTransactionTo(uow, route.tenantId)), log };
  const charge = await lockChargeIn(uow.tx, route.tenantId, route.chargeId);
  if (!charge) throw new ChargeNotReady(`charge ${route.chargeId} disappeared before its lock`);
  // Re-checked under the lock: what the routing saw may have changed while we waited.
  if (!charge.providerPaymentId) throw new ChargeNotReady(`charge ${charge.id} has no provider payment id yet`);
  const mismatch =
    charge.providerPaymentId !== report.providerPaymentId
      ? 'payment id'
      : charge.amountMinor !== report.amountMinor || charge.currency !== report.currency
        ? 'amount or currency'
        : undefined;
  if (mismatch) {
    // Metadata naming a charge whose recorded payment differs: never an effect (a forged or foreign reference).
    log.warn({ chargeId: charge.id, tenantId: route.tenantId, mismatch, providerPaymentId: report.providerPaymentId }, 'provider event does not match the charge it names; ignored');
  } else if (parsed.kind === 'refund') {
    const { refundedTotalMinor, providerRefundId } = parsed.report;
    const result = await reconcileProviderRefund(inTenant, charge, { refundedTotalMinor, providerRefundId, providerEventId: stored.eventId });
    if (result.kind === 'wait') throw new ChargeNotReady(`charge ${charge.id} has a refund of ours in flight; reconcile after it settles`);
    if (result.kind === 'not-refundable') log.warn({ chargeId: charge.id, status: charge.status }, 'refund reported for a charge that took no money; ignored');
  } else {
    const { outcome, failureMessage } = parsed.report;
    const result = await transitionCharge(inTenant, charge, outcome, { source: 'webhook', providerEventId: stored.eventId, ...(failureMessage ? { failureMessage } : {}) });
    if (result.kind === 'ignored') log.warn({ chargeId: charge.id, status: charge.status, outcome }, 'out-of-order provider event ignored');
  }
  await markWebhookProcessed(uow.tx, inboxId);
  // Back to the event's own tenant, for anything the job runtime does after the handler.
  await scopeTransactionTo(inTenant, uow.tenantId);
}

/** The payments module's handler of stored provider webhooks. */
export const providerEventsHandler = defineEventHandler({
  name: 'provider-events',
  events: [WEBHOOK_RECEIVED],
  handle: handleProviderEvent,
  // A webhook can outrun the API request that started its payment (the provider answers it first);
  // that request commits within seconds, so retry soon and often, about 20 minutes in all, before
  // the event goes to the dead letters.
  retry: { limit: 8, delaySeconds: 5, backoff: true },
});
