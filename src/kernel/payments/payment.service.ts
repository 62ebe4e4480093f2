import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { emit, type EventType } from '../jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { chargeColumns, chargeTarget, lockCharge, type Charge } from './ledger.service.ts';
import { paymentsCharge, type ChargeStatus } from './ledger.table.ts';
import { PaymentsError, type PaymentIntent, type PaymentsProvider } from './port.ts';

export interface StartPaymentInput {
  amountMinor: number;
  /** ISO 4217, e.g. EUR. */
  currency: string;
  /** The business operation taking the money (e.g. `sale:<ticket id>`): unique per tenant; the same one again finds this payment. */
  operationKey: string;
  description?: string;
  customerId?: string;
  /** Square: the card token (or CASH / EXTERNAL). */
  sourceId?: string;
}

export interface StartedPayment extends Charge {
  /** Stripe: for the browser to confirm the payment. */
  clientSecret?: string;
}

/** The terminal states a provider (its answer or its webhook) can move a charge to. */
export type ChargeOutcome = Exclude<ChargeStatus, 'pending'>;

export const paymentStartErrors = {
  invalid: (message: string) => new AppError('VALIDATION', message, { reason: 'PAYMENTS_INVALID_AMOUNT' }),
  keyReused: () => new AppError('CONFLICT', 'This payment was already started with another amount, currency or provider.', { reason: 'PAYMENTS_OPERATION_KEY_REUSED' }),
  refused: (message: string) => new AppError('CONFLICT', `The payment provider refused the payment: ${message}`, { reason: 'PROVIDER_REFUSED' }),
  unavailable: () =>
    new AppError('CONFLICT', 'The payment provider did not answer; start the same payment again (it will not be charged twice).', { reason: 'PROVIDER_UNAVAILABLE' }),
};

/** The outbox event each outcome emits, for modules (billing, POS) to react to. */
const OUTCOME_EVENT = {
  succeeded: 'payments.charge.succeeded',
  failed: 'payments.charge.failed',
  canceled: 'payments.charge.canceled',
} as const satisfies Record<ChargeOutcome, EventType>;

/**
 * Which moves are real. Pending goes anywhere; a failed Stripe payment can still succeed (the
 * customer retries with another card) or be canceled. Succeeded and canceled are final here
 * (refunds are their own records): a late `failed` after `succeeded` is an out-of-order event.
 */
const ALLOWED: Record<ChargeStatus, readonly ChargeOutcome[]> = {
  pending: ['succeeded', 'failed', 'canceled'],
  failed: ['succeeded', 'canceled'],
  succeeded: [],
  canceled: [],
};

export type TransitionResult = { kind: 'applied'; charge: Charge } | { kind: 'unchanged'; charge: Charge } | { kind: 'ignored'; charge: Charge };

/**
 * Moves a charge the caller holds the row lock of (lockCharge) to an outcome, once: the same
 * outcome again is `unchanged`, a move the lifecycle does not allow is `ignored` (the caller logs
 * it). An applied move is audited and emitted in the caller's transaction.
 */
export async function transitionCharge(
  uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>,
  charge: Charge,
  next: ChargeOutcome,
  detail: { source: 'provider-answer' | 'webhook'; failureMessage?: string | undefined; providerEventId?: string },
): Promise<TransitionResult> {
  if (charge.status === next) return { kind: 'unchanged', charge };
  if (!ALLOWED[charge.status].includes(next)) return { kind: 'ignored', charge };
  const [moved] = await uow.tx
    .update(paymentsCharge)
    .set({ status: next, failureMessage: next === 'succeeded' ? null : (detail.failureMessage ?? null), updatedAt: sql`now()` })
    .where(and(eq(paymentsCharge.tenantId, uow.tenantId), eq(paymentsCharge.id, charge.id)))
    .returning(chargeColumns);
  if (!moved) throw new Error(`charge ${charge.id} vanished under its row lock`);
  const facts = {
    chargeId: moved.id,
    operationKey: moved.operationKey,
    provider: moved.provider,
    providerPaymentId: moved.providerPaymentId,
    amountMinor: moved.amountMinor,
    currency: moved.currency,
    ...(detail.failureMessage && next !== 'succeeded' ? { failureMessage: detail.failureMessage } : {}),
  };
  recordAudit(uow, {
    action: OUTCOME_EVENT[next],
    target: chargeTarget(moved.id),
    data: { ...facts, from: charge.status, source: detail.source, ...(detail.providerEventId ? { providerEventId: detail.providerEventId } : {}) },
  });
  emit(uow, { type: OUTCOME_EVENT[next], payload: facts });
  return { kind: 'applied', charge: moved };
}

const outcomeOf = (status: PaymentIntent['status']): ChargeOutcome | undefined =>
  status === 'succeeded' || status === 'failed' || status === 'canceled' ? status : undefined;

