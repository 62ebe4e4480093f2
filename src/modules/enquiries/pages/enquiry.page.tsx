import { CsrfField, ErrorAlert, Layout, Notice, PostButton, TextArea, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { canMove, isOpen, KIND_LABELS, REASON_MAX, STATUS_LABELS, type EnquiryView } from '../domain/enquiry.ts';

interface Props {
  enquiry: EnquiryView;
  canWrite: boolean;
  notice?: string | undefined;
  reason: string;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

/** One enquiry: who sent what, where it stands, and the next steps staff may take. */
export function EnquiryPage({ enquiry, canWrite, notice, reason, errors, formError, chrome }: Props) {
  const base = `/enquiries/${enquiry.id}`;
  return (
    <Layout title={`${KIND_LABELS[enquiry.kind]} from ${enquiry.name}`}>
      <p>
        <a href="/enquiries">← Enquiries</a>
      </p>
      <h1>
        {KIND_LABELS[enquiry.kind]} from {enquiry.name}
      </h1>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <dl>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[enquiry.status]}</dd>
        {enquiry.closeReason !== null && (
          <>
            <dt>Closed because</dt>
            <dd>{enquiry.closeReason}</dd>
          </>
        )}
        <dt>Email</dt>
        <dd>
          <a href={`mailto:${enquiry.email}`}>{enquiry.email}</a>
        </dd>
        {enquiry.phone !== '' && (
          <>
            <dt>Phone</dt>
            <dd>
              <a href={`tel:${enquiry.phone}`}>{enquiry.phone}</a>
            </dd>
          </>
        )}
        {enquiry.postcode !== '' && (
          <>
            <dt>Postcode</dt>
            <dd>{enquiry.postcode}</dd>
          </>
        )}
        <dt>Received</dt>
        <dd>
          <When at={enquiry.createdAt} />
        </dd>
      </dl>
      <h2>Message</h2>
      <p>{enquiry.message === '' ? <span class="muted">No message.</span> : enquiry.message}</p>
      {canWrite && isOpen(enquiry.status) && (
        <section aria-labelledby="next-steps">
          <h2 id="next-steps">Next step</h2>
          <div class="actions">
            {canMove(enquiry.status, 'contacted') && <PostButton action={`${base}/contact`} csrfToken={chrome.csrfToken} label="Mark contacted" />}
            {canMove(enquiry.status, 'qualified') && <PostButton action={`${base}/qualify`} csrfToken={chrome.csrfToken} label="Mark qualified" />}
          </div>
          <form method="post" action={`${base}/close`} novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextArea name="reason" label="Close with a reason" value={reason} error={errors.reason} required maxLength={REASON_MAX} rows={2} />
            <button class="button secondary" type="submit">
              Close enquiry
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}
