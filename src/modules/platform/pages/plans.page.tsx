import { formatMoney } from '../../../kernel/money/index.ts';
import { CheckboxField, CheckboxGroup, CsrfField, FormErrorSummary, Notice, SelectField, TextField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { Plan } from '../domain/types.ts';
import { Page } from './parts.tsx';

const limitText = (max: number | null) => (max === null ? 'no limit' : String(max));

export function PlanListPage({ plans, canWrite, notice, chrome }: { plans: Plan[]; canWrite: boolean; notice?: string | undefined; chrome: Chrome }) {
  return (
    <Page title="Plans" chrome={chrome}>
      <h1>Plans</h1>
      <Notice text={notice} />
      {canWrite && (
        <p>
          <a class="button" href="/console/plans/new">
            New plan
          </a>
        </p>
      )}
      {plans.length === 0 ? (
        <p class="muted">No plans yet.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Key</th>
              <th scope="col" class="num">
                Price
              </th>
              <th scope="col">Members</th>
              <th scope="col">Locations</th>
              <th scope="col">Terminals</th>
              <th scope="col">Modules</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((plan) => (
              <tr key={plan.id}>
                <td>{canWrite ? <a href={`/console/plans/${plan.id}/edit`}>{plan.name}</a> : plan.name}</td>
                <td>
                  <code>{plan.key}</code>
                </td>
                <td class="num">
                  {formatMoney(plan.priceMinor, plan.currency)} / {plan.interval}
                </td>
                <td>{limitText(plan.maxMembers)}</td>
                <td>{limitText(plan.maxLocations)}</td>
                <td>{limitText(plan.maxTerminals)}</td>
                <td>{plan.modules === null ? 'all of the edition' : plan.modules.join(', ') || 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** The plan form's fields as typed, so a rejected form comes back as sent. */
export interface PlanFormValues {
  key: string;
  name: string;
  price: string;
  currency: string;
  interval: string;
  stripePriceId: string;
  maxMembers: string;
  maxLocations: string;
  maxTerminals: string;
  allModules: boolean;
  modules: string[];
}

interface FormProps {
  mode: { kind: 'create' } | { kind: 'edit'; id: string };
  values: PlanFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  /** Every module an offered edition has: what a plan can include. */
  moduleChoices: readonly string[];
  chrome: Chrome;
}

export function PlanFormPage({ mode, values, errors, formError, moduleChoices, chrome }: FormProps) {
  const title = mode.kind === 'create' ? 'New plan' : `Edit ${values.name || 'plan'}`;
  return (
    <Page title={title} chrome={chrome}>
      <p>
        <a href="/console/plans">← Plans</a>
      </p>
      <h1>{title}</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={mode.kind === 'create' ? '/console/plans' : `/console/plans/${mode.id}`} novalidate>
        <CsrfField token={chrome.csrfToken} />
        <TextField name="key" label="Key" value={values.key} error={errors.key} required maxLength={40} hint="Stable id, e.g. starter" />
        <TextField name="name" label="Name" value={values.name} error={errors.name} required maxLength={100} />
        <TextField name="price" label="Price" value={values.price} error={errors.price} required inputMode="decimal" hint="e.g. 29.00" />
        <TextField name="currency" label="Currency" value={values.currency} error={errors.currency} required maxLength={3} hint="ISO code, e.g. EUR" />
        <SelectField name="interval" label="Billed every" value={values.interval} error={errors.interval} options={[{ value: 'month', label: 'Month' }, { value: 'year', label: 'Year' }]} />
        <TextField name="stripePriceId" label="Stripe price id" value={values.stripePriceId} error={errors.stripePriceId} maxLength={100} hint="Optional until billing is connected" />
        <TextField name="maxMembers" label="Members allowed" value={values.maxMembers} error={errors.maxMembers} inputMode="numeric" hint="Empty: no limit" />
        <TextField name="maxLocations" label="Locations allowed" value={values.maxLocations} error={errors.maxLocations} inputMode="numeric" hint="Empty: no limit" />
        <TextField name="maxTerminals" label="Terminals allowed" value={values.maxTerminals} error={errors.maxTerminals} inputMode="numeric" hint="Empty: no limit" />
        <CheckboxField name="allModules" label="Includes every module of the business's edition" checked={values.allModules} />
        <CheckboxGroup
          name="modules"
          legend="Otherwise, the modules it includes"
          idPrefix="plan-modules"
          options={moduleChoices.map((id) => ({ value: id, label: id }))}
          checked={values.modules}
          error={errors.modules}
        />
        <button class="button" type="submit">
          {mode.kind === 'create' ? 'Create plan' : 'Save plan'}
        </button>
      </form>
    </Page>
  );
}
