/**
 * Generates drizzle-kit migrations for the kernel and every module from their *.table.ts files.
 * Usage: npm run db:generate [-- --name <migration_name>]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { migrationSources } from './migration-units.ts';

const nameIndex = process.argv.indexOf('--name');
const name = nameIndex > 0 ? process.argv[nameIndex + 1] : undefined;

for (const source of migrationSources()) {
  const args = ['drizzle-kit', 'generate', '--dialect=postgresql', `--schema=${source.schemaGlob}`, `--out=${source.out}`];
  if (name) args.push(`--name=${name}`);
  process.stdout.write(`${source.id}: ${existsSync(source.out) ? 'checking' : 'creating'} ${source.out}\n`);
  execFileSync('npx', args, { stdio: 'inherit' });
}
