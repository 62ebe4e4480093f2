import { createHash } from 'node:crypto';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';

/**
 * Client bundles for islands, built with esbuild's JS API inside the server process.
 *
 * Why at runtime and not in a build step: the server runs its TypeScript sources directly (tsx),
 * so there is no build step to hang a bundler on. Building on first use gives dev, CI and
 * production one and the same path — no dist/ folder that can go stale against the sources, no
 * "forgot to run the bundler" failures — for a cost of a few hundred milliseconds once per
 * process. Output names carry a content hash, so every URL can be cached forever and a change of
 * source gives a new URL.
 */

/** A client entry: `name` becomes the public file name (`<name>.<hash>.js`). */
export interface IslandEntry {
  name: string;
  /** Absolute path of the client entry file (.ts/.tsx). */
  file: string;
  /**
   * `module` (default): ES module sharing chunks (Preact) with the other islands, loaded with
   * `<script type="module">`. `classic`: one self-contained script with no imports, for service
   * workers, which browsers run as classic scripts unless registered as modules.
   */
  format?: 'module' | 'classic';
}

export interface BuiltAsset {
  /** `register.1a2b3c4d.js` — also the URL path under /assets/islands/. */
  fileName: string;
  contents: Uint8Array;
  contentType: string;
}

export interface IslandBuild {
  /** Public file name of each entry, by entry name. */
  entries: ReadonlyMap<string, string>;
  /** Every output (entries and shared chunks), by public file name. */
  assets: ReadonlyMap<string, BuiltAsset>;
  /** Hash over every output: changes when any island changes (versions the service worker cache). */
  version: string;
}

const OUT_DIR = '/islands-out';
const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json; charset=utf-8' };

/** Builds every entry: module islands in one esbuild run (shared chunks), classic ones one run each. */
export async function buildIslands(entries: readonly IslandEntry[]): Promise<IslandBuild> {
  const names = new Set<string>();
  for (const entry of entries) {
    if (!/^[a-z][a-z0-9-]*$/.test(entry.name)) throw new Error(`island name "${entry.name}" must be lower-case letters, digits and -`);
    if (names.has(entry.name)) throw new Error(`two islands are named "${entry.name}"`);
    names.add(entry.name);
  }
  const modules = entries.filter((entry) => (entry.format ?? 'module') === 'module');
  const classics = entries.filter((entry) => entry.format === 'classic');
  const runs = [
    ...(modules.length > 0 ? [bundle(modules, 'module')] : []),
    ...classics.map((entry) => bundle([entry], 'classic')),
  ];
  const results = await Promise.all(runs);
  const entryFiles = new Map<string, string>();
  const assets = new Map<string, BuiltAsset>();
  for (const result of results) {
    for (const [name, fileName] of result.entries) entryFiles.set(name, fileName);
    for (const [fileName, asset] of result.assets) assets.set(fileName, asset);
  }
  const version = createHash('sha256')
    .update([...assets.keys()].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { entries: entryFiles, assets, version };
}

async function bundle(entries: readonly IslandEntry[], format: 'module' | 'classic'): Promise<{ entries: Map<string, string>; assets: Map<string, BuiltAsset> }> {
  const result = await build({
    entryPoints: Object.fromEntries(entries.map((entry) => [entry.name, entry.file])),
    bundle: true,
    minify: true,
    format: format === 'module' ? 'esm' : 'iife',
    splitting: format === 'module',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name].[hash]',
    chunkNames: 'chunk.[hash]',
    outdir: OUT_DIR,
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    // Client code never reads server configuration; this keeps libraries on their production path.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const assets = new Map<string, BuiltAsset>();
  for (const output of result.outputFiles) {
    const fileName = path.relative(OUT_DIR, output.path).split(path.sep).join('/');
    assets.set(fileName, { fileName, contents: output.contents, contentType: CONTENT_TYPES[path.extname(fileName)] ?? 'application/octet-stream' });
  }
  return { entries: entryFileNames(result.metafile, entries), assets };
}

function entryFileNames(metafile: Metafile, entries: readonly IslandEntry[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const [outputPath, output] of Object.entries(metafile.outputs)) {
    if (!output.entryPoint) continue;
    // Metafile paths are relative to the working directory esbuild ran in.
    const fileName = path.relative(OUT_DIR, path.resolve(outputPath)).split(path.sep).join('/');
    const entry = entries.find((candidate) => path.resolve(candidate.file) === path.resolve(output.entryPoint as string));
    if (entry) byName.set(entry.name, fileName);
  }
  for (const entry of entries) if (!byName.has(entry.name)) throw new Error(`island "${entry.name}" produced no output`);
  return byName;
}
