import type { AppInstance } from '../kernel/module/index.ts';
import { chrome, sendPage, stylesheet } from '../web/index.ts';
import { HomePage } from './home.page.tsx';

export function homeRoutes(app: AppInstance): void {
  app.get('/assets/plinth.css', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, HomePage({ chrome: chrome(request, reply) })),
  );
}
