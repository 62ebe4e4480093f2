import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { IdentityKeys } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { listTerminals, pinSignIn, registerTerminal, revokeTerminal, setOwnPin, terminalErrors } from './terminal.service.ts';
import { tokenPairView, tokenView } from './token.routes.ts';

const tags = ['terminals'];
const pin = z.string().regex(/^\d{4,8}$/, { error: 'must be 4 to 8 digits' });
const terminal = z.object({ id: z.uuid(), name: z.string(), createdAt: z.iso.datetime(), lastSeenAt: z.iso.datetime().nullable(), revokedAt: z.iso.datetime().nullable() });
const READ = { access: { permission: 'auth.terminal.read' } } as const;
const MANAGE = { access: { permission: 'auth.terminal.manage' } } as const;

/** Registered terminals (tills, kitchen screens) and staff PIN sign-in at them. */
export function terminalRoutes(app: AppInstance, keys: IdentityKeys): void {
  app.post(
    '/v1/auth/terminal/pin',
    {
      config: { access: 'public', rateClass: 'auth' },
      schema: {
        tags,
        summary: "Staff PIN sign-in at a registered terminal: tokens carrying the terminal and the staff member's permissions",
        body: z.strictObject({ tenant: z.string().trim().min(1).max(63), deviceId: z.uuid(), deviceSecret: z.string().min(1).max(256), userId: z.uuid(), pin }),
        response: {
          200: z.object({
            data: z.object({
              tokens: tokenView,
              staff: z.object({ userId: z.uuid(), displayName: z.string() }),
              rotationDue: z.boolean(),
            }),
          }),
        },
      },
    },
    async (request) => {
      const signedIn = await pinSignIn(app.db, keys, { ...request.body, ip: request.ip, requestId: request.id }, request.log);
      return { data: { tokens: tokenPairView(signedIn.tokens, signedIn.tenantId), staff: signedIn.staff, rotationDue: signedIn.rotationDue } };
    },
  );

  app.get(
    '/v1/terminals',
    { config: READ, schema: { tags, summary: "The business's terminals, revoked ones included", response: { 200: z.object({ data: z.array(terminal) }) } } },
    async (request) => ({
      data: (await listTerminals(serviceContext(request))).map((device) => ({
        id: device.id,
        name: device.name,
        createdAt: device.createdAt.toISOString(),
        lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
        revokedAt: device.revokedAt?.toISOString() ?? null,
      })),
    }),
  );

  app.post(
    '/v1/terminals',
    {
      config: MANAGE,
      schema: {
        tags,
        summary: 'Register a terminal; its secret is returned this once',
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 201: z.object({ data: z.object({ id: z.uuid(), name: z.string(), deviceSecret: z.string() }) }) },
      },
    },
    async (request, reply) => {
      const { device, deviceSecret } = await registerTerminal(serviceContext(request), request.body.name);
      return reply.code(201).send({ data: { ...device, deviceSecret } });
    },
  );

  app.post(
    '/v1/terminals/:id/revoke',
    {
      config: MANAGE,
      schema: { tags, summary: 'Revoke a terminal and end every sign-in made at it', params: z.strictObject({ id: z.uuid() }), response: { 204: z.undefined() } },
    },
    async (request, reply) => {
      await revokeTerminal(serviceContext(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.put(
    '/v1/me/pin',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'Set your own staff PIN for the business you work in', body: z.strictObject({ pin }), response: { 204: z.undefined() } },
    },
    async (request, reply) => {
      if (!request.tenant || !request.auth?.userId) throw terminalErrors.noTenant();
      await setOwnPin(serviceContext(request), request.auth.userId, request.body.pin);
      return reply.code(204).send();
    },
  );
}
