// @ts-check
import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The kernel's layers, lowest first (DESIGN.md §1, refined by the real imports): a file imports its
 * own layer and those below, never one above. A file belongs to the first layer whose pattern
 * matches its path. Every part's HTTP face (routes, pages, manifest) sits above http/ and web/, while
 * its services and tables sit low: what the guard and the journal need (tenants, users, roles, the
 * outbox) must not reach back into the routes that use them. Tables sit just above db/ because
 * foreign keys cross parts. Import cycles, which a layer allows inside itself, are caught by
 * `npm run lint:cycles`.
 */
const KERNEL_LAYERS = [
  ['errors and context (leaves)', /^src\/kernel\/(errors|context)\.ts$/],
  ['config', /^src\/kernel\/config\//],
  ['observability, secrets, money, time, text', /^src\/kernel\/(observability|secrets|money|time|text)\//],
  ['db', /^src\/kernel\/db\//],
  ['tables', /^src\/kernel\/.*\.table\.ts$/],
  ['journal', /^src\/kernel\/journal\//],
  ['tenancy', /^src\/kernel\/tenancy\/(?!backup\/|manifest\.ts$)/],
  // What manifests and editions are made of: event handlers, schedules, role templates.
  ['module', /^src\/kernel\/(module\/|jobs\/(types|define-events)\.ts$|access\/templates\.ts$)/],
  ['audit, jobs, identity', /^src\/kernel\/(audit|jobs|identity)\/(?!.*\.(routes|pages)\.ts$|.*\.page\.tsx$|manifest\.ts$)/],
  ['access, notify, business, backups', /^src\/kernel\/(access\/|notify\/|business\/|tenancy\/backup\/)(?!.*\.(routes|pages)\.ts$|.*\.page\.tsx$|manifest\.ts$)/],
  ['http', /^src\/kernel\/http\//],
  ['web', /^src\/web\//],
  ['routes, pages and manifests of the parts above; realtime', /^src\/kernel\/(?!auth\/|payments\/|webhooks\/)([^/]+\/.*\.(routes|pages)\.ts|[^/]+\/.*\.page\.tsx|[^/]+\/manifest\.ts|realtime\/.*)$/],
  ['auth, payments, webhooks, the kernel module list', /^src\/kernel\/(auth\/|payments\/|webhooks\/|modules\.ts$)/],
];

/**
 * import-x/no-restricted-paths zones for KERNEL_LAYERS: for each layer, its files may not import the
 * files of any layer above it. The zones list files, not globs, because a layer is "the first
 * pattern that matches", which globs cannot say.
 */
function kernelLayerZones() {
  const files = readdirSync(path.join(import.meta.dirname, 'src'), { recursive: true })
    .map((file) => `src/${String(file).split(path.sep).join('/')}`)
    .filter((file) => /\.tsx?$/.test(file) && /^src\/(kernel|web)\//.test(file));
  const layerOf = (file) => {
    const index = KERNEL_LAYERS.findIndex(([, pattern]) => pattern.test(file));
    if (index < 0) throw new Error(`${file} is in no kernel layer: place it in KERNEL_LAYERS (eslint.config.js).`);
    return index;
  };
  const byLayer = KERNEL_LAYERS.map((_, index) => files.filter((file) => layerOf(file) === index));
  return KERNEL_LAYERS.flatMap(([name], index) => {
    const above = byLayer.slice(index + 1).flat();
    if (byLayer[index].length === 0 || above.length === 0) return [];
    const order = KERNEL_LAYERS.map(([layer]) => layer).join(' → ');
    return [{ target: byLayer[index], from: above, message: ` Layer "${name}" imports no layer above it (${order}).` }];
  });
}

/**
 * A module reaches another module only through its index.ts. For a file `depth` folders below
 * src/modules/<id>/, a sibling module is reached by climbing depth + 1 levels.
 */
function moduleBoundaryRule(depth) {
  const up = '\\.\\./'.repeat(depth);
  return {
    files: [`src/modules/*/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^${up}(?!\\.\\.|kernel/|web/)[^/]+/(?!index\\.ts$)`, message: "Import another module through its index.ts only." },
            { group: ['**/editions/**'], message: 'Modules do not import editions.' },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '**/migrations/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `interface EventMap extends PayloadsOf<…> {}`: how an events.ts adds its events (declaration merging).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through src/kernel/config only.' }],
    },
  },
  {
    // The kernel imports no module and no edition.
    files: ['src/kernel/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**', '**/editions/**'], message: 'The kernel imports no module or edition.' }] }],
    },
  },
  ...[1, 2, 3].map(moduleBoundaryRule),
  {
    files: ['src/kernel/**/*.{ts,tsx}', 'src/web/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx'] })] },
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: kernelLayerZones() }] },
  },
  {
    // `npm run test:unit` runs these without a database: they may not reach for one.
    files: ['tests/**/*.unit.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'pg', message: 'A unit test needs no database; name it *.test.ts instead.' }],
          patterns: [
            {
              regex: '/support/(app|database|identity|members|catalog)\\.ts$|/kernel/db/',
              message: 'A unit test needs no database; name it *.test.ts instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/kernel/config/**', 'scripts/**', 'tests/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
