import { z } from 'zod';
import type { AppInstance, ModuleServices } from '../../kernel/module/index.ts';
import { passwordPolicyOf } from '../../kernel/identity/index.ts';
import { setupRequest, type SetupInput } from './domain/setup-input.ts';
import { setupErrors } from './errors.ts';
import { installFoldersOf } from './folders.ts';
import type { SetupGate } from './setup-gate.ts';
import { needsSetup, runSetup, type SetupContext, type SetupResult } from './setup.service.ts';

/** What the setup routes are built with: the code gate of this process and the edition being installed. */
export interface SetupOptions {
  gate: SetupGate;
  edition: SetupContext['edition'];
}

const PUBLIC_SETUP = { access: 'public', rateClass: 'auth' } as const;
const tags = ['setup'];

/** Checks the code, then runs the setup as the web channel (shared by the API and the page). */
export async function setupWithCode(
  app: AppInstance,
  services: ModuleServices,
  options: SetupOptions,
  request: { ip: string; id: string; log: SetupContext['log'] },
  code: string,
  input: SetupInput,
): Promise<SetupResult> {
  if (!(await needsSetup(app.db))) throw setupErrors.done();
  const checked = options.gate.check(code);
  if (!checked.ok) throw checked.reason === 'paused' ? setupErrors.paused(checked.retryAfterSeconds) : setupErrors.wrongCode();
  return runSetup(
    {
      db: app.db,
      edition: options.edition,
      declared: services.permissions,
      passwordPolicy: passwordPolicyOf(services.config),
      folders: installFoldersOf(services.config),
      via: { channel: 'web', ip: request.ip },
      requestId: request.id,
      log: request.log,
    },
    input,
  );
}

const result = z.object({
  tenantId: z.uuid(),
  slug: z.string(),
  adminUserId: z.uuid(),
  roles: z.array(z.string()),
  folders: z.array(z.object({ name: z.string(), path: z.string(), state: z.enum(['created', 'tightened', 'ok']) })),
});

export function setupApiRoutes(app: AppInstance, services: ModuleServices, options: SetupOptions): void {
  app.get(
    '/v1/setup',
    { config: { access: 'public' }, schema: { tags, summary: 'Whether this installation still waits for its first-run setup', response: { 200: z.object({ data: z.object({ needed: z.boolean() }) }) } } },
    async () => ({ data: { needed: await needsSetup(app.db) } }),
  );

  app.post(
    '/v1/setup',
    {
      config: PUBLIC_SETUP,
      schema: {
        tags,
        summary: 'First-run setup: the business, its administrator, roles, currency, taxes and numbering (needs the code the server printed at start; only once, then CONFLICT)',
        body: setupRequest,
        response: { 201: z.object({ data: result }) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await setupWithCode(app, services, options, request, request.body.code, request.body.setup) }),
  );
}
