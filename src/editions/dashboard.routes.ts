import type { FastifyRequest } from 'fastify';
import { serviceContext } from '../kernel/http/index.ts';
import type { AppInstance } from '../kernel/module/index.ts';
import { PLATFORM_TENANT_ID } from '../kernel/tenancy/index.ts';
import { sendPage, type LoadedCard, type NavLink } from '../web/index.ts';
import { DashboardPage } from './dashboard.page.tsx';

/** The one next step a dashboard offers, the first its viewer may take. */
const PRIMARY_ACTIONS: readonly (NavLink & { permission: string; module: string })[] = [
  { label: 'Open the register', href: '/pos/register', permission: 'pos.sale.create', module: 'pos' },
  { label: 'Add a product', href: '/catalog/products/new', permission: 'catalog.product.write', module: 'catalog' },
];
const CONSOLE_ACTION = { label: 'Review businesses', href: '/console/tenants' };

/**
 * The cards of the modules the business may use, that the member may see, in their order; each is
 * loaded on its own, so one failing card leaves the others.
 */
async function loadCards(request: FastifyRequest, area: 'business' | 'platform'): Promise<LoadedCard[]> {
  const ctx = serviceContext(request);
  const cards = [...request.server.dashboardCards]
    .filter((card) => card.area === area && request.permissions.has(card.permission) && request.entitledModules.has(card.module))
    .sort((a, b) => a.order - b.order);
  return Promise.all(
    cards.map(async (card) => {
      const content = await card.load(ctx).catch((error: unknown) => {
        request.log.error({ err: error, card: card.id }, 'could not load a dashboard card');
        return null;
      });
      return { id: card.id, title: card.title, wide: card.wide ?? false, content };
    }),
  );
}

export function dashboardRoutes(app: AppInstance): void {
  app.get('/dashboard', { config: { access: 'authenticated' }, schema: { hide: true } }, async (request, reply) => {
    const tenant = request.tenant;
    if (!tenant) return sendPage(reply, DashboardPage({ businessName: null, console: false, cards: [], action: undefined }));
    const isConsole = tenant.id === PLATFORM_TENANT_ID;
    const action = isConsole
      ? CONSOLE_ACTION
      : PRIMARY_ACTIONS.find((candidate) => request.permissions.has(candidate.permission) && request.entitledModules.has(candidate.module));
    const cards = await loadCards(request, isConsole ? 'platform' : 'business');
    return sendPage(reply, DashboardPage({ businessName: tenant.name, console: isConsole, cards, action: action && { label: action.label, href: action.href } }));
  });
}
