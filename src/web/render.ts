import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { DEFAULT_TIME_ZONE } from '../kernel/time/index.ts';
import { PageBannersContext } from './layout.tsx';
import { loadShell } from './load-shell.ts';
import { ShellContext } from './shell.ts';
import { TimeZoneContext } from './when.tsx';

/** Server-renders a full page inside the app shell; pages work without JavaScript. Times on it are on the business's clocks. */
export async function sendPage(reply: FastifyReply, page: VNode, status = 200): Promise<FastifyReply> {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(await renderPage(reply, page));
}

/** The page's HTML with the request's shell, banners and time zone around it. */
export async function renderPage(reply: FastifyReply, page: VNode): Promise<string> {
  const { pageBanners, tenant } = reply.request;
  const shell = await loadShell(reply.request, reply);
  const withTime = h(TimeZoneContext.Provider, { value: tenant?.timeZone ?? DEFAULT_TIME_ZONE }, page);
  const withBanners = h(PageBannersContext.Provider, { value: pageBanners ?? [] }, withTime);
  return `<!doctype html>${renderToString(h(ShellContext.Provider, { value: shell }, withBanners))}`;
}
