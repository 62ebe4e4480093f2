import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  createCustomRole,
  listMembers,
  listRoles,
  memberAccess,
  provisionTenant,
  putMember,
  RoleTemplateError,
  setMemberRoles,
  setMemberStatus,
  syncTemplateRoles,
  updateCustomRole,
  type RoleTemplate,
} from '../../../src/kernel/access/index.ts';
import { userMemberships } from '../../../src/kernel/access/members.service.ts';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { APP_ROLE, createDatabase, type Database, type Db } from '../../../src/kernel/db/index.ts';
import { createUser, type User } from '../../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { STORE_ROLE_TEMPLATES } from '../../../src/editions/roles.ts';
import { createMigratedDatabase, type TestDatabase } from '../../support/database.ts';

const declared = declaredPermissions(planEditions({ editions: undefined }).modules);
/** What a business's owner (`*`) holds: every declared permission but the platform's own (platform.*). */
const everything = [...declared].filter((permission) => !permission.startsWith('platform.')).sort();

let owner: TestDatabase;
let app: Database;
/** The app role's connection: row-level security applies. */
let db: Db;

before(async () => {
  owner = await createMigratedDatabase();
  app = createDatabase(owner.url, { poolMax: 3, log: createLogger('silent'), role: APP_ROLE });
  db = app.db;
});
after(async () => {
  await app?.close();
  await owner?.drop();
});

const unique = () => randomBytes(4).toString('hex');
const ctxFor = (tenantId: string): ServiceContext => ({ db, tenantId, actor: { kind: 'system', process: 'test' }, requestId: 'test', log: createLogger('silent') });
const newUser = (name = 'Person'): Promise<User> => createUser(owner.db, { email: `${name.toLowerCase()}-${unique()}@example.test`, displayName: `${name} ${unique()}` });

async function newTenant(ownerUserId?: string, templates: readonly RoleTemplate[] = STORE_ROLE_TEMPLATES): Promise<Tenant> {
  const id = unique();
  return provisionTenant(db, { slug: `shop-${id}`, name: `Shop ${id}`, edition: 'retail', templates, declared, ...(ownerUserId ? { ownerUserId } : {}) });
}

const accessOf = (tenantId: string, userId: string) => withTenantTx({ db, tenantId }, (uow) => memberAccess(uow.tx, tenantId, userId));
const addMember = (tenantId: string, userId: string, roleKeys: string[]) => withTenantTx({ db, tenantId }, (uow) => putMember(uow.tx, tenantId, userId, roleKeys));
async function tokenVersion(userId: string): Promise<number> {
  const { rows } = await owner.db.execute<{ token_version: number }>(sql`SELECT token_version FROM app_user WHERE id = ${userId}`);
  assert.ok(rows[0]);
  return rows[0].token_version;
}

