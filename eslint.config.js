// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/kernel/config/**', 'scripts/**', 'tests/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