/** Inserts the pending charge (our id exists before the provider is asked), or finds the one this operation started. */
function openCharge(ctx: ServiceContext, providerId: string, input: StartPaymentInput & { currency: string }): Promise<Charge> {
  return withTenantTx(ctx, async (uow) => {
    const [inserted] = await uow.tx
      .insert(paymentsCharge)
      .values({
        tenantId: ctx.tenantId,
        provider: providerId,
        status: 'pending',
        operationKey: input.operationKey,
        amountMinor: input.amountMinor,
        currency: input.currency,
        description: input.description ?? null,
      })
      // A parallel start of the same operation waits on this insert, then finds the row below.
      .onConflictDoNothing({ target: [paymentsCharge.tenantId, paymentsCharge.operationKey] })
      .returning(chargeColumns);
    if (inserted) {
      recordAudit(uow, {
        action: 'payments.charge.started',
        target: chargeTarget(inserted.id),
        data: { provider: providerId, operationKey: input.operationKey, amountMinor: input.amountMinor, currency: input.currency },
      });
      return inserted;
    }
    const [existing] = await uow.tx
      .select(chargeColumns)
      .from(paymentsCharge)
      .where(and(eq(paymentsCharge.tenantId, ctx.tenantId), eq(paymentsCharge.operationKey, input.operationKey)));
    if (!existing) throw new Error(`charge for operation ${input.operationKey} neither inserted nor found`);
    if (existing.amountMinor !== input.amountMinor || existing.currency !== input.currency || existing.provider !== providerId) throw paymentStartErrors.keyReused();
    return existing;
  });
}

/** Records the provider's answer under the charge's row lock: its payment id, and the outcome if it is final already. */
function recordAnswer(ctx: ServiceContext, chargeId: string, answer: { intent: PaymentIntent } | { refused: string }): Promise<Charge> {
  return withTenantTx(ctx, async (uow) => {
    let charge = await lockCharge(uow, chargeId);
    if ('refused' in answer) {
      const result = await transitionCharge(uow, charge, 'failed', { source: 'provider-answer', failureMessage: answer.refused });
      return result.charge;
    }
    const { intent } = answer;
    // One idempotency key per charge, so the provider answers the same payment every time.
    if (charge.providerPaymentId && charge.providerPaymentId !== intent.id)
      throw new Error(`provider answered payment ${intent.id} for charge ${charge.id}, which has ${charge.providerPaymentId}`);
    if (!charge.providerPaymentId) {
      const [submitted] = await uow.tx
        .update(paymentsCharge)
        .set({ providerPaymentId: intent.id, updatedAt: sql`now()` })
        .where(and(eq(paymentsCharge.tenantId, ctx.tenantId), eq(paymentsCharge.id, charge.id)))
        .returning(chargeColumns);
      if (!submitted) throw new Error(`charge ${charge.id} vanished under its row lock`);
      recordAudit(uow, { action: 'payments.charge.submitted', target: chargeTarget(charge.id), data: { providerPaymentId: intent.id, providerStatus: intent.status } });
      charge = submitted;
    }
    const outcome = outcomeOf(intent.status);
    // A webhook may have settled it first (it waits for this lock, then finds the payment id): then this is unchanged.
    return outcome ? (await transitionCharge(uow, charge, outcome, { source: 'provider-answer' })).charge : charge;
  });
}

/**
 * Takes money once per business operation: inserts a pending charge, asks the provider with an
 * idempotency key derived from the charge (so from the operation; never random) and our charge id
 * as its reference (webhooks name it), then records the provider's payment and its status. The
 * provider call is outside any transaction. A provider that does not answer leaves the charge
 * pending: starting the same operation again repeats the same provider call, which cannot pay
 * twice. A settled charge (succeeded, failed or canceled) is answered as it is.
 */
export async function startPayment(ctx: ServiceContext, provider: PaymentsProvider, input: StartPaymentInput): Promise<StartedPayment> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw paymentStartErrors.invalid('The amount must be a positive whole number of minor units.');
  const currency = input.currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw paymentStartErrors.invalid('The currency must be an ISO 4217 code such as EUR.');
  const charge = await openCharge(ctx, provider.id, { ...input, currency });
  if (charge.status !== 'pending') return charge;
  // Still pending (awaiting confirmation, or the provider did not answer): ask again with the same
  // key, which answers the same payment (and Stripe's client secret). Should a provider forget the
  // key (Stripe keeps it 24 hours) and answer another payment, recordAnswer refuses to record it.
  let intent: PaymentIntent;
  try {
    intent = await provider.createPayment({
      amountMinor: charge.amountMinor,
      currency: charge.currency,
      // "payment:" + a UUID is 44 characters: within Square's 45, so it is sent as it is.
      idempotencyKey: `payment:${charge.id}`,
      reference: charge.id,
      ...(input.description ? { description: input.description } : {}),
      ...(input.customerId ? { customerId: input.customerId } : {}),
      ...(input.sourceId ? { sourceId: input.sourceId } : {}),
    });
  } catch (error) {
    if (!(error instanceof PaymentsError)) throw error;
    if (error.retryable) throw paymentStartErrors.unavailable();
    await recordAnswer(ctx, charge.id, { refused: error.message });
    throw paymentStartErrors.refused(error.message);
  }
  const recorded = await recordAnswer(ctx, charge.id, { intent });
  return intent.clientSecret ? { ...recorded, clientSecret: intent.clientSecret } : recorded;
}
