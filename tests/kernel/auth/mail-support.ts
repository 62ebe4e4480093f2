import type { TestApp } from '../../support/app.ts';

/** One queued email of an auth template, as the delivery table holds it. */
export interface QueuedMail {
  id: string;
  recipient: string;
  tenantId: string;
  data: Record<string, unknown>;
}

/** The emails queued to `recipient` with `template`, oldest first (read as the owner: no row-level security). */
export async function mailsTo(t: TestApp, recipient: string, template: string): Promise<QueuedMail[]> {
  const { rows } = await t.database.pool.query<{ id: string; recipient: string; tenant_id: string; data: Record<string, unknown> }>(
    'SELECT id, recipient, tenant_id, data FROM notify_delivery WHERE recipient = $1 AND template = $2 ORDER BY created_at, id',
    [recipient.toLowerCase(), template],
  );
  return rows.map((row) => ({ id: row.id, recipient: row.recipient, tenantId: row.tenant_id, data: row.data }));
}

/** The link of the newest email of `template` to `recipient`; throws when none was queued. */
export async function linkIn(t: TestApp, recipient: string, template: string): Promise<URL> {
  const link = (await mailsTo(t, recipient, template)).at(-1)?.data.link;
  if (typeof link !== 'string') throw new Error(`no ${template} email to ${recipient}`);
  return new URL(link);
}

/** Audit rows of the platform chain about one user, by action. */
export async function auditActions(t: TestApp, userId: string): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ action: string }>(
    "SELECT action FROM audit_event WHERE tenant_id = '00000000-0000-0000-0000-000000000000' AND target_id = $1 ORDER BY seq",
    [userId],
  );
  return rows.map((row) => row.action);
}
