import { inArray } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { identityDevice } from './device.table.ts';
import { describeActor, parseActorLabel } from './domain/actor-label.ts';
import { appUser } from './user.table.ts';

/** Says who an actor label (`user:…`, `device:…/staff:…`, `system:…`) is, in words. */
export type ActorNamer = (label: string | null | undefined) => string;

/**
 * Looks up the people and terminals behind stored actor labels in one query each, so a page shows
 * "Anna at Front till" instead of ids. Runs in the business's transaction: terminals are tenant rows.
 */
export async function actorNames(tx: Tx, labels: Iterable<string | null | undefined>): Promise<ActorNamer> {
  const parsed = new Map<string, ReturnType<typeof parseActorLabel>>();
  for (const label of labels) if (label && !parsed.has(label)) parsed.set(label, parseActorLabel(label));
  const userIds = new Set<string>();
  const deviceIds = new Set<string>();
  for (const actor of parsed.values()) {
    if (actor.kind === 'user' || actor.kind === 'api') userIds.add(actor.userId);
    if (actor.kind === 'device') {
      deviceIds.add(actor.deviceId);
      if (actor.staffUserId) userIds.add(actor.staffUserId);
    }
  }
  const users = userIds.size === 0 ? [] : await tx.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, [...userIds]));
  const devices = deviceIds.size === 0 ? [] : await tx.select({ id: identityDevice.id, name: identityDevice.name }).from(identityDevice).where(inArray(identityDevice.id, [...deviceIds]));
  const userNames = new Map(users.map((user) => [user.id, user.name]));
  const deviceNames = new Map(devices.map((device) => [device.id, device.name]));
  return (label) => (label ? describeActor(parsed.get(label) ?? parseActorLabel(label), userNames, deviceNames) : '—');
}

/** actorNames in a read-only unit of work of its own, for a page that has the request's context. */
export function nameActors(ctx: ServiceContext, labels: Iterable<string | null | undefined>): Promise<ActorNamer> {
  return withTenantTx(ctx, (uow) => actorNames(uow.tx, labels));
}
