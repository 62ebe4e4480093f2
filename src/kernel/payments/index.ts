/** The payments port and its adapters; the fake one only for demo mode and tests. */
export { PaymentsError, type Customer, type Money, type PaymentIntent, type PaymentsProvider, type Refund, type Subscription } from './port.ts';
export { createStripePayments } from './stripe.adapter.ts';
export { createSquarePayments, type SquareOptions } from './square.adapter.ts';
export { createFakePayments } from './fake.adapter.ts';
export { paymentsModule } from './manifest.ts';
export { recordCharge, refundCharge, paymentErrors, type Charge, type LedgerRefund } from './ledger.service.ts';
