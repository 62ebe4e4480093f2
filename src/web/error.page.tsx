import type { FastifyReply } from 'fastify';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ErrorEnvelope } from '../kernel/errors.ts';
import { Layout } from './layout.tsx';
import { renderPage } from './render.ts';
import { ShellContext, SIGNED_OUT_SHELL } from './shell.ts';

const TITLES: Record<number, string> = { 400: 'That did not work', 401: 'Please sign in', 403: 'Not allowed', 404: 'Page not found', 409: 'That clashes', 429: 'Slow down' };

const MISSING_PAGE = 'There is no page at this address. The link may be mistyped or out of date, or the page is not part of what your business uses.';

interface ErrorView {
  status: number;
  envelope: ErrorEnvelope;
  missingRoute: boolean;
}

function ErrorPage({ status, envelope, missingRoute }: ErrorView) {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'That did not work');
  const requestId = (envelope.error.details as { requestId?: unknown } | undefined)?.requestId;
  return (
    <Layout title={title}>
      <div class="empty-state">
        <h1>{title}</h1>
        <p>{missingRoute ? MISSING_PAGE : envelope.error.message}</p>
        {typeof requestId === 'string' && <p class="muted">Reference: {requestId}</p>}
        <p class="button-row">
          <a class="button" href="/">
            Go to the start page
          </a>
          {status === 403 && (
            <a class="button secondary" href="/account">
              Your account and businesses
            </a>
          )}
        </p>
      </div>
    </Layout>
  );
}

/**
 * The HTML twin of the error envelope, inside the app shell of whoever asked. When even the shell
 * cannot be loaded (the database is down), the page still renders, signed-out.
 */
export async function renderErrorPage(reply: FastifyReply, error: ErrorView): Promise<string> {
  const page = ErrorPage(error);
  try {
    return await renderPage(reply, page);
  } catch (cause) {
    reply.request.log.error({ err: cause }, 'could not render the app shell of an error page');
    return `<!doctype html>${renderToString(h(ShellContext.Provider, { value: SIGNED_OUT_SHELL }, page))}`;
  }
}
