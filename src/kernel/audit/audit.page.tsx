import type { ActorNamer } from '../identity/index.ts';
import { DataTable, FilterBar, Layout, Pagination, SelectField, TextField, When, counted, type Chrome, type FieldErrors } from '../../web/index.ts';
import type { Page } from './domain/page.ts';
import type { AuditEventView } from './domain/audit-event.ts';
import { actionWords, entityWords, subjectOf } from './domain/audit-words.ts';

/** The filters as typed: days on the business's clocks (YYYY-MM-DD), an actor label, an action, a record kind. */
export interface AuditPageFilters {
  from: string;
  to: string;
  actor: string;
  action: string;
  entity: string;
}

interface Props {
  entries: Page<AuditEventView>;
  filters: AuditPageFilters;
  errors: FieldErrors;
  choices: { actors: readonly string[]; actions: readonly string[]; targetTypes: readonly string[] };
  nameOf: ActorNamer;
  /** The CSV of the same filters, when the actor may export the log. */
  csvHref: string | undefined;
  chrome: Chrome;
}

const anyOf = (label: string) => ({ value: '', label });

/** The business's audit log for its owners: who did what and when, in words, filtered and exported. */
export function AuditPage({ entries, filters, errors, choices, nameOf, csvHref }: Props) {
  return (
    <Layout title="Audit log">
      <h1>Audit log</h1>
      <p class="muted">Every change that matters, in the order it happened, in a tamper-evident chain.</p>
      <FilterBar action="/audit">
        <TextField name="from" label="From (day)" type="date" value={filters.from} error={errors.from} />
        <TextField name="to" label="To (day)" type="date" value={filters.to} error={errors.to} />
        <SelectField name="actor" label="Who" value={filters.actor} options={[anyOf('Anyone'), ...choices.actors.map((actor) => ({ value: actor, label: nameOf(actor) }))]} />
        <SelectField name="action" label="What" value={filters.action} options={[anyOf('Anything'), ...choices.actions.map((action) => ({ value: action, label: actionWords(action) }))]} />
        <SelectField name="entity" label="Record" value={filters.entity} options={[anyOf('Any record'), ...choices.targetTypes.map((type) => ({ value: type, label: entityWords(type) }))]} />
      </FilterBar>
      {csvHref && (
        <p>
          <a href={csvHref} download>
            Download these entries as CSV
          </a>
        </p>
      )}
      <DataTable
        rows={entries.data}
        rowKey={(entry) => entry.id}
        caption={counted(entries.pagination.total, 'entry', 'entries')}
        empty="No entries match these filters."
        columns={[
          { header: 'When', rowHeader: true, cell: (entry) => <When at={entry.occurredAt} /> },
          { header: 'Who', cell: (entry) => nameOf(entry.actor) },
          { header: 'What', cell: (entry) => actionWords(entry.action) },
          { header: 'Record', cell: (entry) => [entityWords(entry.targetType), subjectOf(entry.data)].filter(Boolean).join(': ') },
        ]}
      />
      <Pagination page={entries.pagination.page} totalPages={entries.pagination.totalPages} path="/audit" params={{ ...filters }} />
    </Layout>
  );
}
