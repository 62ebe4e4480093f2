import { CsrfField, FormErrorSummary, Layout, SelectField, TextField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { SUBJECT_MAX, TICKET_CATEGORIES, TICKET_PRIORITIES } from '../domain/ticket.ts';
import { FileField, TextArea } from './parts.tsx';

export interface TicketFormValues {
  subject: string;
  body: string;
  category: string;
  priority: string;
}

const label = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

export function TicketFormPage({ values, errors, formError, maxBytes, chrome }: { values: TicketFormValues; errors: FieldErrors; formError?: string | undefined; maxBytes: number; chrome: Chrome }) {
  return (
    <Layout title="New support ticket">
      <p>
        <a href="/support">← Support</a>
      </p>
      <h1>New support ticket</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action="/support/tickets" enctype="multipart/form-data" novalidate>
        <CsrfField token={chrome.csrfToken} />
        <TextField name="subject" label="Subject" value={values.subject} error={errors.subject} required maxLength={SUBJECT_MAX} autoFocus />
        <SelectField name="category" label="Category" value={values.category} error={errors.category} options={TICKET_CATEGORIES.map((value) => ({ value, label: label(value) }))} />
        <SelectField name="priority" label="Priority" value={values.priority} error={errors.priority} options={TICKET_PRIORITIES.map((value) => ({ value, label: label(value) }))} />
        <TextArea name="body" label="What do you need help with?" value={values.body} error={errors.body} required rows={10} />
        <FileField error={errors.files} maxBytes={maxBytes} />
        <button class="button" type="submit">
          Open ticket
        </button>
      </form>
    </Layout>
  );
}
