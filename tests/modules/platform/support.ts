import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { PLATFORM_ROLE_TEMPLATES, provisionTenant } from '../../../src/kernel/access/index.ts';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { PLATFORM_TENANT_ID, PLATFORM_TENANT_SLUG } from '../../../src/kernel/tenancy/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import type { TestApp } from '../../support/app.ts';

export const PASSWORD = 'amber-willow-harbour-7';
export const tag = () => randomBytes(4).toString('hex');

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A platform staff member with the super_admin role, and their API headers. */
export async function platformAdmin(t: TestApp): Promise<{ userId: string; email: string; headers: Record<string, string> }> {
  const email = `admin-${tag()}@platform.example`;
  const user = await createUser(t.app.db, { email, displayName: 'Platform admin' });
  const declared = declaredPermissions(planEditions({ editions: undefined }).modules);
  await provisionTenant(t.app.db, { slug: PLATFORM_TENANT_SLUG, name: 'Plinth platform', edition: 'platform', templates: PLATFORM_ROLE_TEMPLATES, declared, ownerUserId: user.id });
  return { userId: user.id, email, headers: await t.headersAs(user.id, PLATFORM_TENANT_ID) };
}

export async function call(t: TestApp, method: HTTPMethods, url: string, headers: Record<string, string>, payload?: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

export function expectError(response: LightMyRequestResponse, status: number, code: string, reason?: string): ErrorBody['error'] {
  assert.equal(response.statusCode, status, response.body);
  const { error } = response.json() as ErrorBody;
  assert.equal(error.code, code, response.body);
  if (reason !== undefined) assert.equal(error.details?.reason, reason, response.body);
  return error;
}

export function signupPayload(edition = 'retail') {
  const id = tag();
  return { businessName: `Shop ${id}`, slug: `shop-${id}`, edition, ownerName: `Owner ${id}`, email: `owner-${id}@shops.example`, password: PASSWORD };
}

/** Signs a business up through the public API; answers its tenant id and what was sent. */
export async function signUp(t: TestApp, edition = 'retail') {
  const payload = signupPayload(edition);
  const response = await call(t, 'POST', '/v1/platform/signups', {}, payload);
  assert.equal(response.statusCode, 201, response.body);
  const { tenantId } = (response.json() as { data: { tenantId: string } }).data;
  return { tenantId, ...payload };
}

/** Password sign-in through the token endpoint, into the business with this slug. */
export const signIn = (t: TestApp, email: string, tenant?: string) => call(t, 'POST', '/v1/auth/token', {}, { email, password: PASSWORD, ...(tenant ? { tenant } : {}) });

/** Emails queued for an address, oldest first, with their template and data. */
export async function mailTo(t: TestApp, to: string): Promise<{ template: string; data: Record<string, unknown> }[]> {
  const { rows } = await t.database.pool.query<{ template: string; data: Record<string, unknown> }>(
    `SELECT template, data FROM notify_delivery WHERE recipient = $1 AND channel = 'email' ORDER BY created_at, id`,
    [to.toLowerCase()],
  );
  return rows;
}

export async function auditActions(t: TestApp, tenantId: string, targetId: string): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ action: string }>(`SELECT action FROM audit_event WHERE tenant_id = $1 AND target_id = $2 ORDER BY seq`, [tenantId, targetId]);
  return rows.map((row) => row.action);
}

/** Types of the platform's outbox events about one business, oldest first. */
export async function platformEventsAbout(t: TestApp, tenantId: string): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ type: string }>(
    `SELECT type FROM jobs_outbox WHERE tenant_id = '00000000-0000-0000-0000-000000000000' AND payload->>'tenantId' = $1 ORDER BY occurred_at, id`,
    [tenantId],
  );
  return rows.map((row) => row.type);
}
