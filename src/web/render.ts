import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { DEFAULT_TIME_ZONE } from '../kernel/time/index.ts';
import { PageBannersContext } from './layout.tsx';
import { TimeZoneContext } from './when.tsx';

/** Server-renders a full page; pages work without JavaScript. Times on it are on the business's clocks. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const { pageBanners, tenant } = reply.request;
  const withTime = h(TimeZoneContext.Provider, { value: tenant?.timeZone ?? DEFAULT_TIME_ZONE }, page);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(h(PageBannersContext.Provider, { value: pageBanners ?? [] }, withTime))}`);
}
