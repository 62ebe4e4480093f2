import { counted, CsrfField, FilterBar, FormErrorSummary, Layout, Notice, Pagination, SelectField, TextArea, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { BODY_MAX, REQUEST_STATUSES, SCOPE_LABELS, STATUS_LABELS, SYNC_SCOPES, TITLE_MAX, type Page, type RequestListQuery, type RequestSummary } from '../domain/request.ts';
import { ScopeBadge, StatusBadge } from './parts.tsx';

export interface RequestFormValues {
  title: string;
  body: string;
  syncScope: string;
}

export const EMPTY_REQUEST: RequestFormValues = { title: '', body: '', syncScope: 'private' };

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...REQUEST_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))];
const SCOPE_OPTIONS = SYNC_SCOPES.map((scope) => ({ value: scope, label: `${SCOPE_LABELS[scope]}${scope === 'private' ? ' (stays in this community)' : ' (may be shared with peer communities)'}` }));

interface Props {
  page: Page<RequestSummary>;
  query: RequestListQuery;
  values: RequestFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  canDraft: boolean;
  /** False while the sign-in is half-authenticated: new requests wait as pending. */
  verified: boolean;
  chrome: Chrome;
}

export function FeedPage({ page, query, values, errors, formError, notice, canDraft, verified, chrome }: Props) {
  const { pagination } = page;
  return (
    <Layout title="Requests">
      <h1>Requests</h1>
      <Notice text={notice} />
      {canDraft && (
        <details class="request-form" open={Object.keys(errors).length > 0 || formError !== undefined || page.data.length === 0}>
          <summary>Ask for help</summary>
          {!verified && (
            <p class="muted">
              Your sign-in is not verified yet: what you post waits as pending and is shown to others once you <a href="/verify">verify it</a>.
            </p>
          )}
          <FormErrorSummary errors={errors} formError={formError} />
          <form method="post" action="/requests" novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextField name="title" label="What do you need?" value={values.title} error={errors.title} required maxLength={TITLE_MAX} />
            <TextArea name="body" label="Details (when, where, how others can help)" value={values.body} error={errors.body} required maxLength={BODY_MAX} />
            <SelectField name="syncScope" label="Sharing" value={values.syncScope} error={errors.syncScope} options={SCOPE_OPTIONS} />
            <button class="button" type="submit">
              {verified ? 'Post request' : 'Save draft'}
            </button>
          </form>
        </details>
      )}
      <FilterBar action="/requests">
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
      </FilterBar>
      <p class="muted">{counted(pagination.total, 'request')}</p>
      {page.data.length === 0 ? (
        <p>No requests yet.</p>
      ) : (
        <ul class="request-feed">
          {page.data.map((request) => (
            <li key={request.id} class="request-card">
              <h2>
                <a href={`/requests/${request.id}`}>{request.title}</a>
              </h2>
              <p class="request-meta">
                <StatusBadge status={request.status} /> <ScopeBadge scope={request.syncScope} /> {request.author} · <When at={request.createdAt} /> · {counted(request.commentCount, 'comment')}
              </p>
              <p class="request-body">{request.body.length > 280 ? `${request.body.slice(0, 280)}…` : request.body}</p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={pagination.page} totalPages={pagination.totalPages} path="/requests" params={{ status: query.status }} />
    </Layout>
  );
}
