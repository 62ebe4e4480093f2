import { ErrorAlert, Layout, Notice, PostButton, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { acceptsReplies, type TicketThread } from '../domain/ticket.ts';
import { ReplyForm, SlaSummary, StatusBadge, Thread } from './parts.tsx';

interface Props {
  thread: TicketThread;
  values: { body: string };
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  canWrite: boolean;
  maxBytes: number;
  chrome: Chrome;
}

/** A business's view of its ticket: public messages only (the service never hands it internal notes). */
export function TicketThreadPage({ thread, values, errors, formError, notice, canWrite, maxBytes, chrome }: Props) {
  return (
    <Layout title={thread.subject}>
      <p>
        <a href="/support">← Support</a>
      </p>
      <h1>{thread.subject}</h1>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <p>
        <StatusBadge status={thread.status} /> · {thread.priority} priority · {thread.category}
      </p>
      <SlaSummary ticket={thread} />
      <h2>Conversation</h2>
      <Thread ticket={thread} messages={thread.messages} attachments={thread.attachments} downloadHref={(file) => `/v1/support/tickets/${thread.id}/attachments/${file.id}`} staffView={false} />
      {canWrite && acceptsReplies(thread.status) && (
        <section aria-labelledby="reply-heading">
          <h2 id="reply-heading">Reply</h2>
          <ReplyForm action={`/support/tickets/${thread.id}/messages`} csrfToken={chrome.csrfToken} values={values} errors={errors} maxBytes={maxBytes} staff={false} />
        </section>
      )}
      {canWrite && thread.status === 'resolved' && <PostButton action={`/support/tickets/${thread.id}/reopen`} csrfToken={chrome.csrfToken} label="Reopen ticket" />}
      {canWrite && thread.status !== 'closed' && <PostButton action={`/support/tickets/${thread.id}/close`} csrfToken={chrome.csrfToken} label="Close ticket" secondary />}
    </Layout>
  );
}
