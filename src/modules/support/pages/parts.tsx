import { CsrfField, TextArea, When, type FieldErrors } from '../../../web/index.ts';
import { ALLOWED_CONTENT_TYPES, MAX_FILES_PER_MESSAGE } from '../domain/attachment.ts';
import { STATUS_LABELS, type AttachmentMeta, type Message, type Ticket, type TicketStatus } from '../domain/ticket.ts';


export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span class={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** The SLA line of a ticket: due times and whether each was missed. */
export function SlaSummary({ ticket }: { ticket: Ticket }) {
  const { sla } = ticket;
  return (
    <dl class="sla">
      <dt>First response due</dt>
      <dd>
        <When at={sla.firstResponseDueAt} />
        {sla.firstRespondedAt && (
          <>
            {' · answered '}
            <When at={sla.firstRespondedAt} />
          </>
        )}
        {sla.firstResponseBreached && <strong class="breached"> · missed</strong>}
      </dd>
      <dt>Resolution due</dt>
      <dd>
        <When at={sla.resolutionDueAt} />
        {sla.resolvedAt && (
          <>
            {' · resolved '}
            <When at={sla.resolvedAt} />
          </>
        )}
        {sla.resolutionBreached && <strong class="breached"> · missed</strong>}
      </dd>
    </dl>
  );
}

/** The kit's multi-line field, where this module's pages have always taken it from. */
export { TextArea };

export function FileField({ error, maxBytes }: { error?: string | undefined; maxBytes: number }) {
  return (
    <div class="field">
      <label for="field-files">Attach files (optional)</label>
      <input
        id="field-files"
        type="file"
        name="files"
        multiple
        accept={[...ALLOWED_CONTENT_TYPES].join(',')}
        aria-describedby={`field-files-hint${error ? ' field-files-error' : ''}`}
        aria-invalid={error ? 'true' : undefined}
      />
      <span class="hint" id="field-files-hint">
        Up to {MAX_FILES_PER_MESSAGE} images, PDFs, text or CSV files, {Math.floor(maxBytes / (1024 * 1024)) || 1} MB each at most.
      </span>
      {error && (
        <span class="error" id="field-files-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** The thread, oldest first; files listed under the message they came with (the opening post's under it). */
export function Thread({
  ticket,
  messages,
  attachments,
  downloadHref,
  staffView,
}: {
  ticket: Ticket;
  messages: Message[];
  attachments: AttachmentMeta[];
  downloadHref: (attachment: AttachmentMeta) => string;
  staffView: boolean;
}) {
  const files = (messageId: string | null) => attachments.filter((attachment) => attachment.messageId === messageId);
  const FileList = ({ messageId }: { messageId: string | null }) => {
    const list = files(messageId);
    return list.length === 0 ? null : (
      <ul class="attachments" aria-label="Attached files">
        {list.map((attachment) => (
          <li key={attachment.id}>
            <a href={downloadHref(attachment)} download={attachment.fileName}>
              {attachment.fileName}
            </a>{' '}
            <span class="muted">
              ({attachment.contentType}, {Math.ceil(attachment.sizeBytes / 1024)} KiB)
            </span>
          </li>
        ))}
      </ul>
    );
  };
  return (
    <ol class="thread">
      <li class="message customer">
        <p class="meta">
          Opened <When at={ticket.createdAt} /> by the business
        </p>
        <p class="body">{ticket.body}</p>
        <FileList messageId={null} />
      </li>
      {messages.map((message) => (
        <li key={message.id} class={`message ${message.side}${message.internal ? ' internal' : ''}`}>
          <p class="meta">
            {message.internal ? 'Internal note' : message.side === 'staff' ? (staffView ? 'Staff reply' : 'Platform support') : staffView ? 'Business' : 'You'} · <When at={message.createdAt} />
          </p>
          <p class="body">{message.body}</p>
          <FileList messageId={message.id} />
        </li>
      ))}
    </ol>
  );
}

export function ReplyForm({ action, csrfToken, values, errors, maxBytes, staff }: { action: string; csrfToken: string; values: { body: string }; errors: FieldErrors; maxBytes: number; staff: boolean }) {
  return (
    <form method="post" action={action} enctype="multipart/form-data">
      <CsrfField token={csrfToken} />
      <TextArea name="body" label={staff ? 'Reply or note' : 'Your reply'} value={values.body} error={errors.body} required />
      <FileField error={errors.files} maxBytes={maxBytes} />
      {staff && (
        <div class="field checkbox">
          <input type="hidden" name="internal" value="false" />
          <input id="field-internal" type="checkbox" name="internal" value="true" />
          <label for="field-internal">Internal note (only platform staff see it)</label>
        </div>
      )}
      <button class="button" type="submit">
        {staff ? 'Send' : 'Send reply'}
      </button>
    </form>
  );
}
