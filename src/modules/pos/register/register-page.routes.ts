import { createHash } from 'node:crypto';
import { listMembers } from '../../../kernel/access/index.ts';
import { serviceContext } from '../../../kernel/http/index.ts';
import type { ServiceContext } from '../../../kernel/context.ts';
import type { AppInstance } from '../../../kernel/module/index.ts';
import { chrome, sendPage } from '../../../web/index.ts';
import { defineIsland, islandBuild, islandScriptUrl, ISLAND_ASSET_PREFIX, scriptSafeJson, useIslands } from '../../../web/islands/index.ts';
import { listProducts } from '../../catalog/index.ts';
import { listRegisters } from '../register.service.ts';
import { REGISTER_CSS_PATH, REGISTER_ISLAND, REGISTER_PATH, REGISTER_SW_ISLAND, REGISTER_SW_PATH, type ProductSummary, type RegisterBootstrap } from './bootstrap.ts';
import { registerStylesheet } from './register.css.ts';
import { RegisterPage } from './register.page.tsx';

export const registerIsland = defineIsland(REGISTER_ISLAND, new URL('./register.client.tsx', import.meta.url));
export const registerServiceWorker = defineIsland(REGISTER_SW_ISLAND, new URL('./service-worker.ts', import.meta.url), 'classic');

/** Selling at a till; the same permission the sale API asks for. */
export const REGISTER_PERMISSION = 'pos.sale.create';
/** A till rarely carries more; the cap keeps the page (and its IndexedDB copy) bounded. */
const PRODUCT_PAGES_MAX = 20;
const CSS_HASH = createHash('sha256').update(registerStylesheet).digest('hex').slice(0, 12);

/** The register page, its stylesheet and its service worker. */
export function registerPageRoutes(app: AppInstance): void {
  useIslands(app, [registerIsland, registerServiceWorker]);

  app.get(REGISTER_PATH, { config: { access: { permission: REGISTER_PERMISSION } }, schema: { hide: true } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const page = chrome(request, reply);
    const [registers, members, products, scriptUrl] = await Promise.all([listRegisters(ctx), listMembers(ctx), activeProducts(ctx), islandScriptUrl(app, REGISTER_ISLAND)]);
    const bootstrap: RegisterBootstrap = {
      tenantSlug: request.tenant?.slug ?? '',
      tenantName: request.tenant?.name ?? '',
      csrfToken: page.csrfToken,
      generatedAt: new Date().toISOString(),
      registers: registers
        .filter((register) => register.archivedAt === null)
        .map(({ id, name, code, deviceId, openShiftId, currency, pricesIncludeTax, taxRates, defaultTaxCode, maxDiscountBp }) => ({
          id,
          name,
          code,
          deviceId,
          openShiftId,
          currency,
          pricesIncludeTax,
          taxRates,
          defaultTaxCode,
          maxDiscountBp,
        })),
      // Whoever may sign in at the till picks their name; the PIN (checked by the server) proves it.
      staff: members.filter((member) => member.status === 'active').map(({ userId, displayName }) => ({ userId, displayName })),
      products,
    };
    return sendPage(reply, RegisterPage({ bootstrap, scriptUrl }));
  });

  app.get(REGISTER_CSS_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(registerStylesheet),
  );

  // A stable URL (a worker's URL is its identity); no-cache so browsers look for a new version on every visit.
  app.get(REGISTER_SW_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const build = await islandBuild(app);
    const workerFile = build.entries.get(REGISTER_SW_ISLAND);
    const workerCode = workerFile ? build.assets.get(workerFile) : undefined;
    if (!workerFile || !workerCode) throw new Error('the register service worker was not built');
    const assets = ['/assets/plinth.css', REGISTER_CSS_PATH, ...[...build.assets.keys()].filter((file) => file !== workerFile).map((file) => `${ISLAND_ASSET_PREFIX}${file}`)];
    const shell = { version: `${build.version}-${CSS_HASH}`, shellUrl: REGISTER_PATH, assets };
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(`self.__PLINTH_REGISTER_SHELL__=${scriptSafeJson(shell)};\n${Buffer.from(workerCode.contents).toString('utf8')}`);
  });
}

async function activeProducts(ctx: ServiceContext): Promise<ProductSummary[]> {
  const products: ProductSummary[] = [];
  for (let page = 1; page <= PRODUCT_PAGES_MAX; page++) {
    const { data, pagination } = await listProducts(ctx, { page, pageSize: 100, status: 'active' });
    products.push(...data.map(({ id, name, sku, barcode, category, imageUrl, priceMinor, currency }) => ({ id, name, sku, barcode, category, imageUrl, priceMinor, currency })));
    if (page >= pagination.totalPages) break;
  }
  return products;
}
