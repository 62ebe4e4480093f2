/** The payments port and its adapters; the fake one only for demo mode and tests. */
export { PaymentsError, STRIPE_REFERENCE_KEY, type BillingPortalSession, type CreatePaymentInput, type Customer, type Money, type PaymentIntent, type PaymentsProvider, type Refund, type Subscription } from './port.ts';
export { createStripePayments } from './stripe.adapter.ts';
export { createSquarePayments, type SquareOptions } from './square.adapter.ts';
export { createFakePayments, type FakePaymentsOptions } from './fake.adapter.ts';
export { recordCharge, refundCharge, paymentErrors, type Charge, type LedgerRefund, type RecordChargeInput } from './ledger.service.ts';
export { startPayment, paymentStartErrors, type StartPaymentInput, type StartedPayment, type ChargeOutcome } from './payment.service.ts';
export { CHARGE_STATUSES, type ChargeStatus } from './ledger.table.ts';
export { handleProviderEvent, providerEventsHandler, ChargeNotReady } from './provider-events.job.ts';
export { paymentsEvents } from './events.ts';
export { OWNED_EVENTS } from './provider-events.ts';
