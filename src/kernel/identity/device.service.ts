import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { sameSecret } from '../secrets/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { randomToken, sha256 } from './crypto.ts';
import { identityDevice } from './device.table.ts';
import { identityErrors } from './errors.ts';
import { announceCredentialChange } from './sign-out.ts';
import { identityTokenFamily } from './token.table.ts';
import { isUuid } from './ids.ts';
import { nowOf, type At } from './time.ts';

/** What tenant-scoped identity services need of a ServiceContext. */
export type TenantScope = Pick<ServiceContext, 'db' | 'tenantId'>;

export interface Device {
  id: string;
  name: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

const columns = {
  id: identityDevice.id,
  name: identityDevice.name,
  createdAt: identityDevice.createdAt,
  lastSeenAt: identityDevice.lastSeenAt,
  revokedAt: identityDevice.revokedAt,
};

/** last_seen_at moves at most this often: a till makes many requests a minute. */
const TOUCH_INTERVAL_MS = 60_000;

const ofTenant = (ctx: TenantScope, deviceId: string) => and(eq(identityDevice.tenantId, ctx.tenantId), eq(identityDevice.id, deviceId));

/** Registers a terminal of the context's tenant; its secret is returned this once and stored hashed. */
export async function registerDevice(ctx: TenantScope, name: string, options: At = {}): Promise<{ deviceId: string; deviceSecret: string }> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw identityErrors.invalidDeviceName();
  const deviceSecret = randomToken();
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .insert(identityDevice)
      .values({ tenantId: ctx.tenantId, name: trimmed, secretHash: sha256(deviceSecret), createdAt: nowOf(options) })
      .returning({ id: identityDevice.id });
    if (!row) throw new Error('insert into identity_device returned no row');
    return { deviceId: row.id, deviceSecret };
  });
}

/** The device these credentials name in the context's tenant, or null when unknown, revoked or wrong. */
export function authenticateDevice(ctx: TenantScope, credentials: { deviceId: string; deviceSecret: string }, options: At = {}): Promise<Device | null> {
  if (!isUuid(credentials.deviceId)) return Promise.resolve(null);
  const now = nowOf(options);
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .select({ ...columns, secretHash: identityDevice.secretHash })
      .from(identityDevice)
      .where(and(ofTenant(ctx, credentials.deviceId), isNull(identityDevice.revokedAt)));
    if (!row) return null;
    const presented = Buffer.from(sha256(credentials.deviceSecret), 'hex');
    if (!sameSecret(presented, Buffer.from(row.secretHash, 'hex'))) return null;
    const { secretHash: _secretHash, ...device } = row;
    if (device.lastSeenAt && now.getTime() - device.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return device;
    await uow.tx.update(identityDevice).set({ lastSeenAt: now }).where(ofTenant(ctx, device.id));
    return { ...device, lastSeenAt: now };
  });
}

/** Revokes a device of the context's tenant and ends every sign-in made at it; false when there is no such live device. */
export function revokeDevice(ctx: TenantScope, deviceId: string, options: At = {}): Promise<boolean> {
  if (!isUuid(deviceId)) return Promise.resolve(false);
  return withTenantTx(ctx, async (uow) => {
    const revoked = await uow.tx
      .update(identityDevice)
      .set({ revokedAt: nowOf(options) })
      .where(and(ofTenant(ctx, deviceId), isNull(identityDevice.revokedAt)))
      .returning({ id: identityDevice.id });
    if (revoked.length === 0) return false;
    await uow.tx
      .update(identityTokenFamily)
      .set({ revokedAt: nowOf(options), revokedReason: 'device_revoked' })
      .where(and(eq(identityTokenFamily.activeTenantId, ctx.tenantId), eq(identityTokenFamily.deviceId, deviceId), isNull(identityTokenFamily.revokedAt)));
    await announceCredentialChange(uow.tx, { deviceIds: [deviceId] });
    return true;
  });
}

/** The tenant's devices, revoked ones included, by name. */
export function listDevices(ctx: TenantScope): Promise<Device[]> {
  return withTenantTx(ctx, (uow) =>
    uow.tx.select(columns).from(identityDevice).where(eq(identityDevice.tenantId, ctx.tenantId)).orderBy(asc(identityDevice.name), asc(identityDevice.id)),
  );
}
