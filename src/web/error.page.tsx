import { renderToString } from 'preact-render-to-string';
import { Layout } from './layout.tsx';

const TITLES: Record<number, string> = { 400: 'That did not work', 401: 'Please sign in', 403: 'Not allowed', 404: 'Not found', 409: 'That clashes', 429: 'Slow down' };

/** The HTML twin of the error envelope, for people browsing pages. */
export function renderErrorPage(status: number, envelope: { error: { code: string; message: string; details?: unknown } }): string {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'That did not work');
  const requestId = (envelope.error.details as { requestId?: unknown } | undefined)?.requestId;
  return `<!doctype html>${renderToString(
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{envelope.error.message}</p>
      {typeof requestId === 'string' && <p class="muted">Reference: {requestId}</p>}
      <p>
        <a href="/">Back to the start page</a>
      </p>
    </Layout>,
  )}`;
}
