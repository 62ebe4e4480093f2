import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../kernel/config/index.ts';
import { AppError } from '../kernel/errors.ts';
import { passwordPolicyOf } from '../kernel/identity/index.ts';
import { declaredPermissions } from '../kernel/module/index.ts';
import { createLogger } from '../kernel/observability/logger.ts';
import { installFoldersOf, runSetup, setupInput } from '../modules/setup/index.ts';
import { openRuntime } from '../main.ts';

export const SETUP_USAGE = `Usage: plinth setup --business-name <name> --slug <short-name> --admin-name <name> --admin-email <email>
                    --admin-password-file <file, or - for standard input> [--time-zone <IANA zone>] [--currency <ISO code>]
                    [--tax <CODE:Label:percent>]... [--default-tax <CODE>] [--prices-exclude-tax]
                    [--receipt-prefix <R>] [--invoice-prefix <INV>]
The first run of a single-business install (PLINTH_MODE=single), for installers: the same setup as /setup,
without the setup code (whoever runs this already controls the machine). Exits 1 when refused (already set up: 3).`;

const OPTIONS = {
  'business-name': { type: 'string' },
  slug: { type: 'string' },
  'time-zone': { type: 'string', default: 'UTC' },
  'admin-name': { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-password-file': { type: 'string' },
  currency: { type: 'string', default: 'EUR' },
  tax: { type: 'string', multiple: true },
  'default-tax': { type: 'string' },
  'prices-exclude-tax': { type: 'boolean', default: false },
  'receipt-prefix': { type: 'string', default: 'R' },
  'invoice-prefix': { type: 'string', default: 'INV' },
} as const;

/** `CODE:Label:21` or `CODE:Label:5.5` → a tax rate in basis points (NaN fails the schema's integer check). */
function taxRateOf(flag: string): { code: string; label: string; rateBp: number } {
  const [code = '', label = '', percent = ''] = flag.split(':');
  return { code, label, rateBp: /^\d{1,3}(\.\d{1,2})?$/.test(percent) ? Math.round(Number(percent) * 100) : Number.NaN };
}

const readPassword = async (file: string): Promise<string> => (file === '-' ? await readStdin() : await readFile(file, 'utf8')).replace(/\r?\n$/, '');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `plinth setup …`: runs the first-run setup from flags (the password from a file, never the command line). */
export async function setupCommand(config: Config, argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${SETUP_USAGE}\n`);
    return 2;
  }
  if (config.mode !== 'single') {
    process.stderr.write('plinth setup is for single-business installs: set PLINTH_MODE=single (hosted installs create businesses in the console).\n');
    return 2;
  }
  if (!values['admin-password-file']) {
    process.stderr.write(`--admin-password-file is required.\n${SETUP_USAGE}\n`);
    return 2;
  }
  const taxes = (values.tax ?? ['STD:Standard:21']).map(taxRateOf);
  const parsed = setupInput.safeParse({
    businessName: values['business-name'],
    slug: values.slug,
    timeZone: values['time-zone'],
    adminName: values['admin-name'],
    adminEmail: values['admin-email'],
    adminPassword: await readPassword(values['admin-password-file']),
    currency: values.currency,
    pricesIncludeTax: !values['prices-exclude-tax'],
    taxRates: taxes,
    defaultTaxCode: values['default-tax'] ?? taxes[0]?.code,
    receiptPrefix: values['receipt-prefix'],
    invoicePrefix: values['invoice-prefix'],
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`${issue.path.join('.') || 'input'}: ${issue.message}\n`);
    return 2;
  }
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  try {
    const [edition] = runtime.plan.editions;
    if (!edition) throw new Error('single mode plans one edition');
    const result = await runSetup(
      {
        db: runtime.database.db,
        edition,
        declared: declaredPermissions(runtime.plan.modules),
        passwordPolicy: passwordPolicyOf(config),
        folders: installFoldersOf(config),
        via: { channel: 'cli' },
        requestId: `cli:setup:${randomUUID()}`,
        log,
      },
      parsed.data,
    );
    process.stdout.write(
      `Set up ${result.slug}: administrator ${parsed.data.adminEmail}, roles ${result.roles.join(', ')}\n` +
        result.folders.map((folder) => `  ${folder.name.padEnd(8)} ${folder.path} (${folder.state}, owner-only)\n`).join(''),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    process.stderr.write(`${error.message}\n`);
    return error.code === 'CONFLICT' ? 3 : 1;
  } finally {
    await runtime.close();
  }
}
