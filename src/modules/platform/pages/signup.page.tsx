import { CsrfField, FormErrorSummary, SelectField, TextField, TimeZoneField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { Page } from './parts.tsx';

export interface SignupFormValues {
  businessName: string;
  slug: string;
  edition: string;
  timeZone: string;
  ownerName: string;
  email: string;
}

interface Props {
  values: SignupFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  editions: readonly { id: string; title: string }[];
  /** The slug of an application just received: the page thanks instead of asking. */
  received?: string | undefined;
  chrome: Chrome;
}

export function SignupPage({ values, errors, formError, editions, received, chrome }: Props) {
  if (received)
    return (
      <Page title="Application received" chrome={chrome}>
        <h1>Application received</h1>
        <p role="status">
          Thank you. We review every new business and email you when <strong>{received}</strong> is approved; you can sign in from then on.
        </p>
      </Page>
    );
  return (
    <Page title="Sign up your business" chrome={chrome}>
      <h1>Sign up your business</h1>
      <p>Tell us about your business and choose your owner account. The platform team approves new businesses before they can be used.</p>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action="/signup" novalidate>
        <CsrfField token={chrome.csrfToken} />
        <fieldset>
          <legend>Business</legend>
          <TextField name="businessName" label="Business name" value={values.businessName} error={errors.businessName} required maxLength={200} autoFocus />
          <TextField name="slug" label="Address" value={values.slug} error={errors.slug} required maxLength={63} hint="Lower-case letters, digits and dashes, e.g. corner-shop" />
          <SelectField name="edition" label="Kind of business" value={values.edition} error={errors.edition} options={editions.map((edition) => ({ value: edition.id, label: edition.title }))} />
          <TimeZoneField name="timeZone" label="Time zone of the business" value={values.timeZone} error={errors.timeZone} />
        </fieldset>
        <fieldset>
          <legend>Owner account</legend>
          <TextField name="ownerName" label="Your name" value={values.ownerName} error={errors.ownerName} required maxLength={100} />
          <TextField name="email" label="Email" type="email" value={values.email} error={errors.email} required maxLength={254} autoComplete="email" />
          <TextField name="password" label="Password" type="password" error={errors.password} required autoComplete="new-password" hint="At least 12 characters, not a common password" />
        </fieldset>
        <button class="button" type="submit">
          Apply
        </button>
      </form>
    </Page>
  );
}
