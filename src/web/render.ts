import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageBannersContext } from './layout.tsx';

/** Server-renders a full page; pages work without JavaScript. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(h(PageBannersContext.Provider, { value: reply.request.pageBanners ?? [] }, page))}`);
}
