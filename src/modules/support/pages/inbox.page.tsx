import { Layout, SelectField, type Chrome } from '../../../web/index.ts';
import { STATUS_LABELS, TICKET_PRIORITIES, TICKET_STATUSES, type InboxQuery, type Page } from '../domain/ticket.ts';
import type { InboxItem } from '../staff.service.ts';
import { StatusBadge, when } from './parts.tsx';

interface Props {
  page: Page<InboxItem>;
  query: InboxQuery;
  staff: { userId: string; name: string }[];
  chrome: Chrome;
}

function filterParams(query: InboxQuery): Record<string, string> {
  return {
    ...(query.status ? { status: query.status } : {}),
    ...(query.priority ? { priority: query.priority } : {}),
    ...(query.breached !== undefined ? { breached: String(query.breached) } : {}),
    ...(query.assignee ? { assignee: query.assignee } : {}),
  };
}

/** Platform staff's inbox: tickets of every business, filterable, most recently active first. */
export function InboxPage({ page, query, staff, chrome }: Props) {
  const { pagination } = page;
  const href = (to: number) => `/console/support?${new URLSearchParams({ ...filterParams(query), page: String(to) }).toString()}`;
  const names = new Map(staff.map((member) => [member.userId, member.name]));
  return (
    <Layout title="Support inbox" nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      <h1>Support inbox</h1>
      <form class="toolbar" method="get" action="/console/support" role="search">
        <SelectField name="status" label="Status" value={query.status ?? ''} options={[{ value: '', label: 'Any' }, ...TICKET_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))]} />
        <SelectField name="priority" label="Priority" value={query.priority ?? ''} options={[{ value: '', label: 'Any' }, ...TICKET_PRIORITIES.map((value) => ({ value, label: value }))]} />
        <SelectField
          name="breached"
          label="SLA"
          value={query.breached === undefined ? '' : String(query.breached)}
          options={[
            { value: '', label: 'Any' },
            { value: 'true', label: 'Breached' },
            { value: 'false', label: 'Within SLA' },
          ]}
        />
        <SelectField
          name="assignee"
          label="Assignee"
          value={query.assignee ?? ''}
          options={[{ value: '', label: 'Anyone' }, { value: 'none', label: 'Unassigned' }, ...staff.map((member) => ({ value: member.userId, label: member.name }))]}
        />
        <div class="field">
          <button class="button secondary" type="submit">
            Filter
          </button>
        </div>
      </form>
      {page.data.length === 0 ? (
        <p class="muted">No tickets match.</p>
      ) : (
        <table class="data">
          <caption class="muted">
            {pagination.total} ticket{pagination.total === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Business</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">Assignee</th>
              <th scope="col">SLA</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <a href={`/console/support/tickets/${ticket.id}`}>{ticket.subject}</a>
                </td>
                <td>{ticket.tenantName}</td>
                <td>{ticket.priority}</td>
                <td>
                  <StatusBadge status={ticket.status} />
                </td>
                <td>{ticket.assigneeUserId ? (names.get(ticket.assigneeUserId) ?? 'Former staff') : 'Unassigned'}</td>
                <td>{ticket.sla.firstResponseBreached || ticket.sla.resolutionBreached ? <strong class="breached">Breached</strong> : `due ${when(ticket.sla.firstRespondedAt ? ticket.sla.resolutionDueAt : ticket.sla.firstResponseDueAt)}`}</td>
                <td>{when(ticket.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pagination.totalPages > 1 && (
        <nav class="pagination" aria-label="Pages">
          {pagination.page > 1 && <a href={href(pagination.page - 1)}>Previous</a>}
          <span>
            Page {pagination.page} of {pagination.totalPages}
          </span>
          {pagination.page < pagination.totalPages && <a href={href(pagination.page + 1)}>Next</a>}
        </nav>
      )}
    </Layout>
  );
}
