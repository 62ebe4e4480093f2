import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { paymentsCharge, paymentsRefund, type ChargeStatus, type RefundStatus } from './ledger.table.ts';
import { PaymentsError, type PaymentsProvider } from './port.ts';

export interface Charge {
  id: string;
  provider: string;
  /** Null only while a started payment waits for the provider's answer. */
  providerPaymentId: string | null;
  status: ChargeStatus;
  operationKey: string | null;
  amountMinor: number;
  currency: string;
  refundedMinor: number;
}

/** Money already taken (the provider confirmed it), recorded as a succeeded charge. */
export interface RecordChargeInput {
  provider: string;
  providerPaymentId: string;
  amountMinor: number;
  currency: string;
}

export interface LedgerRefund {
  id: string;
  chargeId: string;
  operationKey: string;
  amountMinor: number;
  status: RefundStatus;
  providerRefundId: string | null;
}

export const paymentErrors = {
  chargeNotFound: () => new AppError('NOT_FOUND', 'Payment was not found.', { reason: 'PAYMENTS_CHARGE_NOT_FOUND' }),
  notRefundable: (status: ChargeStatus) =>
    new AppError('CONFLICT', `Only a succeeded payment can be refunded; this one is ${status}.`, { reason: 'PAYMENTS_CHARGE_NOT_REFUNDABLE', status }),
  exceedsCapture: (refundableMinor: number) =>
    new AppError('CONFLICT', `That is more than can still be refunded (${refundableMinor} in minor units).`, { reason: 'REFUND_EXCEEDS_CAPTURE', refundableMinor }),
  keyReused: () => new AppError('CONFLICT', 'This refund was already asked for with another amount.', { reason: 'REFUND_KEY_REUSED' }),
  refused: (message: string) => new AppError('CONFLICT', `The payment provider refused the refund: ${message}`, { reason: 'PROVIDER_REFUSED' }),
  unavailable: () =>
    new AppError('CONFLICT', 'The payment provider did not answer; try the same refund again (it will not be paid twice).', { reason: 'PROVIDER_UNAVAILABLE' }),
};

export const chargeColumns = {
  id: paymentsCharge.id,
  provider: paymentsCharge.provider,
  providerPaymentId: paymentsCharge.providerPaymentId,
  status: paymentsCharge.status,
  operationKey: paymentsCharge.operationKey,
  amountMinor: paymentsCharge.amountMinor,
  currency: paymentsCharge.currency,
  refundedMinor: paymentsCharge.refundedMinor,
};
const refundColumns = {
  id: paymentsRefund.id,
  chargeId: paymentsRefund.chargeId,
  operationKey: paymentsRefund.operationKey,
  amountMinor: paymentsRefund.amountMinor,
  status: paymentsRefund.status,
  providerRefundId: paymentsRefund.providerRefundId,
};
export const chargeTarget = (id: string) => ({ type: 'payments.charge', id });

/** Records money taken (after the provider confirmed it), so it can later be refunded safely. */
export function recordCharge(ctx: ServiceContext, input: RecordChargeInput): Promise<Charge> {
  return withTenantTx(ctx, async (uow) => {
    const [charge] = await uow.tx.insert(paymentsCharge).values({ ...input, status: 'succeeded', tenantId: ctx.tenantId }).returning(chargeColumns);
    if (!charge) throw new Error('insert into payments_charge returned no row');
    recordAudit(uow, { action: 'payments.charge.recorded', target: chargeTarget(charge.id), data: { ...input } });
    return charge;
  });
}

/** The charge under its row lock (held until commit): every change of a charge starts here. */
export async function lockCharge(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, chargeId: string): Promise<Charge> {
  const [charge] = await uow.tx
    .select(chargeColumns)
    .from(paymentsCharge)
    .where(and(eq(paymentsCharge.tenantId, uow.tenantId), eq(paymentsCharge.id, chargeId)))
    .for('update');
  if (!charge) throw paymentErrors.chargeNotFound();
  return charge;
}

const moveRefunded = (uow: UnitOfWork, chargeId: string, deltaMinor: number) =>
  uow.tx
    .update(paymentsCharge)
    .set({ refundedMinor: sql`${paymentsCharge.refundedMinor} + ${deltaMinor}` })
    .where(and(eq(paymentsCharge.tenantId, uow.tenantId), eq(paymentsCharge.id, chargeId)));

/**
 * Reserves the amount under the charge's row lock: parallel refunds of one charge queue here, so
 * their sum can never pass what was captured. The same operation key finds its earlier refund.
 */
function reserve(ctx: ServiceContext, input: { chargeId: string; amountMinor: number; operationKey: string }) {
  return withTenantTx(ctx, async (uow) => {
    const charge = await lockCharge(uow, input.chargeId);
    // Pending, failed or canceled charges took no money (yet): nothing to give back.
    if (charge.status !== 'succeeded') throw paymentErrors.notRefundable(charge.status);
    const [earlier] = await uow.tx
      .select(refundColumns)
      .from(paymentsRefund)
      .where(and(eq(paymentsRefund.tenantId, ctx.tenantId), eq(paymentsRefund.chargeId, charge.id), eq(paymentsRefund.operationKey, input.operationKey)));
    if (earlier && earlier.amountMinor !== input.amountMinor) throw paymentErrors.keyReused();
    if (earlier && earlier.status !== 'failed') return { charge, refund: earlier };
    const refundable = charge.amountMinor - charge.refundedMinor;
    if (input.amountMinor > refundable) throw paymentErrors.exceedsCapture(refundable);
    await moveRefunded(uow, charge.id, input.amountMinor);
    const [refund] = earlier
      ? await uow.tx.update(paymentsRefund).set({ status: 'pending', error: null, updatedAt: sql`now()` }).where(eq(paymentsRefund.id, earlier.id)).returning(refundColumns)
      : await uow.tx.insert(paymentsRefund).values({ tenantId: ctx.tenantId, chargeId: charge.id, operationKey: input.operationKey, amountMinor: input.amountMinor }).returning(refundColumns);
    if (!refund) throw new Error('refund reservation returned no row');
    recordAudit(uow, { action: 'payments.refund.requested', target: chargeTarget(charge.id), data: { refundId: refund.id, amountMinor: input.amountMinor, operationKey: input.operationKey } });
    return { charge, refund };
  });
}

