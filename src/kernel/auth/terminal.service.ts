import type { FastifyBaseLogger } from 'fastify';
import { memberAccess } from '../access/index.ts';
import { recordAudit, recordSecurityEvent } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import {
  authenticateDevice,
  getUser,
  issueTokenPair,
  listDevices,
  registerDevice,
  revokeDevice,
  setStaffPin,
  verifyStaffPin,
  type Device,
  type IdentityKeys,
  type TokenPair,
} from '../identity/index.ts';
import { assertRoomFor, findTenantBySlug, withTenantTx } from '../tenancy/index.ts';

export interface PinSignInInput {
  /** Slug of the business the terminal belongs to. */
  tenant: string;
  deviceId: string;
  deviceSecret: string;
  userId: string;
  pin: string;
  ip: string;
  requestId: string;
}

export interface PinSignIn {
  tokens: TokenPair;
  tenantId: string;
  staff: { userId: string; displayName: string };
  /** The PIN is older than the policy allows: the terminal asks for a new one (PUT /v1/me/pin). */
  rotationDue: boolean;
}

export const terminalErrors = {
  unknownTerminal: () => new AppError('AUTHN', 'This terminal is not registered, or was revoked.', { reason: 'TERMINAL_UNKNOWN' }),
  wrongPin: () => new AppError('AUTHN', 'Wrong PIN.', { reason: 'INVALID_CREDENTIALS' }),
  locked: (seconds: number) => new AppError('RATE_LIMIT', `Too many wrong PINs; try again in ${seconds} s.`, { reason: 'LOCKED', retryAfterSeconds: seconds }),
  terminalNotFound: () => new AppError('NOT_FOUND', 'Terminal was not found.'),
  weakPin: (problems: string[]) => new AppError('VALIDATION', problems.join(' '), { field: 'pin', problems }),
  noTenant: () => new AppError('AUTHZ', 'Choose a business to work in first.', { reason: 'NO_ACTIVE_TENANT' }),
};

/**
 * A staff member signs in at a registered terminal with their PIN. The tokens carry the
 * terminal (revoking it ends the sign-in) and the staff member's own permissions, so switching
 * cashier switches what the till may do. Wrong terminal, wrong PIN and "not a member (any
 * more)" are indistinguishable to the caller except for the terminal, which is not a secret of
 * the person.
 */
export async function pinSignIn(db: Db, keys: IdentityKeys, input: PinSignInInput, log: FastifyBaseLogger): Promise<PinSignIn> {
  const tenant = await findTenantBySlug(db, input.tenant);
  const security = (kind: 'login_failed' | 'lockout', details: Record<string, unknown>) =>
    recordSecurityEvent(
      db,
      { kind, tenantId: tenant?.status === 'active' ? tenant.id : null, actor: 'anonymous', ip: input.ip, requestId: input.requestId, details: { ...details, via: 'pin' } },
      log,
    );
  const scope = tenant?.status === 'active' ? { db, tenantId: tenant.id } : undefined;
  const device = scope ? await authenticateDevice(scope, { deviceId: input.deviceId, deviceSecret: input.deviceSecret }) : null;
  if (!scope || !device) {
    await security('login_failed', { reason: 'terminal', deviceId: input.deviceId });
    throw terminalErrors.unknownTerminal();
  }
  const outcome = await verifyStaffPin(scope, { userId: input.userId, pin: input.pin });
  if (!outcome.ok && outcome.reason === 'locked') {
    await security('lockout', { userId: input.userId, deviceId: device.id });
    throw terminalErrors.locked(outcome.retryAfterSeconds ?? 60);
  }
  const member = outcome.ok ? await withTenantTx(scope, (uow) => memberAccess(uow.tx, scope.tenantId, input.userId)) : undefined;
  if (!outcome.ok || member?.status !== 'active') {
    await security('login_failed', { userId: input.userId, deviceId: device.id, reason: outcome.ok ? 'not_member' : outcome.reason });
    throw terminalErrors.wrongPin();
  }
  const user = await getUser(db, input.userId);
  if (!user) throw terminalErrors.wrongPin();
  const tokens = await issueTokenPair(db, keys, { userId: user.id, tenantId: scope.tenantId, deviceId: device.id });
  return { tokens, tenantId: scope.tenantId, staff: { userId: user.id, displayName: user.displayName }, rotationDue: outcome.rotationDue };
}

const terminalTarget = (id: string) => ({ type: 'auth.terminal', id });

/** Registers a terminal; its secret is shown this once (the till stores it). */
export function registerTerminal(ctx: ServiceContext, name: string): Promise<{ device: { id: string; name: string }; deviceSecret: string }> {
  return withTenantTx(ctx, async (uow) => {
    const scope = { db: uow.tx, tenantId: ctx.tenantId };
    await assertRoomFor(uow.tx, ctx.tenantId, 'terminals', async () => (await listDevices(scope)).filter((device) => !device.revokedAt).length);
    const { deviceId, deviceSecret } = await registerDevice({ db: uow.tx, tenantId: ctx.tenantId }, name);
    recordAudit(uow, { action: 'auth.terminal.registered', target: terminalTarget(deviceId), data: { name: name.trim() } });
    return { device: { id: deviceId, name: name.trim() }, deviceSecret };
  });
}

/** Revokes a terminal and every sign-in made at it. */
export function revokeTerminal(ctx: ServiceContext, deviceId: string): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    if (!(await revokeDevice({ db: uow.tx, tenantId: ctx.tenantId }, deviceId))) throw terminalErrors.terminalNotFound();
    recordAudit(uow, { action: 'auth.terminal.revoked', target: terminalTarget(deviceId), data: {} });
  });
}

export const listTerminals = (ctx: ServiceContext): Promise<Device[]> => listDevices(ctx);

/** Sets the caller's own PIN for the business they work in (never stored or audited in clear). */
export function setOwnPin(ctx: ServiceContext, userId: string, pin: string): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    const outcome = await setStaffPin({ db: uow.tx, tenantId: ctx.tenantId }, userId, pin);
    if (!outcome.ok) throw terminalErrors.weakPin(outcome.problems);
    recordAudit(uow, { action: 'auth.pin.changed', target: { type: 'identity.user', id: userId }, data: {} });
  });
}
