import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../kernel/config/index.ts';
import { DataFolderLockedError } from '../kernel/db/index.ts';
import { ModuleGraphError } from '../kernel/module/index.ts';
import { createLogger } from '../kernel/observability/logger.ts';
import { closeOnSignals, openRuntime, serve, startBackgroundWork, type BackgroundWork } from '../main.ts';
import { auditCommand } from './audit.ts';
import { backupCommand } from './backup.ts';
import { mutualaidCommand, sessionCommand } from './mutualaid.ts';
import { printBanner } from './banner.ts';
import { SETUP_USAGE, setupCommand } from './setup.ts';

const USAGE = `Usage: plinth <command> [options]

Commands:
  serve [--demo] [--no-worker]
                   start the server (embedded PostgreSQL unless DATABASE_URL is set);
                   --demo creates demo tenants and data for every served edition;
                   the outbox dispatcher and job workers run in-process unless --no-worker
  worker           run the outbox dispatcher, job workers and schedules only (no HTTP)
  migrate          apply pending database migrations and exit
  audit verify [--tenant <slug>]
                   check the audit hash chain of one tenant or all; exits 1 when one is broken
  backup export --tenant <slug> --out <file>
                   write a logical backup of one business (gzip JSON lines)
  backup restore <file> [--slug <slug>] [--name <name>]
                   restore a backup into a new, suspended business and check it; exits 1 if refused
  mutualaid create-admin --tenant <slug> --email <address> [--name <community>] [--username <name>]
                   a community's first administrator (creates the community if missing); idempotent
  session list|approve|deny [<sign-in id>] --tenant <slug>
                   sign-ins of a community awaiting verification, and deciding them
  setup --business-name <name> --slug <slug> --admin-name <name> --admin-email <email> --admin-password-file <file> …
                   the first run of a single-business install (PLINTH_MODE=single); \`plinth setup --help\` lists every flag
  help             show this text

Configuration comes from environment variables; see .env.example.`;

async function serveCommand(config: Config, withWorker: boolean): Promise<void> {
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  const started: { server?: Awaited<ReturnType<typeof serve>>; background?: BackgroundWork } = {};
  closeOnSignals(
    async () => {
      await started.server?.app.close();
      await started.background?.stop();
      await runtime.close();
    },
    log,
    config.shutdownTimeoutMs,
  );
  started.server = await serve(runtime);
  if (withWorker) started.background = await startBackgroundWork(runtime);
  printBanner(started.server, runtime);
}

/** `plinth worker`: the dispatcher and workers as a process of their own; SIGTERM lets running jobs finish. */
async function workerCommand(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  const started: { background?: BackgroundWork } = {};
  closeOnSignals(
    async () => {
      await started.background?.stop();
      await runtime.close();
    },
    log,
    config.shutdownTimeoutMs,
  );
  started.background = await startBackgroundWork(runtime);
  process.stdout.write(`Plinth worker running: ${started.background.handlers} event handlers, ${started.background.schedules} schedules, notification delivery\n`);
}

async function migrateCommand(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  await runtime.close();
  process.stdout.write(`Migrations applied: ${runtime.plan.migrationUnits.map((unit) => unit.id).join(', ')}\n`);
}

export async function main(argv: string[]): Promise<number> {
  // setup has flags of its own (see setup.ts).
  if (argv[0] === 'setup') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${SETUP_USAGE}\n`);
      return 0;
    }
    return setupCommand(loadConfig(), argv.slice(1));
  }
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      tenant: { type: 'string' },
      out: { type: 'string' },
      slug: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      username: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  if (values.demo) config.demo = true;
  if (command === 'serve') await serveCommand(config, !values['no-worker']);
  else if (command === 'worker') await workerCommand(config);
  else if (command === 'migrate') await migrateCommand(config);
  else if (command === 'audit') return auditCommand(config, positionals.slice(1), { tenant: values.tenant });
  else if (command === 'backup') return backupCommand(config, positionals.slice(1), { tenant: values.tenant, out: values.out, slug: values.slug, name: values.name });
  else if (command === 'mutualaid') return mutualaidCommand(config, positionals.slice(1), values);
  else if (command === 'session') return sessionCommand(config, positionals.slice(1), values);
  else {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
    return 2;
  }
  return 0;
}

/** Start-up problems a person can fix get one clear line, not a stack trace. */
const EXPECTED = [ConfigError, DataFolderLockedError, ModuleGraphError];

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    if (EXPECTED.some((kind) => error instanceof kind)) process.stderr.write(`plinth: ${(error as Error).message}\n`);
    else process.stderr.write(`plinth: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
