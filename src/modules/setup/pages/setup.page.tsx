import { CheckboxField, CsrfField, FormErrorSummary, Layout, TextField, TimeZoneField, type Chrome, type FieldErrors } from '../../../web/index.ts';

/** How many tax-rate rows the form offers (the API takes up to ten). */
export const TAX_ROWS = 3;

export interface SetupFormValues {
  code: string;
  businessName: string;
  slug: string;
  timeZone: string;
  adminName: string;
  adminEmail: string;
  currency: string;
  pricesIncludeTax: boolean;
  taxRates: { code: string; label: string; percent: string }[];
  defaultTaxCode: string;
  receiptPrefix: string;
  invoicePrefix: string;
}

interface Props {
  values: SetupFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

/** The first-run wizard: one form, in the order an owner thinks of it; nothing is saved until it all passes. */
export function SetupPage({ values, errors, formError, chrome }: Props) {
  return (
    <Layout title="Set up this installation">
      <h1>Set up this installation</h1>
      <p class="muted">
        Nothing exists here yet. Enter the setup code shown in the server's console when it started, then describe the business and its first
        administrator. This can be done once.
      </p>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action="/setup">
        <CsrfField token={chrome.csrfToken} />
        <div class="cards">
          <fieldset class="card">
            <legend>Setup code</legend>
            <TextField name="code" label="Code from the server console" value={values.code} error={errors.code} required maxLength={64} autoComplete="off" autoFocus hint="Like ABCD-EFGH-JKLM" />
          </fieldset>
          <fieldset class="card">
            <legend>Business</legend>
            <TextField name="businessName" label="Business name" value={values.businessName} error={errors.businessName} required maxLength={120} />
            <TextField name="slug" label="Short name" value={values.slug} error={errors.slug} required maxLength={48} hint="Lower-case letters, digits and -" />
            <TimeZoneField name="timeZone" label="Time zone" value={values.timeZone} error={errors.timeZone} />
          </fieldset>
          <fieldset class="card">
            <legend>First administrator</legend>
            <TextField name="adminName" label="Name" value={values.adminName} error={errors.adminName} required maxLength={120} autoComplete="name" />
            <TextField name="adminEmail" label="Email" type="email" value={values.adminEmail} error={errors.adminEmail} required maxLength={254} autoComplete="username" />
            <TextField name="adminPassword" label="Password" type="password" error={errors.adminPassword} required maxLength={256} autoComplete="new-password" hint="At least 12 characters; not a common password" />
          </fieldset>
          <fieldset class="card">
            <legend>Money and taxes</legend>
            <TextField name="currency" label="Currency" value={values.currency} error={errors.currency} required maxLength={3} hint="ISO code, e.g. EUR" />
            <CheckboxField name="pricesIncludeTax" label="Prices include tax" checked={values.pricesIncludeTax} />
            {values.taxRates.map((rate, index) => (
              <div key={index}>
                <TextField name={`taxCode${index}`} label={`Tax rate ${index + 1}: code`} value={rate.code} error={errors[`taxCode${index}`]} maxLength={8} required={index === 0} />
                <TextField name={`taxLabel${index}`} label="Label" value={rate.label} error={errors[`taxLabel${index}`]} maxLength={60} required={index === 0} />
                <TextField name={`taxPercent${index}`} label="Rate (%)" value={rate.percent} error={errors[`taxPercent${index}`]} inputMode="decimal" maxLength={6} required={index === 0} />
              </div>
            ))}
            <TextField name="defaultTaxCode" label="Default tax code" value={values.defaultTaxCode} error={errors.defaultTaxCode ?? errors.taxRates} required maxLength={8} />
          </fieldset>
          <fieldset class="card">
            <legend>Document numbering</legend>
            <p class="muted">Each register numbers its receipts and invoices without gaps, after this prefix: R-T1-000001.</p>
            <TextField name="receiptPrefix" label="Receipt prefix" value={values.receiptPrefix} error={errors.receiptPrefix} required maxLength={8} />
            <TextField name="invoicePrefix" label="Invoice prefix" value={values.invoicePrefix} error={errors.invoicePrefix} required maxLength={8} />
          </fieldset>
        </div>
        <p class="muted">Also created: the roles super admin (owner), manager, cashier, accountant and auditor, and the logs, backups and exports folders.</p>
        <button class="button" type="submit">
          Set up
        </button>
      </form>
    </Layout>
  );
}
