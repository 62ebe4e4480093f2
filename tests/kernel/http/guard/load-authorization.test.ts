import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { memberAccess, provisionTenant, putMember } from '../../../../src/kernel/access/index.ts';
import { loadAuthorization } from '../../../../src/kernel/http/guard/authorize.ts';
import { AppError } from '../../../../src/kernel/errors.ts';
import { declaredPermissions } from '../../../../src/kernel/module/index.ts';
import { createLogger } from '../../../../src/kernel/observability/logger.ts';
import { setModuleEnabled, withTenantTx, type Tenant } from '../../../../src/kernel/tenancy/index.ts';
import { planEditions } from '../../../../src/editions/compose.ts';
import { STORE_ROLE_TEMPLATES } from '../../../../src/editions/roles.ts';
import { newUser, startIdentityFixture, type IdentityFixture } from '../../../support/identity.ts';

// The guard reads tenant, membership, permissions and module toggles in one statement on every
// request; these pin it to what memberAccess and the toggles say, row changes counting at once.

const declared = declaredPermissions(planEditions({ editions: undefined }).modules);
let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f?.close());

const newUserId = async () => (await newUser(f.owner.db, { password: null })).id;
const newTenant = (): Promise<Tenant> => {
  const id = randomBytes(4).toString('hex');
  return provisionTenant(f.db, { slug: `shop-${id}`, name: `Shop ${id}`, edition: 'retail', templates: STORE_ROLE_TEMPLATES, declared });
};
const setRoles = (tenantId: string, userId: string, roleKeys: string[]) => withTenantTx({ db: f.db, tenantId }, (uow) => putMember(uow.tx, tenantId, userId, roleKeys));
const accessOf = (tenantId: string, userId: string) => withTenantTx({ db: f.db, tenantId }, (uow) => memberAccess(uow.tx, tenantId, userId));
const load = (tenantId: string, userId: string | null) => loadAuthorization(f.db, tenantId, userId);
const ctxFor = (tenantId: string) => ({ db: f.db, tenantId, actor: { kind: 'system' as const, process: 'test' }, requestId: 'test', log: createLogger('silent') });

async function deniedFor(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof AppError, `expected a denial, got ${String(error)}`);
  return error.details?.reason;
}

describe('loadAuthorization', () => {
  test('an active member gets the tenant and the union of their roles’ permissions, as memberAccess computes it', async () => {
    const tenant = await newTenant();
    const userId = await newUserId();
    await setRoles(tenant.id, userId, ['cashier', 'manager', 'auditor']);
    const authorization = await load(tenant.id, userId);
    assert.deepEqual(authorization.tenant, { id: tenant.id, slug: tenant.slug, name: tenant.name, edition: tenant.edition, status: 'active', timeZone: 'UTC' });
    const expected = (await accessOf(tenant.id, userId))?.permissions;
    assert.ok(expected && expected.size > 0);
    assert.deepEqual([...authorization.permissions].sort(), [...expected].sort());
    assert.equal(authorization.disabledModules.size, 0);
  });

  test('a member without roles is let in with no permissions', async () => {
    const tenant = await newTenant();
    const userId = await newUserId();
    await setRoles(tenant.id, userId, []);
    assert.equal((await load(tenant.id, userId)).permissions.size, 0);
  });

  test('role changes, module toggles and suspensions count on the very next call', async () => {
    const tenant = await newTenant();
    const userId = await newUserId();
    await setRoles(tenant.id, userId, ['owner']);
    const asOwner = (await load(tenant.id, userId)).permissions;
    await setRoles(tenant.id, userId, ['cashier']);
    const asCashier = (await load(tenant.id, userId)).permissions;
    assert.ok(asCashier.size < asOwner.size);
    assert.deepEqual([...asCashier].sort(), [...((await accessOf(tenant.id, userId))?.permissions ?? [])].sort());

    await setModuleEnabled(ctxFor(tenant.id), 'catalog', false);
    assert.deepEqual([...(await load(tenant.id, userId)).disabledModules], ['catalog']);
    await setModuleEnabled(ctxFor(tenant.id), 'catalog', true);
    assert.equal((await load(tenant.id, userId)).disabledModules.size, 0);

    await f.owner.db.execute(sql`UPDATE tenant_member SET status = 'suspended' WHERE tenant_id = ${tenant.id} AND user_id = ${userId}`);
    assert.equal(await deniedFor(load(tenant.id, userId)), 'NOT_A_MEMBER');
  });

  test('a non-member, a missing user and a member of another tenant are not members', async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    const userId = await newUserId();
    await setRoles(other.id, userId, ['owner']);
    assert.equal(await deniedFor(load(tenant.id, userId)), 'NOT_A_MEMBER');
    assert.equal(await deniedFor(load(tenant.id, null)), 'NOT_A_MEMBER');
  });

  test('an inactive or unknown tenant is refused before membership is looked at', async () => {
    const tenant = await newTenant();
    const userId = await newUserId();
    await setRoles(tenant.id, userId, ['owner']);
    await f.owner.db.execute(sql`UPDATE tenant SET status = 'suspended' WHERE id = ${tenant.id}`);
    assert.equal(await deniedFor(load(tenant.id, userId)), 'TENANT_INACTIVE');
    assert.equal(await deniedFor(load('00000000-0000-4000-8000-000000000000', userId)), 'TENANT_INACTIVE');
  });
});