describe('provisionTenant', () => {
  test('creates the template roles and seats the owner with every permission; running it again changes nothing', async () => {
    const boss = await newUser('Boss');
    const id = unique();
    const input = { slug: `prov-${id}`, name: `Prov ${id}`, edition: 'retail', templates: STORE_ROLE_TEMPLATES, declared, ownerUserId: boss.id };
    const first = await provisionTenant(db, input);
    const rolesBefore = await listRoles(ctxFor(first.id));
    const second = await provisionTenant(db, input);
    assert.equal(second.id, first.id);

    const roles = await listRoles(ctxFor(first.id));
    assert.deepEqual(roles, rolesBefore, 'same role ids and contents');
    assert.deepEqual(roles.map((role) => role.key).sort(), STORE_ROLE_TEMPLATES.map((template) => template.key).sort());
    for (const role of roles) assert.equal(role.templateKey, role.key);
    assert.deepEqual(roles.find((role) => role.key === 'owner')?.permissions, everything);
    assert.deepEqual(roles.find((role) => role.key === 'cashier')?.permissions, ['catalog.product.read']);

    const access = await accessOf(first.id, boss.id);
    assert.ok(access);
    assert.equal(access.status, 'active');
    assert.deepEqual(access.roleKeys, ['owner']);
    assert.deepEqual([...access.permissions].sort(), everything);

    const { rows } = await owner.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tenant_member WHERE tenant_id = ${first.id}`);
    assert.equal(rows[0]?.n, 1, 'the owner is seated once');
  });

  test('without an owner, no one is a member', async () => {
    const tenant = await newTenant();
    assert.deepEqual(await listMembers(ctxFor(tenant.id)), []);
    assert.equal((await listRoles(ctxFor(tenant.id))).length, STORE_ROLE_TEMPLATES.length);
  });

  test('memberAccess is undefined for a non-member', async () => {
    const tenant = await newTenant((await newUser()).id);
    assert.equal(await accessOf(tenant.id, (await newUser()).id), undefined);
  });
});

describe('template and custom roles', () => {
  test('syncTemplateRoles updates a template role but never touches a custom role with a template key', async () => {
    const narrow: RoleTemplate[] = [
      { key: 'owner', name: 'Owner', permissions: ['*'] },
      { key: 'manager', name: 'Manager', permissions: ['catalog.product.read'] },
    ];
    const tenant = await newTenant((await newUser()).id, narrow);
    const ctx = ctxFor(tenant.id);
    const custom = await createCustomRole(ctx, { key: 'cashier', name: 'Our cashier', permissions: ['audit.*'] }, declared);
    assert.equal(custom.templateKey, null);

    await withTenantTx(ctx, (uow) => syncTemplateRoles(uow.tx, tenant.id, STORE_ROLE_TEMPLATES, declared));

    const roles = await listRoles(ctx);
    const manager = roles.find((role) => role.key === 'manager');
    const storeManager = STORE_ROLE_TEMPLATES.find((template) => template.key === 'manager');
    assert.ok(manager && storeManager);
    assert.deepEqual(manager.permissions, [...new Set(storeManager.permissions.flatMap((entry) => (entry.endsWith('.*') ? everything.filter((p) => p.startsWith(entry.slice(0, -1))) : [entry])))].sort());
    assert.ok(manager.permissions.length > 1, 'the manager gained permissions');
    const cashier = roles.find((role) => role.key === 'cashier');
    assert.deepEqual(cashier, custom, 'the custom role is untouched');
    assert.ok(roles.some((role) => role.key === 'accountant' && role.templateKey === 'accountant'), 'new templates are added');
  });

  test('createCustomRole refuses a taken key and an unknown permission', async () => {
    const tenant = await newTenant();
    const ctx = ctxFor(tenant.id);
    await assert.rejects(createCustomRole(ctx, { key: 'owner', name: 'Me', permissions: [] }, declared), {
      code: 'CONFLICT',
      details: { reason: 'ACCESS_ROLE_KEY_TAKEN', field: 'key' },
    });
    // createCustomRole expands before its transaction, so this throws synchronously; an async wrapper catches either way.
    await assert.rejects(async () => createCustomRole(ctx, { key: 'weird', name: 'Weird', permissions: ['catalog.nope'] }, declared), RoleTemplateError);
    assert.ok(!(await listRoles(ctx)).some((role) => role.key === 'weird'));
  });

  test('updateCustomRole on a template role is a CONFLICT and changes nothing', async () => {
    const tenant = await newTenant();
    const ctx = ctxFor(tenant.id);
    const cashier = (await listRoles(ctx)).find((role) => role.key === 'cashier');
    assert.ok(cashier);
    let called = 0;
    await assert.rejects(
      updateCustomRole(ctx, cashier.id, { permissions: ['*'] }, declared, async () => {
        called++;
      }),
      { code: 'CONFLICT', details: { reason: 'ACCESS_ROLE_TEMPLATE_READ_ONLY' } },
    );
    assert.equal(called, 0);
    assert.deepEqual((await listRoles(ctx)).find((role) => role.key === 'cashier'), cashier);
  });

  test('updateCustomRole changes a custom role and reports a privilege change only when permissions change', async () => {
    const tenant = await newTenant();
    const ctx = ctxFor(tenant.id);
    const role = await createCustomRole(ctx, { key: 'stock', name: 'Stock', permissions: ['catalog.product.read'] }, declared);
    const seen: string[] = [];
    const onChange = async (_tx: unknown, roleId: string) => {
      seen.push(roleId);
    };
    const renamed = await updateCustomRole(ctx, role.id, { name: 'Stock keeper' }, declared, onChange);
    assert.equal(renamed.name, 'Stock keeper');
    assert.deepEqual(renamed.permissions, ['catalog.product.read']);
    assert.deepEqual(seen, []);
    const widened = await updateCustomRole(ctx, role.id, { permissions: ['catalog.*'] }, declared, onChange);
    assert.deepEqual(
      widened.permissions,
      everything.filter((permission) => permission.startsWith('catalog.')),
    );
    assert.deepEqual(seen, [role.id]);
  });

  test("updateCustomRole cannot reach another tenant's role", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const role = await createCustomRole(ctxFor(a.id), { key: 'stock', name: 'Stock', permissions: [] }, declared);
    await assert.rejects(updateCustomRole(ctxFor(b.id), role.id, { name: 'Hijacked' }, declared, async () => {}), {
      code: 'NOT_FOUND',
      details: { reason: 'ACCESS_ROLE_NOT_FOUND' },
    });
  });
});

describe('members', () => {
  test("setMemberRoles replaces the roles and bumps the user's token_version", async () => {
    const boss = await newUser('Boss');
    const clerk = await newUser('Clerk');
    const tenant = await newTenant(boss.id);
    await addMember(tenant.id, clerk.id, ['cashier']);
    const before = await tokenVersion(clerk.id);
    const access = await setMemberRoles(ctxFor(tenant.id), clerk.id, ['manager', 'auditor']);
    assert.deepEqual(access.roleKeys, ['auditor', 'manager']);
    assert.ok(access.permissions.has('audit.log.read'));
    assert.ok(access.permissions.has('access.member.read'));
    assert.ok(!access.permissions.has('access.member.manage'));
    assert.equal(await tokenVersion(clerk.id), before + 1);
    assert.deepEqual((await accessOf(tenant.id, clerk.id))?.roleKeys, ['auditor', 'manager']);
  });

  test('setMemberRoles refuses to remove the last owner, and allows it once there is another', async () => {
    const boss = await newUser('Boss');
    const heir = await newUser('Heir');
    const tenant = await newTenant(boss.id);
    const ctx = ctxFor(tenant.id);
    const before = await tokenVersion(boss.id);
    await assert.rejects(setMemberRoles(ctx, boss.id, ['manager']), { code: 'CONFLICT', details: { reason: 'ACCESS_LAST_OWNER' } });
    assert.deepEqual((await accessOf(tenant.id, boss.id))?.roleKeys, ['owner'], 'unchanged');
    assert.equal(await tokenVersion(boss.id), before, 'not bumped on refusal');

    await addMember(tenant.id, heir.id, ['owner']);
    const demoted = await setMemberRoles(ctx, boss.id, ['manager']);
    assert.deepEqual(demoted.roleKeys, ['manager']);
    await assert.rejects(setMemberRoles(ctx, heir.id, []), { code: 'CONFLICT', details: { reason: 'ACCESS_LAST_OWNER' } });
  });

  test('a suspended owner does not count as the other owner', async () => {
    const boss = await newUser('Boss');
    const heir = await newUser('Heir');
    const tenant = await newTenant(boss.id);
    const ctx = ctxFor(tenant.id);
    await addMember(tenant.id, heir.id, ['owner']);
    await setMemberStatus(ctx, heir.id, 'suspended');
    await assert.rejects(setMemberRoles(ctx, boss.id, ['cashier']), { code: 'CONFLICT', details: { reason: 'ACCESS_LAST_OWNER' } });
  });

  test('setMemberRoles on a non-member is NOT_FOUND, and an unknown role is VALIDATION', async () => {
    const boss = await newUser('Boss');
    const tenant = await newTenant(boss.id);
    await assert.rejects(setMemberRoles(ctxFor(tenant.id), (await newUser()).id, ['cashier']), {
      code: 'NOT_FOUND',
      details: { reason: 'ACCESS_MEMBER_NOT_FOUND' },
    });
    await assert.rejects(setMemberRoles(ctxFor(tenant.id), boss.id, ['owner', 'wizard']), { code: 'VALIDATION' });
    assert.deepEqual((await accessOf(tenant.id, boss.id))?.roleKeys, ['owner']);
  });

  test('a suspended member keeps their roles but has no permissions; reactivating restores them', async () => {
    const boss = await newUser('Boss');
    const clerk = await newUser('Clerk');
    const tenant = await newTenant(boss.id);
    const ctx = ctxFor(tenant.id);
    await addMember(tenant.id, clerk.id, ['cashier']);
    const before = await tokenVersion(clerk.id);
    await setMemberStatus(ctx, clerk.id, 'suspended');
    const suspended = await accessOf(tenant.id, clerk.id);
    assert.ok(suspended);
    assert.equal(suspended.status, 'suspended');
    assert.deepEqual(suspended.roleKeys, ['cashier']);
    assert.equal(suspended.permissions.size, 0);
    assert.equal(await tokenVersion(clerk.id), before + 1);

    await setMemberStatus(ctx, clerk.id, 'active');
    assert.deepEqual([...((await accessOf(tenant.id, clerk.id))?.permissions ?? [])], ['catalog.product.read']);
  });

  test('suspending the last owner is refused; an unknown member is NOT_FOUND', async () => {
    const boss = await newUser('Boss');
    const tenant = await newTenant(boss.id);
    await assert.rejects(setMemberStatus(ctxFor(tenant.id), boss.id, 'suspended'), { code: 'CONFLICT', details: { reason: 'ACCESS_LAST_OWNER' } });
    assert.equal((await accessOf(tenant.id, boss.id))?.status, 'active');
    await assert.rejects(setMemberStatus(ctxFor(tenant.id), (await newUser()).id, 'suspended'), { code: 'NOT_FOUND' });
  });

  test('listMembers lists email, name, status and role keys of this tenant only', async () => {
    const boss = await newUser('Alice');
    const clerk = await newUser('Bob');
    const roleless = await newUser('Carol');
    const tenant = await newTenant(boss.id);
    await addMember(tenant.id, clerk.id, ['manager', 'cashier']);
    await addMember(tenant.id, roleless.id, []);
    await newTenant((await newUser('Dave')).id);

    const members = await listMembers(ctxFor(tenant.id));
    assert.deepEqual(
      members.map((member) => ({ ...member })),
      [
        { userId: boss.id, email: boss.email, displayName: boss.displayName, status: 'active', roleKeys: ['owner'] },
        { userId: clerk.id, email: clerk.email, displayName: clerk.displayName, status: 'active', roleKeys: ['cashier', 'manager'] },
        { userId: roleless.id, email: roleless.email, displayName: roleless.displayName, status: 'active', roleKeys: [] },
      ],
    );
  });
});

describe('row-level security on memberships', () => {
  test("userMemberships lists the user's tenants across tenants through the app role, and not another user's", async () => {
    const alice = await newUser('Alice');
    const bob = await newUser('Bob');
    const one = await newTenant(alice.id);
    const two = await newTenant(bob.id);
    await addMember(two.id, alice.id, ['cashier']);
    const bobsOnly = await newTenant(bob.id);

    const mine = await userMemberships(db, alice.id);
    assert.deepEqual(
      mine.map((membership) => membership.tenantId).sort(),
      [one.id, two.id].sort(),
    );
    const first = mine.find((membership) => membership.tenantId === one.id);
    assert.deepEqual(first, { tenantId: one.id, slug: one.slug, name: one.name, edition: 'retail' });
    assert.ok(!mine.some((membership) => membership.tenantId === bobsOnly.id));

    assert.deepEqual((await userMemberships(db, bob.id)).map((membership) => membership.tenantId).sort(), [two.id, bobsOnly.id].sort());
  });

  test('a suspended membership is not listed', async () => {
    const alice = await newUser('Alice');
    const boss = await newUser('Boss');
    const tenant = await newTenant(boss.id);
    await addMember(tenant.id, alice.id, ['cashier']);
    await setMemberStatus(ctxFor(tenant.id), alice.id, 'suspended');
    assert.deepEqual(await userMemberships(db, alice.id), []);
  });

  test('with app.user_id set, the self-read policy shows only that user’s rows', async () => {
    const alice = await newUser('Alice');
    const bob = await newUser('Bob');
    const tenant = await newTenant(alice.id);
    await addMember(tenant.id, bob.id, ['cashier']);
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('app.user_id', ${alice.id}, true)`);
      return (await tx.execute<{ user_id: string }>(sql`SELECT user_id FROM tenant_member`)).rows;
    });
    assert.deepEqual(rows, [{ user_id: alice.id }]);
  });

  test('through the app role without app.tenant_id, tenant_member shows no rows', async () => {
    await newTenant((await newUser()).id);
    const { rows: seenByOwner } = await owner.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tenant_member`);
    assert.ok((seenByOwner[0]?.n ?? 0) > 0, 'there are members');
    const { rows } = await db.execute(sql`SELECT * FROM tenant_member`);
    assert.deepEqual(rows, []);
    const { rows: memberRoles } = await db.execute(sql`SELECT * FROM tenant_member_role`);
    assert.deepEqual(memberRoles, []);
  });
});
