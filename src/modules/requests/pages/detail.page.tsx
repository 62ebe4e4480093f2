import { Island } from '../../../web/islands/index.ts';
import { CsrfField, FormErrorSummary, Layout, Notice, SelectField, TextArea, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { COMMENT_MAX, SCOPE_LABELS, SYNC_SCOPES } from '../domain/request.ts';
import { REQUEST_LIVE_ISLAND, RequestLive, type RequestLiveProps } from './request-live.tsx';

interface Props {
  live: RequestLiveProps;
  script: string;
  values: { body: string; syncScope: string };
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  chrome: Chrome;
}

export function DetailPage({ live, script, values, errors, formError, notice, chrome }: Props) {
  const { detail } = live;
  return (
    <Layout title={detail.title} scripts={[script]}>
      <p>
        <a href="/requests">← Requests</a>
      </p>
      <h1>{detail.title}</h1>
      <Notice text={notice} />
      <p class="request-body">{detail.body}</p>
      <Island name={REQUEST_LIVE_ISLAND} component={RequestLive} props={live} />
      {live.canWrite && detail.status !== 'pending' && (
        <section>
          <h2>Add a comment</h2>
          <FormErrorSummary errors={errors} formError={formError} />
          <form method="post" action={`/requests/${detail.id}/comments`} novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextArea name="body" label="Comment" value={values.body} error={errors.body} required maxLength={COMMENT_MAX} rows={4} />
            <SelectField name="syncScope" label="Sharing" value={values.syncScope} error={errors.syncScope} options={SYNC_SCOPES.map((scope) => ({ value: scope, label: SCOPE_LABELS[scope] }))} />
            <button class="button" type="submit">
              Comment
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}
