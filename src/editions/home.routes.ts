import { z } from 'zod';
import type { Config } from '../kernel/config/index.ts';
import type { AppInstance } from '../kernel/module/index.ts';
import { findTenantBySlug, listTenants, PLATFORM_TENANT_ID, TENANT_COOKIE } from '../kernel/tenancy/index.ts';
import { chrome, sendPage, stylesheet } from '../web/index.ts';
import { HomePage } from './home.page.tsx';

/** Only same-site paths may be redirect targets, never another origin. */
const safeNext = (value: unknown) =>
  typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 512 ? value : '/catalog/products';

export function homeRoutes(app: AppInstance, config: Config): void {
  app.get('/assets/plinth.css', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const tenants = config.demo
      ? (await listTenants(app.db)).filter((tenant) => tenant.status === 'active' && tenant.id !== PLATFORM_TENANT_ID)
      : [];
    const next = safeNext((request.query as Record<string, unknown>).next);
    return sendPage(reply, HomePage({ tenants, demo: config.demo, next, ...chrome(request) }));
  });

  // Demo-only tenant picker; sign-in replaces it when identity lands.
  if (config.demo) {
    app.post(
      '/tenant/select',
      { config: { access: 'public' }, schema: { hide: true, body: z.object({ slug: z.string().max(63), next: z.string().optional() }) } },
      async (request, reply) => {
        const tenant = await findTenantBySlug(app.db, request.body.slug);
        if (!tenant || tenant.status !== 'active') return reply.redirect('/', 303);
        reply.setCookie(TENANT_COOKIE, tenant.slug, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
        return reply.redirect(safeNext(request.body.next), 303);
      },
    );
  }
}
