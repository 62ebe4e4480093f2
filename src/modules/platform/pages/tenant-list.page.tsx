import { TENANT_STATUSES } from '../../../kernel/tenancy/index.ts';
import { SelectField, TextField, type Chrome } from '../../../web/index.ts';
import { TENANT_PAGE_SIZE, type TenantListQuery } from '../domain/inputs.ts';
import type { TenantSummary } from '../domain/types.ts';
import { dateTime, Page } from './parts.tsx';

interface Props {
  tenants: TenantSummary[];
  total: number;
  query: TenantListQuery;
  chrome: Chrome;
}

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...TENANT_STATUSES.map((status) => ({ value: status, label: status[0]?.toUpperCase() + status.slice(1) }))];

function pageHref(query: TenantListQuery, page: number): string {
  const params = new URLSearchParams({ page: String(page) });
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  return `/console/tenants?${params.toString()}`;
}

export function TenantListPage({ tenants, total, query, chrome }: Props) {
  const pages = Math.ceil(total / TENANT_PAGE_SIZE);
  return (
    <Page title="Businesses" chrome={chrome}>
      <h1>Businesses</h1>
      <form class="toolbar" method="get" action="/console/tenants" role="search">
        <TextField name="q" label="Search name, address or owner email" type="search" value={query.q} />
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
        <div class="field">
          <button class="button secondary" type="submit">
            Filter
          </button>
        </div>
      </form>
      {tenants.length === 0 ? (
        <p class="muted">No businesses match.</p>
      ) : (
        <table class="data">
          <caption class="muted">
            {total} business{total === 1 ? '' : 'es'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Edition</th>
              <th scope="col">Status</th>
              <th scope="col">Plan</th>
              <th scope="col">Owner</th>
              <th scope="col">Signed up</th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((tenant) => (
              <tr key={tenant.id}>
                <td>
                  <a href={`/console/tenants/${tenant.id}`}>{tenant.name}</a>
                </td>
                <td>
                  <code>{tenant.slug}</code>
                </td>
                <td>{tenant.edition}</td>
                <td>
                  <span class="badge">{tenant.status}</span>
                </td>
                <td>{tenant.planKey ?? '—'}</td>
                <td>{tenant.ownerEmail ?? '—'}</td>
                <td>{dateTime(tenant.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav class="pagination" aria-label="Pages">
          {query.page > 1 && <a href={pageHref(query, query.page - 1)}>Previous</a>}
          <span>
            Page {query.page} of {pages}
          </span>
          {query.page < pages && <a href={pageHref(query, query.page + 1)}>Next</a>}
        </nav>
      )}
    </Page>
  );
}
