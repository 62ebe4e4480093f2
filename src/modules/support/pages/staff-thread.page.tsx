import { CsrfField, ErrorAlert, Layout, Notice, SelectField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { canStaffMove, STATUS_LABELS, TICKET_PRIORITIES, TICKET_STATUSES } from '../domain/ticket.ts';
import type { StaffThread } from '../staff.service.ts';
import { ReplyForm, SlaSummary, StatusBadge, Thread } from './parts.tsx';

interface Props {
  thread: StaffThread;
  values: { body: string };
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  canWrite: boolean;
  maxBytes: number;
  chrome: Chrome;
}

/** Platform staff's view of a ticket: the whole thread, internal notes marked, with assign and status forms. */
export function StaffThreadPage({ thread, values, errors, formError, notice, canWrite, maxBytes, chrome }: Props) {
  const moves = TICKET_STATUSES.filter((status) => canStaffMove(thread.status, status));
  return (
    <Layout title={thread.subject}>
      <p>
        <a href="/console/support">← Support inbox</a>
      </p>
      <h1>{thread.subject}</h1>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <p>
        {thread.tenantName} · <StatusBadge status={thread.status} /> · {thread.priority} priority · {thread.category}
      </p>
      <SlaSummary ticket={thread} />
      {canWrite && (
        <div class="toolbar">
          <form method="post" action={`/console/support/tickets/${thread.id}/assign`}>
            <CsrfField token={chrome.csrfToken} />
            <SelectField
              name="assignee"
              label="Assignee"
              value={thread.assigneeUserId ?? ''}
              options={[{ value: '', label: 'Unassigned' }, ...thread.staff.map((member) => ({ value: member.userId, label: member.name }))]}
            />
            <button class="button secondary" type="submit">
              Assign
            </button>
          </form>
          <form method="post" action={`/console/support/tickets/${thread.id}/priority`}>
            <CsrfField token={chrome.csrfToken} />
            <SelectField name="priority" label="Priority" value={thread.priority} options={TICKET_PRIORITIES.map((value) => ({ value, label: value }))} />
            <button class="button secondary" type="submit">
              Change priority
            </button>
          </form>
          {moves.length > 0 && (
            <form method="post" action={`/console/support/tickets/${thread.id}/status`}>
              <CsrfField token={chrome.csrfToken} />
              <SelectField name="status" label="Status" value={moves[0]} options={moves.map((value) => ({ value, label: STATUS_LABELS[value] }))} />
              <button class="button secondary" type="submit">
                Change status
              </button>
            </form>
          )}
        </div>
      )}
      <h2>Conversation</h2>
      <Thread ticket={thread} messages={thread.messages} attachments={thread.attachments} downloadHref={(file) => `/console/support/tickets/${thread.id}/attachments/${file.id}`} staffView />
      {canWrite && (
        <section aria-labelledby="reply-heading">
          <h2 id="reply-heading">Reply or add a note</h2>
          <ReplyForm action={`/console/support/tickets/${thread.id}/messages`} csrfToken={chrome.csrfToken} values={values} errors={errors} maxBytes={maxBytes} staff />
        </section>
      )}
    </Layout>
  );
}
