import { randomBytes } from 'node:crypto';
import { putMember } from '../../src/kernel/access/index.ts';
import { createUser, deriveIdentityKeys, issueTokenPair } from '../../src/kernel/identity/index.ts';
import { withTenantTx, type Tenant } from '../../src/kernel/tenancy/index.ts';
import { TEST_ROOT_SECRET, type TestApp } from './app.ts';

/** A custom role with exactly these permissions in the tenant, created through the API by its owner. */
export async function customRole(t: TestApp, slug: string, permissions: readonly string[]): Promise<string> {
  const key = `role_${randomBytes(4).toString('hex')}`;
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/access/roles',
    headers: await t.headersFor(slug),
    payload: { key, name: key, permissions },
  });
  if (response.statusCode !== 201) throw new Error(`could not create role: ${response.body}`);
  return key;
}

/** A new member of the tenant holding these roles, and bearer headers for them. */
export async function memberWithRoles(t: TestApp, tenant: Tenant, roleKeys: readonly string[]): Promise<{ userId: string; headers: Record<string, string> }> {
  const user = await createUser(t.app.db, { email: `member-${randomBytes(4).toString('hex')}@${tenant.slug}.example`, displayName: 'Member' });
  await withTenantTx({ db: t.app.db, tenantId: tenant.id }, (uow) => putMember(uow.tx, tenant.id, user.id, roleKeys));
  const pair = await issueTokenPair(t.app.db, deriveIdentityKeys(TEST_ROOT_SECRET), { userId: user.id, tenantId: tenant.id });
  return { userId: user.id, headers: { authorization: `Bearer ${pair.accessToken}` } };
}
