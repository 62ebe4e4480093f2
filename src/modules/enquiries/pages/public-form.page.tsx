import { CsrfField, FormErrorSummary, Layout, TextArea, TextField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { MESSAGE_MAX, NAME_MAX, type EnquiryKind } from '../domain/enquiry.ts';
import { HONEYPOT_FIELD } from '../domain/spam-guard.ts';

export interface PublicFormValues {
  name: string;
  email: string;
  phone: string;
  postcode: string;
  message: string;
}

export const EMPTY_PUBLIC_FORM: PublicFormValues = { name: '', email: '', phone: '', postcode: '', message: '' };

const COPY: Record<EnquiryKind, { title: string; intro: string; message: string; submit: string }> = {
  enquiry: {
    title: 'Ask us anything',
    intro: 'Questions about our meals, delivery areas or plans? Send us a note and we will get back to you.',
    message: 'Your question',
    submit: 'Send enquiry',
  },
  access: {
    title: 'Request access',
    intro: 'We take on new clients a few at a time. Tell us about yourself and your account manager will be in touch.',
    message: 'Anything we should know (goals, allergies, delivery days)',
    submit: 'Request access',
  },
};

interface Props {
  business: { slug: string; name: string };
  kind: EnquiryKind;
  values: PublicFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  /** The signed time the form was shown (the minimum fill time's start). */
  clock: string;
  chrome: Chrome;
}

/** The business's public enquiry or request-access form: plain HTML, no script; a hidden honeypot field catches bots. */
export function PublicFormPage({ business, kind, values, errors, formError, clock, chrome }: Props) {
  const copy = COPY[kind];
  const other = kind === 'enquiry' ? { href: `/site/${business.slug}/request-access`, label: 'Ready to start? Request access' } : { href: `/site/${business.slug}/enquire`, label: 'Just a question? Send an enquiry' };
  return (
    <Layout title={`${copy.title} · ${business.name}`}>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={`/site/${business.slug}/${kind === 'enquiry' ? 'enquire' : 'request-access'}`} novalidate>
        <CsrfField token={chrome.csrfToken} />
        <input type="hidden" name="clock" value={clock} />
        <TextField name="name" label="Your name" value={values.name} error={errors.name} required maxLength={NAME_MAX} autoComplete="name" />
        <TextField name="email" label="Email" type="email" value={values.email} error={errors.email} required autoComplete="email" />
        <TextField name="phone" label="Phone (optional)" type="tel" value={values.phone} error={errors.phone} autoComplete="tel" />
        <TextField name="postcode" label="Postcode (optional)" value={values.postcode} error={errors.postcode} autoComplete="postal-code" />
        <TextArea name="message" label={copy.message} value={values.message} error={errors.message} maxLength={MESSAGE_MAX} rows={6} />
        {/* People never see or reach this field; bots fill it. */}
        <div class="visually-hidden" aria-hidden="true">
          <label for={HONEYPOT_FIELD}>Leave this empty</label>
          <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" value="" />
        </div>
        <button class="button" type="submit">
          {copy.submit}
        </button>
      </form>
      <p>
        <a href={other.href}>{other.label}</a>
      </p>
    </Layout>
  );
}

export function ThanksPage({ business }: { business: { slug: string; name: string } }) {
  return (
    <Layout title={`Thank you · ${business.name}`}>
      <h1>Thank you</h1>
      <p>We have your message and will be in touch soon.</p>
      <p>
        <a href={`/site/${business.slug}/enquire`}>Send another enquiry</a>
      </p>
    </Layout>
  );
}
