import { Layout, Notice, SelectField, type Chrome } from '../../../web/index.ts';
import { STATUS_LABELS, TICKET_STATUSES, type Page, type Ticket, type TicketListQuery } from '../domain/ticket.ts';
import { StatusBadge, when } from './parts.tsx';

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...TICKET_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))];

export function TicketListPage({ page, query, notice, canWrite, chrome }: { page: Page<Ticket>; query: TicketListQuery; notice?: string | undefined; canWrite: boolean; chrome: Chrome }) {
  const { pagination } = page;
  const href = (to: number) => `/support?${new URLSearchParams({ page: String(to), ...(query.status ? { status: query.status } : {}) }).toString()}`;
  return (
    <Layout title="Support" nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      <h1>Support</h1>
      <Notice text={notice} />
      <form class="toolbar" method="get" action="/support" role="search">
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
        <div class="field">
          <button class="button secondary" type="submit">
            Filter
          </button>
        </div>
        {canWrite && (
          <div class="field">
            <a class="button" href="/support/tickets/new">
              New ticket
            </a>
          </div>
        )}
      </form>
      {page.data.length === 0 ? (
        <p class="muted">No tickets yet.</p>
      ) : (
        <table class="data">
          <caption class="muted">
            {pagination.total} ticket{pagination.total === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <a href={`/support/tickets/${ticket.id}`}>{ticket.subject}</a>
                </td>
                <td>{ticket.priority}</td>
                <td>
                  <StatusBadge status={ticket.status} />
                </td>
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
