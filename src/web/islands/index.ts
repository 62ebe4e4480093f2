import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildIslands, type IslandBuild, type IslandEntry } from './bundler.ts';

export { Island, scriptSafeJson, type IslandProps } from './island.tsx';
export { buildIslands, type IslandBuild, type IslandEntry, type BuiltAsset } from './bundler.ts';

/** Where every island bundle is served; hashed names make each URL immutable. */
export const ISLAND_ASSET_PREFIX = '/assets/islands/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** An island's client entry, declared next to the page that renders it. */
export function defineIsland(name: string, clientEntry: URL, format: IslandEntry['format'] = 'module'): IslandEntry {
  return { name, file: fileURLToPath(clientEntry), format };
}

interface IslandRegistry {
  entries: IslandEntry[];
  build: Promise<IslandBuild> | undefined;
}

// Keyed by the HTTP server, which every encapsulated Fastify context of one app shares, so modules
// registering islands from their own plugin contexts land in one registry and one asset route.
const registries = new WeakMap<object, IslandRegistry>();

function registryOf(app: FastifyInstance): IslandRegistry | undefined {
  return registries.get(app.server);
}

/**
 * Declares islands a module's pages use and, the first time for this app, the route serving
 * their bundles. Islands are built once per process on first need (page or asset request).
 */
export function useIslands(app: FastifyInstance, islands: readonly IslandEntry[]): void {
  let registry = registryOf(app);
  if (!registry) {
    registry = { entries: [], build: undefined };
    registries.set(app.server, registry);
    islandAssetRoute(app);
  }
  if (registry.build) throw new Error('islands must be declared while routes are registered, before the first build');
  for (const island of islands) {
    if (registry.entries.some((known) => known.name === island.name)) throw new Error(`island "${island.name}" is declared twice`);
    registry.entries.push(island);
  }
}

/** The app's island bundles, built on first call and kept for the life of the process. */
export function islandBuild(app: FastifyInstance): Promise<IslandBuild> {
  const registry = registryOf(app);
  if (!registry) return Promise.reject(new Error('no islands declared for this app (call useIslands)'));
  registry.build ??= buildIslands(registry.entries).catch((error: unknown) => {
    // A failed build (a syntax error while developing) is retried on the next request.
    registry.build = undefined;
    throw error;
  });
  return registry.build;
}

/** The URL of an island's client bundle, for the page's <script type="module">. */
export async function islandScriptUrl(app: FastifyInstance, name: string): Promise<string> {
  const fileName = (await islandBuild(app)).entries.get(name);
  if (!fileName) throw new Error(`unknown island "${name}"`);
  return `${ISLAND_ASSET_PREFIX}${fileName}`;
}

function islandAssetRoute(app: FastifyInstance): void {
  app.get<{ Params: { file: string } }>(
    `${ISLAND_ASSET_PREFIX}:file`,
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const asset = (await islandBuild(app)).assets.get(request.params.file);
      if (!asset) return reply.callNotFound();
      // Served from our origin as a script file: the pages' CSP (script-src 'self') allows it.
      return reply.type(asset.contentType).header('cache-control', IMMUTABLE).send(Buffer.from(asset.contents));
    },
  );
}
