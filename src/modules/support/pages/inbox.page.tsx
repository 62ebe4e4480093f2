import { counted, DataTable, FilterBar, Layout, Pagination, SelectField, When, type Chrome } from '../../../web/index.ts';
import { STATUS_LABELS, TICKET_PRIORITIES, TICKET_STATUSES, type InboxQuery, type Page } from '../domain/ticket.ts';
import type { InboxItem } from '../staff.service.ts';
import { StatusBadge } from './parts.tsx';

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
export function InboxPage({ page, query, staff }: Props) {
  const { pagination } = page;
  const names = new Map(staff.map((member) => [member.userId, member.name]));
  return (
    <Layout title="Support inbox">
      <h1>Support inbox</h1>
      <FilterBar action="/console/support">
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
      </FilterBar>
      <DataTable
        rows={page.data}
        rowKey={(ticket) => ticket.id}
        caption={counted(pagination.total, 'ticket')}
        empty="No tickets match."
        columns={[
          { header: 'Subject', cell: (ticket) => <a href={`/console/support/tickets/${ticket.id}`}>{ticket.subject}</a> },
          { header: 'Business', cell: (ticket) => ticket.tenantName },
          { header: 'Priority', cell: (ticket) => ticket.priority },
          { header: 'Status', cell: (ticket) => <StatusBadge status={ticket.status} /> },
          { header: 'Assignee', cell: (ticket) => (ticket.assigneeUserId ? (names.get(ticket.assigneeUserId) ?? 'Former staff') : 'Unassigned') },
          {
            header: 'SLA',
            cell: (ticket) =>
              ticket.sla.firstResponseBreached || ticket.sla.resolutionBreached ? <strong class="breached">Breached</strong> : <>due <When at={ticket.sla.firstRespondedAt ? ticket.sla.resolutionDueAt : ticket.sla.firstResponseDueAt} /></>,
          },
          { header: 'Last activity', cell: (ticket) => <When at={ticket.updatedAt} /> },
        ]}
      />
      <Pagination page={pagination.page} totalPages={pagination.totalPages} path="/console/support" params={filterParams(query)} />
    </Layout>
  );
}
