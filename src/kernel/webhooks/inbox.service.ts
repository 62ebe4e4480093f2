import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { emit } from '../jobs/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../tenancy/index.ts';
import { webhookInbox } from './inbox.table.ts';
import type { VerifiedWebhook } from './signatures.ts';

export const WEBHOOK_PROVIDERS = ['stripe', 'square'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** What the job system carries to handlers of a stored webhook; they read the event from the inbox. */
export const WEBHOOK_RECEIVED = 'webhooks.event.received';
export interface WebhookReceivedPayload extends Record<string, unknown> {
  inboxId: string;
  provider: WebhookProvider;
  eventType: string;
}

/**
 * Stores a verified event once and, in the same transaction, emits `webhooks.event.received`
 * (as the platform: the event names its account, and its handler routes it to the tenant).
 * `duplicate` when the provider sent it before: then nothing is stored or emitted again.
 */
export function storeWebhook(db: Db, provider: WebhookProvider, event: VerifiedWebhook): Promise<{ id: string; duplicate: boolean }> {
  return withTenantTx({ db, tenantId: PLATFORM_TENANT_ID }, async (uow) => {
    const [inserted] = await uow.tx
      .insert(webhookInbox)
      .values({ provider, eventId: event.eventId, eventType: event.type, payload: event.payload })
      .onConflictDoNothing({ target: [webhookInbox.provider, webhookInbox.eventId] })
      .returning({ id: webhookInbox.id });
    if (inserted) {
      const payload: WebhookReceivedPayload = { inboxId: inserted.id, provider, eventType: event.type };
      emit(uow, { type: WEBHOOK_RECEIVED, payload });
      return { id: inserted.id, duplicate: false };
    }
    const [existing] = await uow.tx
      .select({ id: webhookInbox.id })
      .from(webhookInbox)
      .where(and(eq(webhookInbox.provider, provider), eq(webhookInbox.eventId, event.eventId)));
    if (!existing) throw new Error(`webhook ${provider}/${event.eventId} neither inserted nor found`);
    return { id: existing.id, duplicate: true };
  });
}

export interface InboxEvent {
  id: string;
  provider: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  processedAt: Date | null;
}

/**
 * For a handler: the stored event, row-locked until its transaction ends, or undefined once it
 * is processed. Take it before touching the business object, apply the effect, then
 * markWebhookProcessed in the same transaction: a parallel replay waits here and then sees it done.
 */
export async function claimWebhook(tx: Tx, inboxId: string): Promise<InboxEvent | undefined> {
  const [row] = await tx
    .select({
      id: webhookInbox.id,
      provider: webhookInbox.provider,
      eventId: webhookInbox.eventId,
      eventType: webhookInbox.eventType,
      payload: webhookInbox.payload,
      processedAt: webhookInbox.processedAt,
    })
    .from(webhookInbox)
    .where(eq(webhookInbox.id, inboxId))
    .for('update');
  return row && !row.processedAt ? row : undefined;
}

/** Marks the event handled, in the transaction of its effect. */
export async function markWebhookProcessed(tx: Tx, inboxId: string): Promise<void> {
  await tx.update(webhookInbox).set({ processedAt: sql`now()`, lastError: null }).where(and(eq(webhookInbox.id, inboxId), isNull(webhookInbox.processedAt)));
}
