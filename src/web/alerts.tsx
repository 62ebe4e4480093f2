import type { FieldErrors } from './form.tsx';

/** What a change did, shown after its redirect; screen readers announce it politely. */
export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <p class="alert success" role="status">
      {text}
    </p>
  ) : null;
}

/** Why something was refused, or a form's summary of its errors; announced at once. */
export function ErrorAlert({ text }: { text: string | undefined }) {
  return text ? (
    <div class="alert error" role="alert">
      {text}
    </div>
  ) : null;
}

/** A form's summary of its errors: the form-wide one, or a pointer to the fields marked below; nothing when there are none. */
export function FormErrorSummary({ errors, formError }: { errors: FieldErrors; formError?: string | undefined }) {
  return <ErrorAlert text={formError ?? (Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : undefined)} />;
}
