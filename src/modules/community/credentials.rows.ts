import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit, type EventType } from '../../kernel/jobs/index.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';
import type { DecidedVia } from './domain/credential.ts';
import { communityCredential } from './community.table.ts';

type Uow = UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>;

/** The event every credential that becomes trusted emits: other modules (requests) promote what its person drafted. */
export const CREDENTIAL_TRUSTED = 'community.credential.trusted' satisfies EventType;

/** Announces, in the caller's transaction, that a person's sign-in became trusted. */
export function announceTrusted(uow: Uow, credentialId: string, userId: string, via: DecidedVia): void {
  emit(uow, { type: CREDENTIAL_TRUSTED, payload: { credentialId, userId, via } });
}

/**
 * Registers a credential with the community (once: a second call changes nothing): pending, or
 * trusted at once when `trustedVia` says why (an invite that joins at once, the bootstrap).
 */
export async function recordCredential(
  uow: Uow,
  input: { credentialKey: string; userId: string; ip: string | null; userAgent: string | null; trustedVia?: DecidedVia | undefined },
): Promise<void> {
  const now = new Date();
  const trusted = input.trustedVia !== undefined;
  const [row] = await uow.tx
    .insert(communityCredential)
    .values({
      tenantId: uow.tenantId,
      credentialKey: input.credentialKey,
      userId: input.userId,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      createdAt: now,
      ...(trusted ? { state: 'trusted' as const, decidedAt: now, decidedVia: input.trustedVia, decidedByUserId: null, decidedFrom: input.ip } : {}),
    })
    .onConflictDoNothing()
    .returning({ id: communityCredential.id });
  if (row && input.trustedVia) announceTrusted(uow, row.id, input.userId, input.trustedVia);
}

export const ofCredential = (tenantId: string, id: string) => and(eq(communityCredential.tenantId, tenantId), eq(communityCredential.id, id));
export const ofCredentialKey = (tenantId: string, key: string) => and(eq(communityCredential.tenantId, tenantId), eq(communityCredential.credentialKey, key));
