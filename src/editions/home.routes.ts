import type { AppInstance } from '../kernel/module/index.ts';
import { FAVICON_SVG, sendPage, stylesheet } from '../web/index.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { HomePage } from './home.page.tsx';

const PUBLIC = { config: { access: 'public' }, schema: { hide: true } } as const;

export function homeRoutes(app: AppInstance): void {
  app.get('/assets/plinth.css', PUBLIC, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );
  // Browsers ask for /favicon.ico on their own; both names serve the one SVG mark.
  for (const url of ['/favicon.svg', '/favicon.ico'])
    app.get(url, PUBLIC, async (_request, reply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG));

  // Signed-in people land on their business's dashboard; the welcome page is for everyone else.
  app.get('/', PUBLIC, async (request, reply) => (request.auth ? reply.redirect('/dashboard', 303) : sendPage(reply, HomePage())));
  dashboardRoutes(app);
}
