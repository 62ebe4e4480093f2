import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { FastifyBaseLogger } from 'fastify';

// A leaf that every layer imports, so it imports nothing of the kernel: the database handle is
// spelled as db/client.ts's Db is (the same type), not imported from db/.

/** Who is acting. Every use case knows; audit rows and security events record it. */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; sessionId: string }
  | { kind: 'api'; userId: string; tokenFamilyId: string }
  | { kind: 'device'; deviceId: string; staffUserId: string | null }
  | { kind: 'system'; process: string };

/** A short, stable label of an actor for logs, audit rows and exports. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'user':
      return `user:${actor.userId}`;
    case 'api':
      return `api:${actor.userId}`;
    case 'device':
      return actor.staffUserId ? `device:${actor.deviceId}/staff:${actor.staffUserId}` : `device:${actor.deviceId}`;
    case 'system':
      return `system:${actor.process}`;
  }
}

/** What every use case receives first: who is asking, for which tenant, and where to write. */
export interface ServiceContext {
  db: NodePgDatabase<Record<string, never>>;
  tenantId: string;
  actor: Actor;
  requestId: string;
  log: FastifyBaseLogger;
  /** The actor's permissions in this tenant when a request carries them; system work has none and is not limited by them. */
  permissions?: ReadonlySet<string>;
}
