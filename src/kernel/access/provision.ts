import type { Db } from '../db/index.ts';
import { ensureTenant, withTenantTx, type Tenant } from '../tenancy/index.ts';
import { putMember } from './members.service.ts';
import { syncTemplateRoles } from './roles.service.ts';
import type { RoleTemplate } from './templates.ts';

export interface TenantProvisioning {
  slug: string;
  name: string;
  edition: string;
  /** IANA zone of the business's clocks when it is created (UTC when not given). */
  timeZone?: string;
  templates: readonly RoleTemplate[];
  declared: ReadonlySet<string>;
  /** Made a member with the `owner` template role. */
  ownerUserId?: string;
}

/** Creates the tenant if needed, brings its template roles up to date and seats the owner. Idempotent. */
export async function provisionTenant(db: Db, input: TenantProvisioning): Promise<Tenant> {
  const tenant = await db.transaction((tx) => ensureTenant(tx, { slug: input.slug, name: input.name, edition: input.edition, ...(input.timeZone ? { timeZone: input.timeZone } : {}) }));
  await withTenantTx({ db, tenantId: tenant.id }, async (uow) => {
    await syncTemplateRoles(uow.tx, tenant.id, input.templates, input.declared);
    if (input.ownerUserId) await putMember(uow.tx, tenant.id, input.ownerUserId, ['owner']);
  });
  return tenant;
}
