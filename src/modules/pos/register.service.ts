import { and, asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { isUniqueViolation } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { registerTerminal, revokeTerminal } from '../../kernel/auth/terminal.service.ts';
import { listDevices } from '../../kernel/identity/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { assertActiveLocation } from '../locations/index.ts';
import type { Register, RegisterInput, RegisterPatch } from './domain/schemas.ts';
import { posErrors } from './errors.ts';
import { posRegister, posShift } from './pos.table.ts';

export type RegisterRow = typeof posRegister.$inferSelect;
const CODE_KEY = 'pos_register_tenant_code_key';
const DEVICE_KEY = 'pos_register_tenant_device_key';

export const registerTarget = (id: string) => ({ type: 'pos.register', id });
const ofTenant = (ctx: Pick<ServiceContext, 'tenantId'>, id: string) => and(eq(posRegister.tenantId, ctx.tenantId), eq(posRegister.id, id));

function toRegister(row: RegisterRow, openShiftId: string | null): Register {
  return {
    id: row.id,
    locationId: row.locationId,
    deviceId: row.deviceId,
    name: row.name,
    code: row.code,
    currency: row.currency,
    pricesIncludeTax: row.pricesIncludeTax,
    taxRates: row.taxRates,
    defaultTaxCode: row.defaultTaxCode,
    maxDiscountBp: row.maxDiscountBp,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    openShiftId,
    createdAt: row.createdAt.toISOString(),
  };
}

// Spelled out with qualified names: drizzle may render a column bare, which inside the subquery would name pos_shift's own.
const openShiftColumn = sql<string | null>`(SELECT open_shift.id FROM pos_shift AS open_shift WHERE open_shift.tenant_id = "pos_register"."tenant_id" AND open_shift.register_id = "pos_register"."id" AND open_shift.status = 'open')`;

/** A terminal named for a register must be a live terminal of this tenant. */
async function assertLiveDevice(ctx: ServiceContext, deviceId: string | null | undefined): Promise<void> {
  if (!deviceId) return;
  const devices = await listDevices(ctx);
  if (!devices.some((device) => device.id === deviceId && !device.revokedAt)) throw posErrors.deviceUnknown();
}

function translateUnique(error: unknown, code: string | undefined): never {
  if (code !== undefined && isUniqueViolation(error, CODE_KEY)) throw posErrors.registerCodeTaken(code);
  if (isUniqueViolation(error, DEVICE_KEY)) throw posErrors.deviceTaken();
  throw error;
}

export async function listRegisters(ctx: ServiceContext): Promise<Register[]> {
  const rows = await withTenantTx(ctx, (uow) =>
    uow.tx.select({ row: posRegister, openShiftId: openShiftColumn }).from(posRegister).where(eq(posRegister.tenantId, ctx.tenantId)).orderBy(asc(posRegister.name), asc(posRegister.id)),
  );
  return rows.map(({ row, openShiftId }) => toRegister(row, openShiftId));
}

export async function getRegister(ctx: ServiceContext, id: string): Promise<Register> {
  const [found] = await withTenantTx(ctx, (uow) => uow.tx.select({ row: posRegister, openShiftId: openShiftColumn }).from(posRegister).where(ofTenant(ctx, id)).limit(1));
  if (!found) throw posErrors.registerNotFound();
  return toRegister(found.row, found.openShiftId);
}

/** The register under a lock (`update` when its sale counter moves) inside the caller's transaction. */
export async function lockRegister(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, id: string, strength: 'update' | 'share'): Promise<RegisterRow> {
  const [row] = await uow.tx.select().from(posRegister).where(ofTenant(uow, id)).for(strength).limit(1);
  if (!row) throw posErrors.registerNotFound();
  return row;
}

/**
 * A device actor (a till signed in with a staff PIN) may work only the register bound to its
 * terminal; people signed in elsewhere (a manager's browser) may work any register.
 */
export function assertTerminalOf(ctx: Pick<ServiceContext, 'actor'>, register: RegisterRow): void {
  if (ctx.actor.kind === 'device' && register.deviceId !== ctx.actor.deviceId) throw posErrors.wrongTerminal();
}

export async function createRegister(ctx: ServiceContext, input: RegisterInput): Promise<Register> {
  await assertLiveDevice(ctx, input.deviceId);
  return withTenantTx(ctx, async (uow) => {
    await assertActiveLocation(uow, input.locationId);
    try {
      const [row] = await uow.tx
        .insert(posRegister)
        .values({ ...input, deviceId: input.deviceId ?? null, tenantId: ctx.tenantId })
        .returning();
      if (!row) throw new Error('insert into pos_register returned no row');
      const created = toRegister(row, null);
      const { locationId, deviceId, name, code, currency, pricesIncludeTax, taxRates, defaultTaxCode, maxDiscountBp } = created;
      recordAudit(uow, {
        action: 'pos.register.created',
        target: registerTarget(created.id),
        data: { register: { locationId, deviceId, name, code, currency, pricesIncludeTax, taxRates, defaultTaxCode, maxDiscountBp } },
      });
      return created;
    } catch (error) {
      translateUnique(error, input.code);
    }
  });
}

export async function updateRegister(ctx: ServiceContext, id: string, patch: RegisterPatch): Promise<Register> {
  await assertLiveDevice(ctx, patch.deviceId);
  return withTenantTx(ctx, async (uow) => {
    const current = await lockRegister(uow, id, 'update');
    const { archived, ...fields } = patch;
    const set: Partial<typeof posRegister.$inferInsert> = { updatedAt: new Date() };
    if (fields.deviceId !== undefined) set.deviceId = fields.deviceId;
    if (fields.name !== undefined) set.name = fields.name;
    if (fields.maxDiscountBp !== undefined) set.maxDiscountBp = fields.maxDiscountBp;
    if (archived !== undefined) set.archivedAt = archived ? (current.archivedAt ?? new Date()) : null;
    else if (current.archivedAt) throw posErrors.registerArchived();
    try {
      const [row] = await uow.tx.update(posRegister).set(set).where(ofTenant(ctx, id)).returning();
      if (!row) throw posErrors.registerNotFound();
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const field of ['deviceId', 'name', 'maxDiscountBp', 'archivedAt'] as const) {
        const before = current[field] instanceof Date ? (current[field] as Date).toISOString() : current[field];
        const after = row[field] instanceof Date ? (row[field] as Date).toISOString() : row[field];
        if (before !== after) changes[field] = { before, after };
      }
      recordAudit(uow, { action: 'pos.register.updated', target: registerTarget(id), data: { changes } });
      const [open] = await uow.tx.select({ id: posShift.id }).from(posShift).where(and(eq(posShift.tenantId, ctx.tenantId), eq(posShift.registerId, id), eq(posShift.status, 'open')));
      return toRegister(row, open?.id ?? null);
    } catch (error) {
      translateUnique(error, undefined);
    }
  });
}

