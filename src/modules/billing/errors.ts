import { AppError } from '../../kernel/errors.ts';

/** Billing's error catalogue: each reason maps onto an envelope code. */
export const billingErrors = {
  notForPlatform: () => new AppError('NOT_FOUND', 'Billing is for businesses; the platform has no subscription.', { reason: 'BILLING_NOT_A_BUSINESS' }),
  tenantNotFound: () => new AppError('NOT_FOUND', 'Business was not found.', { reason: 'BILLING_TENANT_NOT_FOUND' }),
  planNotFound: (key: string) => new AppError('NOT_FOUND', `There is no plan ${key}.`, { reason: 'BILLING_PLAN_NOT_FOUND', field: 'planKey' }),
  planNotBillable: (key: string) =>
    new AppError('CONFLICT', `Plan ${key} has no Stripe price yet, so it cannot be subscribed to; ask the platform team to set one.`, {
      reason: 'BILLING_PLAN_NOT_BILLABLE',
      plan: key,
    }),
  overPlanLimit: (plan: string, limit: 'members' | 'terminals', max: number, used: number) =>
    new AppError('CONFLICT', `Plan ${plan} allows ${max} ${limit === 'members' ? 'active members' : 'terminals'}; this business has ${used}. Remove some first or choose a bigger plan.`, {
      reason: 'PLAN_LIMIT_REACHED',
      limit,
      max,
      used,
      plan,
    }),
  noSubscription: () => new AppError('CONFLICT', 'This business has no running subscription to cancel or resume.', { reason: 'BILLING_NO_SUBSCRIPTION' }),
  noCustomer: () =>
    new AppError('CONFLICT', 'This business has no billing account at the payment provider yet; subscribe to a plan first.', { reason: 'BILLING_NO_CUSTOMER' }),
  unavailable: () =>
    new AppError('CONFLICT', 'The payment provider did not answer; try the same request again (nothing will be created twice).', { reason: 'PROVIDER_UNAVAILABLE' }),
  refused: (message: string) => new AppError('CONFLICT', `The payment provider refused: ${message}`, { reason: 'PROVIDER_REFUSED' }),
  providerMissing: () => new AppError('CONFLICT', 'No payment provider is configured for subscriptions on this installation.', { reason: 'BILLING_PROVIDER_MISSING' }),
};
