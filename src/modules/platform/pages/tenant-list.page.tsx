import { TENANT_STATUSES } from '../../../kernel/tenancy/index.ts';
import { counted, DataTable, FilterBar, Pagination, SelectField, TextField, When, type Chrome } from '../../../web/index.ts';
import { TENANT_PAGE_SIZE, type TenantListQuery } from '../domain/inputs.ts';
import type { TenantSummary } from '../domain/types.ts';
import { Page } from './parts.tsx';

interface Props {
  tenants: TenantSummary[];
  total: number;
  query: TenantListQuery;
  chrome: Chrome;
}

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...TENANT_STATUSES.map((status) => ({ value: status, label: status[0]?.toUpperCase() + status.slice(1) }))];

export function TenantListPage({ tenants, total, query, chrome }: Props) {
  return (
    <Page title="Businesses" chrome={chrome}>
      <h1>Businesses</h1>
      <FilterBar action="/console/tenants">
        <TextField name="q" label="Search name, address or owner email" type="search" value={query.q} />
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
      </FilterBar>
      <DataTable
        rows={tenants}
        rowKey={(tenant) => tenant.id}
        caption={counted(total, 'business', 'businesses')}
        empty="No businesses match."
        columns={[
          { header: 'Name', cell: (tenant) => <a href={`/console/tenants/${tenant.id}`}>{tenant.name}</a> },
          { header: 'Address', cell: (tenant) => <code>{tenant.slug}</code> },
          { header: 'Edition', cell: (tenant) => tenant.edition },
          { header: 'Status', cell: (tenant) => <span class="badge">{tenant.status}</span> },
          { header: 'Plan', cell: (tenant) => tenant.planKey ?? '—' },
          { header: 'Owner', cell: (tenant) => tenant.ownerEmail ?? '—' },
          { header: 'Signed up', cell: (tenant) => <When at={tenant.createdAt} /> },
        ]}
      />
      <Pagination page={query.page} totalPages={Math.ceil(total / TENANT_PAGE_SIZE)} path="/console/tenants" params={{ q: query.q, status: query.status }} />
    </Page>
  );
}
