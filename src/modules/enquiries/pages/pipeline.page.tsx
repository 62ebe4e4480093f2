import { counted, DataTable, FilterBar, Layout, Notice, Pagination, SelectField, When } from '../../../web/index.ts';
import { ENQUIRY_KINDS, ENQUIRY_STATUSES, KIND_LABELS, STATUS_LABELS, type EnquiryListQuery } from '../domain/enquiry.ts';
import type { EnquiryPage } from '../enquiry.service.ts';

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...ENQUIRY_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))];
const KIND_OPTIONS = [{ value: '', label: 'Enquiries and access requests' }, ...ENQUIRY_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))];

/** The staff pipeline of enquiries and access requests from the public site. */
export function PipelinePage({ page, query, notice, publicPath }: { page: EnquiryPage; query: EnquiryListQuery; notice?: string | undefined; publicPath: string }) {
  const { pagination } = page;
  return (
    <Layout title="Enquiries">
      <h1>Enquiries</h1>
      <Notice text={notice} />
      <p class="muted">
        Your public forms: <a href={publicPath}>{publicPath}</a> and <a href={publicPath.replace(/enquire$/, 'request-access')}>{publicPath.replace(/enquire$/, 'request-access')}</a>
      </p>
      <FilterBar action="/enquiries">
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
        <SelectField name="kind" label="Kind" value={query.kind ?? ''} options={KIND_OPTIONS} />
      </FilterBar>
      <DataTable
        rows={page.data}
        rowKey={(enquiry) => enquiry.id}
        caption={counted(pagination.total, 'enquiry', 'enquiries')}
        empty="No enquiries here."
        columns={[
          { header: 'From', rowHeader: true, cell: (enquiry) => <a href={`/enquiries/${enquiry.id}`}>{enquiry.name}</a> },
          { header: 'Kind', cell: (enquiry) => KIND_LABELS[enquiry.kind] },
          { header: 'Status', cell: (enquiry) => STATUS_LABELS[enquiry.status] },
          { header: 'Received', cell: (enquiry) => <When at={enquiry.createdAt} /> },
        ]}
      />
      <Pagination page={pagination.page} totalPages={pagination.totalPages} path="/enquiries" params={{ status: query.status, kind: query.kind }} />
    </Layout>
  );
}
