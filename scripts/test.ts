/**
 * `npm test`: runs node's test runner over tests/. Files named `*.unit.test.ts(x)` need no
 * database; every other file gets a real PostgreSQL (scripts/test-database.ts), which is only
 * prepared when the run includes such a file.
 *
 * Usage: npm test [-- <file or folder> ...]   (default: tests/, without tests/e2e)
 *        npm run test:unit [-- <file or folder> ...]   (only the unit files: no database, seconds)
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/kernel/config/index.ts';

const isUnitTest = (file: string) => /\.unit\.test\.tsx?$/.test(file);

async function testFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const entries = (await readdir(target, { recursive: true })) as string[];
  return entries.filter((file) => /\.test\.tsx?$/.test(file)).map((file) => path.join(target, file)).sort();
}

function runNodeTest(files: string[], env: Record<string, string>): Promise<number> {
  const concurrency = Math.max(2, os.availableParallelism());
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  const unitOnly = process.argv[2] === '--unit';
  const args = process.argv.slice(unitOnly ? 3 : 2);
  const targets = args.length > 0 ? args : ['tests'];
  const files = (await Promise.all(targets.map(testFiles)))
    .flat()
    .filter((file) => args.length > 0 || !file.split(path.sep).includes('e2e'))
    .filter((file) => !unitOnly || isUnitTest(file));
  if (files.length === 0) throw new Error(`no ${unitOnly ? 'unit ' : ''}test files under ${targets.join(', ')}`);
  if (files.every(isUnitTest)) return runNodeTest(files, {});

  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const { prepareTestDatabases } = await import('./test-database.ts');
  const server = await prepareTestDatabases(config);
  try {
    return await runNodeTest(files, server.env);
  } finally {
    await server.cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
