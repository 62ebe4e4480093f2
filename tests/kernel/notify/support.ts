import { z } from 'zod';
import {
  defineTemplate,
  html,
  notifyTemplates,
  queueNotification,
  type DeliverOptions,
  type NotifyDatabases,
  type NotifyProviders,
  type OutgoingEmail,
  type OutgoingSms,
  type QueueNotificationInput,
} from '../../../src/kernel/notify/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import type { TestApp } from '../../support/app.ts';

/** A template with both bodies whose data a test controls (names with markup check escaping). */
export const parcelArrived = defineTemplate({
  id: 'test.parcel_arrived',
  data: z.object({ name: z.string(), code: z.string() }),
  email: {
    subject: (data) => `Your parcel is here, ${data.name}`,
    text: (data) => `Hello ${data.name}, pick-up code ${data.code}.`,
    html: (data) => html`<p>Hello <b>${data.name}</b>, pick-up code ${data.code}.</p>`,
  },
  sms: { text: (data) => `Parcel waiting. Code ${data.code}. Reply STOP to opt out.` },
});
notifyTemplates.add(parcelArrived);

export const DELIVER_OPTIONS: DeliverOptions = { from: 'Plinth Test <no-reply@plinth.test>', quietHours: '21:00-08:00' };

export type RecordingProviders = NotifyProviders & { emails: OutgoingEmail[]; texts: OutgoingSms[] };

/** A provider that keeps what it is handed in `into`; `fail` makes every send throw what it returns. */
function recorder<M>(into: M[], kind: string, fail: (() => Error) | undefined) {
  return {
    name: 'recording',
    async send(message: M) {
      if (fail) throw fail();
      into.push(message);
      return { providerMessageId: `rec-${kind}-${into.length}` };
    },
  };
}

/** Providers that keep what they are handed; `fail` makes every send throw what it returns. */
export function recordingProviders(fail?: () => Error): RecordingProviders {
  const emails: OutgoingEmail[] = [];
  const texts: OutgoingSms[] = [];
  return { emails, texts, email: recorder(emails, 'email', fail), sms: recorder(texts, 'sms', fail) };
}

/** Queues one message for tenant A in its own committed transaction; answers the delivery id. */
export function queue(t: TestApp, input: Omit<QueueNotificationInput<{ name: string; code: string }>, 'template'>, tenantId = t.tenantA.id): Promise<string> {
  return withTenantTx({ db: t.app.db, tenantId, requestId: 'notify-test' }, (uow) => queueNotification(uow, { ...input, template: parcelArrived }));
}

/** A delivery row as the owner sees it. */
export async function deliveryRow(t: TestApp, id: string) {
  const { rows } = await t.database.pool.query<{
    status: string;
    attempts: number;
    next_attempt_at: Date | null;
    provider_message_id: string | null;
    error: string | null;
  }>('SELECT status, attempts, next_attempt_at, provider_message_id, error FROM notify_delivery WHERE id = $1', [id]);
  if (!rows[0]) throw new Error(`no delivery ${id}`);
  return rows[0];
}

/** What deliverDue works on: the app pool, and the owner pool that may call the cross-tenant claim. */
export const dbs = (t: TestApp): NotifyDatabases => ({ db: t.app.db, owner: t.database.pool });
