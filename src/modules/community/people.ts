import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { communityErrors } from './errors.ts';
import { communityMember } from './community.table.ts';

/** The person acting: community work is done by people (a browser or their API token), never terminals. */
export function actingUserId(ctx: Pick<ServiceContext, 'actor'>): string {
  const { actor } = ctx;
  if (actor.kind === 'user' || actor.kind === 'api') return actor.userId;
  throw communityErrors.personRequired();
}

/** Usernames of these members of the tenant, by user id (people see names, never ids). */
export async function usernamesOf(tx: Tx, tenantId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ userId: communityMember.userId, username: communityMember.username })
    .from(communityMember)
    .where(and(eq(communityMember.tenantId, tenantId), inArray(communityMember.userId, ids)));
  return new Map(rows.map((row) => [row.userId, row.username]));
}
