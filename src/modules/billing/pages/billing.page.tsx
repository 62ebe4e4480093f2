import { formatMoney } from '../../../kernel/money/index.ts';
import { CsrfField, ErrorAlert, Layout, Notice, PostButton, When, type Chrome } from '../../../web/index.ts';
import type { Plan } from '../../platform/index.ts';
import type { InvoiceView, SubscriptionView } from '../domain/types.ts';

const STATUS_TEXT: Record<SubscriptionView['status'], string> = {
  trialing: 'Trial',
  active: 'Active',
  past_due: 'Payment overdue',
  unpaid: 'Unpaid',
  canceled: 'Canceled',
  incomplete: 'Awaiting first payment',
};


interface Props {
  subscription: SubscriptionView | null;
  plans: Plan[];
  invoices: InvoiceView[];
  canManage: boolean;
  notice?: string | undefined;
  error?: string | undefined;
  chrome: Chrome;
}

/** The dunning banner: what went wrong and what the owner can do, in words. */
function DunningBanner({ subscription, invoices }: { subscription: SubscriptionView; invoices: InvoiceView[] }) {
  if (!subscription.dunning) return null;
  const open = invoices.find((invoice) => invoice.status === 'open' || invoice.status === 'uncollectible');
  const what =
    subscription.status === 'past_due'
      ? 'The last payment for your plan failed. We will try again; update your card before the next attempt to keep your plan.'
      : 'Payments for your plan failed and were not recovered. Pay the open invoice to keep using Plinth; otherwise the plan will be canceled.';
  return (
    <div class="alert error" role="alert" data-dunning={subscription.status}>
      <strong>{STATUS_TEXT[subscription.status]}.</strong> {what}{' '}
      {open?.hostedUrl && (
        <a href={open.hostedUrl} rel="noopener noreferrer">
          Pay invoice {open.number ?? ''} ({formatMoney(open.amountDueMinor - open.amountPaidMinor, open.currency)})
        </a>
      )}
    </div>
  );
}

export function BillingPage({ subscription, plans, invoices, canManage, notice, error, chrome }: Props) {
  const running = subscription && subscription.providerSubscriptionId && subscription.status !== 'canceled';
  return (
    <Layout title="Billing">
      <h1>Billing</h1>
      <Notice text={notice} />
      <ErrorAlert text={error} />
      {subscription && <DunningBanner subscription={subscription} invoices={invoices} />}
      <h2>Plan</h2>
      {subscription?.plan ? (
        <dl>
          <dt>Plan</dt>
          <dd>
            {subscription.plan.name} — {formatMoney(subscription.plan.priceMinor, subscription.plan.currency)} / {subscription.plan.interval}
          </dd>
          <dt>Status</dt>
          <dd data-status={subscription.status}>{STATUS_TEXT[subscription.status]}</dd>
          <dt>Current period ends</dt>
          <dd>
            <When at={subscription.currentPeriodEnd} show="date" />
          </dd>
          {subscription.cancelAtPeriodEnd && (
            <>
              <dt>Cancellation</dt>
              <dd>Ends at the end of the current period.</dd>
            </>
          )}
        </dl>
      ) : (
        <p class="muted">This business has no subscription yet.</p>
      )}
      {canManage && plans.length > 0 && (
        <form method="post" action="/billing/subscription">
          <CsrfField token={chrome.csrfToken} />
          <div class="field">
            <label for="field-planKey">{running ? 'Change plan' : 'Choose a plan'}</label>
            <select id="field-planKey" name="planKey">
              {plans.map((plan) => (
                <option key={plan.key} value={plan.key} selected={plan.key === subscription?.planKey}>
                  {plan.name} — {formatMoney(plan.priceMinor, plan.currency)} / {plan.interval}
                </option>
              ))}
            </select>
          </div>
          <button class="button" type="submit">
            {running ? 'Change plan' : 'Subscribe'}
          </button>
        </form>
      )}
      {canManage && running && !subscription.cancelAtPeriodEnd && (
        <PostButton action="/billing/subscription/cancel" csrfToken={chrome.csrfToken} label="Cancel at the end of the period" secondary />
      )}
      {canManage && running && subscription.cancelAtPeriodEnd && <PostButton action="/billing/subscription/resume" csrfToken={chrome.csrfToken} label="Keep my plan" />}
      {canManage && subscription?.providerCustomerId && (
        <PostButton action="/billing/portal" csrfToken={chrome.csrfToken} label="Manage payment method" secondary />
      )}
      <h2>Invoices</h2>
      {invoices.length === 0 ? (
        <p class="muted">No invoices yet.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Amount due
              </th>
              <th scope="col" class="num">
                Paid
              </th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => (
              <tr key={invoice.id} data-invoice={invoice.providerInvoiceId}>
                <td>
                  {invoice.hostedUrl ? (
                    <a href={invoice.hostedUrl} rel="noopener noreferrer">
                      {invoice.number ?? invoice.providerInvoiceId}
                    </a>
                  ) : (
                    (invoice.number ?? invoice.providerInvoiceId)
                  )}
                </td>
                <td>
                  <When at={invoice.periodStart} show="date" /> – <When at={invoice.periodEnd} show="date" />
                </td>
                <td>{invoice.status}</td>
                <td class="num">{formatMoney(invoice.amountDueMinor, invoice.currency)}</td>
                <td class="num">{formatMoney(invoice.amountPaidMinor, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