/** Registering and revoking terminals is `auth.terminal.manage`, beyond the route's `pos.register.manage`. */
const TERMINAL_MANAGE = 'auth.terminal.manage';

function assertMayManageTerminals(ctx: ServiceContext): void {
  if (ctx.permissions && !ctx.permissions.has(TERMINAL_MANAGE)) throw posErrors.permissionRequired(TERMINAL_MANAGE);
}

/** Points a locked register at another terminal (or none), audited like any other change of it. */
async function bindDevice(uow: UnitOfWork, current: RegisterRow, deviceId: string | null): Promise<Register> {
  const [row] = await uow.tx.update(posRegister).set({ deviceId, updatedAt: new Date() }).where(ofTenant(uow, current.id)).returning();
  if (!row) throw posErrors.registerNotFound();
  recordAudit(uow, { action: 'pos.register.updated', target: registerTarget(current.id), data: { changes: { deviceId: { before: current.deviceId, after: deviceId } } } });
  const [open] = await uow.tx.select({ id: posShift.id }).from(posShift).where(and(eq(posShift.tenantId, uow.tenantId), eq(posShift.registerId, current.id), eq(posShift.status, 'open')));
  return toRegister(row, open?.id ?? null);
}

const liveDevice = async (uow: UnitOfWork, deviceId: string | null) =>
  deviceId !== null && (await listDevices({ db: uow.tx, tenantId: uow.tenantId })).some((device) => device.id === deviceId && !device.revokedAt);

/**
 * Registers a new terminal and binds it to the register, in one transaction (no terminal is left
 * behind unbound when the binding fails); the terminal's secret is answered this once. A register
 * whose terminal is still live is refused: its till may hold unsent sales, so revoking it is a
 * separate, deliberate step.
 */
export function pairTerminal(ctx: ServiceContext, id: string): Promise<{ register: Register; deviceId: string; deviceSecret: string }> {
  assertMayManageTerminals(ctx);
  return withTenantTx(ctx, async (uow) => {
    const current = await lockRegister(uow, id, 'update');
    if (current.archivedAt) throw posErrors.registerArchived();
    if (await liveDevice(uow, current.deviceId)) throw posErrors.registerHasTerminal();
    const { device, deviceSecret } = await registerTerminal({ ...ctx, db: uow.tx }, `${current.name.slice(0, 80)} (${current.code})`);
    return { register: await bindDevice(uow, current, device.id), deviceId: device.id, deviceSecret };
  });
}

/** Revokes the register's terminal (ending every sign-in at it) and unbinds it, in one transaction. */
export function revokeRegisterTerminal(ctx: ServiceContext, id: string): Promise<Register> {
  assertMayManageTerminals(ctx);
  return withTenantTx(ctx, async (uow) => {
    const current = await lockRegister(uow, id, 'update');
    if (current.deviceId === null) throw posErrors.registerHasNoTerminal();
    // A terminal revoked elsewhere (the terminals API) only needs unbinding.
    if (await liveDevice(uow, current.deviceId)) await revokeTerminal({ ...ctx, db: uow.tx }, current.deviceId);
    return bindDevice(uow, current, null);
  });
}
