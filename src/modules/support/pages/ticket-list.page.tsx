import { counted, DataTable, FilterBar, Layout, Notice, Pagination, SelectField, When, type Chrome } from '../../../web/index.ts';
import { STATUS_LABELS, TICKET_STATUSES, type Page, type Ticket, type TicketListQuery } from '../domain/ticket.ts';
import { StatusBadge } from './parts.tsx';

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...TICKET_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))];

export function TicketListPage({ page, query, notice, canWrite }: { page: Page<Ticket>; query: TicketListQuery; notice?: string | undefined; canWrite: boolean; chrome: Chrome }) {
  const { pagination } = page;
  return (
    <Layout title="Support">
      <h1>Support</h1>
      <Notice text={notice} />
      <FilterBar action="/support" create={canWrite ? { href: '/support/tickets/new', label: 'New ticket' } : undefined}>
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
      </FilterBar>
      <DataTable
        rows={page.data}
        rowKey={(ticket) => ticket.id}
        caption={counted(pagination.total, 'ticket')}
        empty="No tickets yet."
        columns={[
          { header: 'Subject', cell: (ticket) => <a href={`/support/tickets/${ticket.id}`}>{ticket.subject}</a> },
          { header: 'Priority', cell: (ticket) => ticket.priority },
          { header: 'Status', cell: (ticket) => <StatusBadge status={ticket.status} /> },
          { header: 'Last activity', cell: (ticket) => <When at={ticket.updatedAt} /> },
        ]}
      />
      <Pagination page={pagination.page} totalPages={pagination.totalPages} path="/support" params={{ status: query.status }} />
    </Layout>
  );
}