function settle(ctx: ServiceContext, refund: LedgerRefund, outcome: { providerRefundId: string } | { error: string }) {
  return withTenantTx(ctx, async (uow) => {
    await lockCharge(uow, refund.chargeId);
    const succeeded = 'providerRefundId' in outcome;
    const [settled] = await uow.tx
      .update(paymentsRefund)
      .set(succeeded ? { status: 'succeeded', providerRefundId: outcome.providerRefundId, updatedAt: sql`now()` } : { status: 'failed', error: outcome.error, updatedAt: sql`now()` })
      .where(and(eq(paymentsRefund.tenantId, ctx.tenantId), eq(paymentsRefund.id, refund.id), eq(paymentsRefund.status, 'pending')))
      .returning(refundColumns);
    // Another request settled it first (the same operation retried in parallel): nothing more to do.
    if (!settled) return;
    if (!succeeded) await moveRefunded(uow, refund.chargeId, -refund.amountMinor);
    recordAudit(uow, {
      action: succeeded ? 'payments.refund.succeeded' : 'payments.refund.failed',
      target: chargeTarget(refund.chargeId),
      data: { refundId: refund.id, amountMinor: refund.amountMinor, ...outcome },
    });
  });
}

/**
 * Refunds part or all of a charge exactly once per business operation (`operationKey`, e.g.
 * `return:<ticket id>`): reserved under a row lock, sent with an idempotency key derived from
 * charge and operation (never random), settled afterwards. The provider call is outside any
 * transaction; if it does not answer, the reservation stays and the same call can be repeated.
 */
export async function refundCharge(
  ctx: ServiceContext,
  provider: PaymentsProvider,
  input: { chargeId: string; amountMinor: number; operationKey: string; reason?: string },
): Promise<LedgerRefund> {
  const { charge, refund } = await reserve(ctx, input);
  if (refund.status === 'succeeded') return refund;
  // A succeeded charge always has it (check constraint payments_charge_succeeded_has_payment).
  if (!charge.providerPaymentId) throw new Error(`succeeded charge ${charge.id} has no provider payment id`);
  try {
    const done = await provider.refund({
      paymentId: charge.providerPaymentId,
      amountMinor: input.amountMinor,
      currency: charge.currency,
      idempotencyKey: `refund:${charge.id}:${input.operationKey}`,
      ...(input.reason ? { reason: input.reason } : {}),
    });
    await settle(ctx, refund, { providerRefundId: done.id });
    return { ...refund, status: 'succeeded', providerRefundId: done.id };
  } catch (error) {
    if (!(error instanceof PaymentsError)) throw error;
    if (error.retryable) throw paymentErrors.unavailable();
    await settle(ctx, refund, { error: error.message });
    throw paymentErrors.refused(error.message);
  }
}

/**
 * Records refunds made at the provider itself (its dashboard), in the caller's transaction under
 * the charge's row lock: whatever the provider's running total refunded exceeds the ledger's
 * becomes one succeeded refund row, keyed by the provider's refund id (else its event), capped at
 * what was captured, audited. The running total makes it idempotent and order-proof: a replay, or
 * an older event after a newer one, finds nothing missing. A refund of ours still in flight may
 * be the one reported: `wait` until it settles.
 */
export async function reconcileProviderRefund(
  uow: UnitOfWork,
  charge: Charge,
  report: { refundedTotalMinor: number; providerRefundId: string | undefined; providerEventId: string },
): Promise<{ kind: 'recorded'; refund: LedgerRefund } | { kind: 'nothing' | 'wait' | 'not-refundable' }> {
  if (charge.status !== 'succeeded') return { kind: 'not-refundable' };
  const ofCharge = and(eq(paymentsRefund.tenantId, uow.tenantId), eq(paymentsRefund.chargeId, charge.id));
  const known = await uow.tx.select(refundColumns).from(paymentsRefund).where(ofCharge);
  if (report.providerRefundId && known.some((refund) => refund.providerRefundId === report.providerRefundId)) return { kind: 'nothing' };
  const missing = Math.min(report.refundedTotalMinor, charge.amountMinor) - charge.refundedMinor;
  if (missing <= 0) return { kind: 'nothing' };
  if (known.some((refund) => refund.status === 'pending')) return { kind: 'wait' };
  const operationKey = `provider:${report.providerRefundId ?? report.providerEventId}`;
  const [refund] = await uow.tx
    .insert(paymentsRefund)
    .values({ tenantId: uow.tenantId, chargeId: charge.id, operationKey, amountMinor: missing, status: 'succeeded', providerRefundId: report.providerRefundId ?? null })
    .onConflictDoNothing()
    .returning(refundColumns);
  if (!refund) return { kind: 'nothing' };
  await moveRefunded(uow, charge.id, missing);
  recordAudit(uow, {
    action: 'payments.refund.reconciled',
    target: chargeTarget(charge.id),
    data: { refundId: refund.id, amountMinor: missing, providerRefundId: report.providerRefundId ?? null, providerEventId: report.providerEventId, refundedTotalMinor: report.refundedTotalMinor },
  });
  return { kind: 'recorded', refund };
}
