import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Config } from '../kernel/config/index.ts';
import type { ServiceContext } from '../kernel/context.ts';
import { AppError } from '../kernel/errors.ts';
import { declaredPermissions } from '../kernel/module/index.ts';
import { createLogger } from '../kernel/observability/logger.ts';
import { findTenantBySlug } from '../kernel/tenancy/index.ts';
import { mutualaidEdition } from '../editions/mutualaid.ts';
import { approveSignIn, bootstrapAdmin, denySignIn, listPendingSignIns } from '../modules/community/index.ts';
import { openRuntime, type Runtime } from '../main.ts';

const ADMIN_USAGE = 'Usage: plinth mutualaid create-admin --tenant <slug> --email <address> [--name <community name>] [--username <name>]\n';
const SESSION_USAGE = 'Usage: plinth session list --tenant <slug>\n       plinth session approve|deny <sign-in id> --tenant <slug>\n';

export interface MutualaidOptions {
  tenant?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  username?: string | undefined;
}

async function withRuntime(config: Config, work: (runtime: Runtime) => Promise<number>): Promise<number> {
  const runtime = await openRuntime(config, createLogger(config.logLevel));
  try {
    return await work(runtime);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await runtime.close();
  }
}

/**
 * `plinth mutualaid create-admin`: a community's first administrator, idempotently (a second run
 * reports that nothing changed and never resets the password). Prints the first password once.
 */
export async function mutualaidCommand(config: Config, args: string[], options: MutualaidOptions): Promise<number> {
  if (args[0] !== 'create-admin' || args.length !== 1 || !options.tenant || !options.email) {
    process.stderr.write(ADMIN_USAGE);
    return 2;
  }
  const { tenant: slug, email } = options;
  return withRuntime(config, async (runtime) => {
    const outcome = await bootstrapAdmin(runtime.database.db, {
      slug,
      communityName: options.name ?? slug,
      email,
      displayName: email.split('@')[0] ?? email,
      username: options.username ?? 'admin',
      templates: mutualaidEdition.roleTemplates,
      declared: declaredPermissions(runtime.plan.modules),
    });
    if (!outcome.changed) process.stdout.write(`${email} is already an administrator of ${outcome.tenant.slug}; nothing changed.\n`);
    else process.stdout.write(`${email} is an administrator of ${outcome.tenant.slug}.\n`);
    if (outcome.password) process.stdout.write(`First password (shown once; change it after signing in): ${outcome.password}\n`);
    return 0;
  });
}

/** `plinth session list|approve|deny`: decide sign-ins awaiting verification from a shell; audited as from this host. */
export async function sessionCommand(config: Config, args: string[], options: MutualaidOptions): Promise<number> {
  const [action, id] = args;
  const deciding = (action === 'approve' || action === 'deny') && args.length === 2;
  if ((!deciding && !(action === 'list' && args.length === 1)) || !options.tenant) {
    process.stderr.write(SESSION_USAGE);
    return 2;
  }
  const slug = options.tenant;
  return withRuntime(config, async (runtime) => {
    const tenant = await findTenantBySlug(runtime.database.db, slug);
    if (!tenant) {
      process.stderr.write(`No community has the slug "${slug}".\n`);
      return 2;
    }
    const ctx: ServiceContext = { db: runtime.database.db, tenantId: tenant.id, actor: { kind: 'system', process: 'cli:session' }, requestId: `cli:${randomUUID()}`, log: runtime.log };
    if (!deciding) {
      for (const signIn of await listPendingSignIns(ctx))
        process.stdout.write(`${signIn.id}  @${signIn.username}  ${signIn.kind}  ${signIn.ip ?? '-'}  ${signIn.createdAt.toISOString()}${signIn.awaitsApproval ? '  (new member)' : ''}\n`);
      return 0;
    }
    const decide = action === 'approve' ? approveSignIn : denySignIn;
    await decide(ctx, id as string, { via: 'cli', from: `cli@${hostname()}` });
    process.stdout.write(action === 'approve' ? 'Sign-in approved.\n' : 'Sign-in denied and ended.\n');
    return 0;
  });
}
