import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import { actorLabel, type ServiceContext } from '../context.ts';
import type { Db, Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { hashToken, normaliseEmail, randomToken } from '../identity/index.ts';
import { isUuid } from '../identity/ids.ts';
import { assertRoomFor, tenantTable, withTenantTx } from '../tenancy/index.ts';
import { accessInvitation } from './invitation.table.ts';
import { activeMemberCount, memberAccess, putMember } from './members.service.ts';
import { assertGrantable } from './roles.service.ts';

export interface Invitation {
  id: string;
  email: string | null;
  roleKeys: string[];
  maxUses: number;
  uses: number;
  expiresAt: Date;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

export interface InvitationInput {
  /** Only this address may accept; anyone with the link when absent. */
  email?: string | undefined;
  roleKeys: string[];
  maxUses: number;
  expiresInHours: number;
}

/** What the person holding the link is told before accepting. */
export interface InvitationPreview {
  tenantId: string;
  tenantName: string;
  roleKeys: string[];
  email: string | null;
}

export const invitationErrors = {
  // One answer for unknown, expired, used up and revoked: the link holder learns nothing more.
  invalid: () => new AppError('NOT_FOUND', 'This invitation link is not valid: it may have expired, been used up or been withdrawn.', { reason: 'INVITATION_INVALID' }),
  notFound: () => new AppError('NOT_FOUND', 'Invitation was not found.', { reason: 'INVITATION_NOT_FOUND' }),
  otherEmail: () => new AppError('AUTHZ', 'This invitation is for another email address.', { reason: 'INVITATION_OTHER_EMAIL' }),
  alreadyMember: () => new AppError('CONFLICT', 'You are already a member of this business.', { reason: 'ALREADY_A_MEMBER' }),
};

const columns = {
  id: accessInvitation.id,
  email: accessInvitation.email,
  roleKeys: accessInvitation.roleKeys,
  maxUses: accessInvitation.maxUses,
  uses: accessInvitation.uses,
  expiresAt: accessInvitation.expiresAt,
  createdAt: accessInvitation.createdAt,
  createdBy: accessInvitation.createdBy,
  revokedAt: accessInvitation.revokedAt,
};

const target = (id: string) => ({ type: 'access.invitation', id });

/**
 * The link's token names its tenant in clear (row-level security needs the tenant before the
 * lookup) followed by the secret; only the secret's hash is stored.
 */
const tokenOf = (tenantId: string, secret: string) => `${tenantId}.${secret}`;

function parseToken(token: string): { tenantId: string; secret: string } | undefined {
  const [tenantId, secret, ...rest] = token.split('.');
  if (!tenantId || !secret || rest.length > 0 || !isUuid(tenantId) || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return undefined;
  return { tenantId, secret };
}

const isUsable = (row: Invitation, now: Date) => !row.revokedAt && row.expiresAt > now && row.uses < row.maxUses;

export function createInvitation(ctx: ServiceContext, input: InvitationInput): Promise<{ invitation: Invitation; token: string }> {
  return withTenantTx(ctx, async (uow) => {
    await assertGrantable(uow, input.roleKeys);
    const secret = randomToken();
    const [row] = await uow.tx
      .insert(accessInvitation)
      .values({
        tenantId: ctx.tenantId,
        tokenHash: hashToken(secret),
        email: input.email ? normaliseEmail(input.email) : null,
        roleKeys: [...new Set(input.roleKeys)].sort(),
        maxUses: input.maxUses,
        expiresAt: sql`now() + make_interval(hours => ${input.expiresInHours})`,
        createdBy: actorLabel(ctx.actor),
      })
      .returning(columns);
    if (!row) throw new Error('insert into access_invitation returned no row');
    const { email, roleKeys, maxUses, expiresAt } = row;
    recordAudit(uow, { action: 'access.invitation.created', target: target(row.id), data: { email, roleKeys, maxUses, expiresAt: expiresAt.toISOString() } });
    return { invitation: row, token: tokenOf(ctx.tenantId, secret) };
  });
}

export function listInvitations(ctx: ServiceContext): Promise<Invitation[]> {
  return withTenantTx(ctx, (uow) =>
    uow.tx.select(columns).from(accessInvitation).where(eq(accessInvitation.tenantId, ctx.tenantId)).orderBy(desc(accessInvitation.createdAt), desc(accessInvitation.id)),
  );
}

export function revokeInvitation(ctx: ServiceContext, id: string): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    const revoked = await uow.tx
      .update(accessInvitation)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(accessInvitation.tenantId, ctx.tenantId), eq(accessInvitation.id, id), isNull(accessInvitation.revokedAt)))
      .returning({ id: accessInvitation.id });
    if (revoked.length === 0) throw invitationErrors.notFound();
    recordAudit(uow, { action: 'access.invitation.revoked', target: target(id), data: {} });
  });
}

async function lockUsable(tx: Tx, tenantId: string, secret: string, now: Date, lock: boolean): Promise<Invitation & { tenantName: string }> {
  const query = tx
    .select({ ...columns, tenantName: tenantTable.name, tenantStatus: tenantTable.status })
    .from(accessInvitation)
    .innerJoin(tenantTable, eq(tenantTable.id, accessInvitation.tenantId))
    .where(and(eq(accessInvitation.tenantId, tenantId), eq(accessInvitation.tokenHash, hashToken(secret))))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: accessInvitation }) : await query;
  if (!row || row.tenantStatus !== 'active' || !isUsable(row, now)) throw invitationErrors.invalid();
  return row;
}

/** What a link offers, for the page shown before accepting; invalid links all look alike. */
export async function previewInvitation(db: Db, token: string): Promise<InvitationPreview> {
  const parsed = parseToken(token);
  if (!parsed) throw invitationErrors.invalid();
  const row = await withTenantTx({ db, tenantId: parsed.tenantId }, (uow) => lockUsable(uow.tx, parsed.tenantId, parsed.secret, new Date(), false));
  return { tenantId: parsed.tenantId, tenantName: row.tenantName, roleKeys: row.roleKeys, email: row.email };
}

/**
 * Makes the user a member with the invitation's roles and counts one use, in the caller's
 * transaction (sign-up creates the user in the same one). The row lock makes parallel
 * acceptances of a single-use link yield one member.
 */
export async function acceptInvitation(
  tx: Tx,
  ctx: Pick<ServiceContext, 'actor' | 'requestId'>,
  token: string,
  user: { id: string; email: string },
): Promise<{ tenantId: string }> {
  const parsed = parseToken(token);
  if (!parsed) throw invitationErrors.invalid();
  const { tenantId } = parsed;
  return withTenantTx({ db: tx, tenantId, actor: ctx.actor, requestId: ctx.requestId }, async (scoped) => {
    const invitation = await lockUsable(scoped.tx, tenantId, parsed.secret, new Date(), true);
    if (invitation.email && invitation.email !== normaliseEmail(user.email)) throw invitationErrors.otherEmail();
    if ((await memberAccess(scoped.tx, tenantId, user.id))?.status === 'active') throw invitationErrors.alreadyMember();
    await assertRoomFor(scoped.tx, tenantId, 'members', () => activeMemberCount(scoped.tx, tenantId));
    await putMember(scoped.tx, tenantId, user.id, invitation.roleKeys);
    await scoped.tx
      .update(accessInvitation)
      .set({ uses: sql`${accessInvitation.uses} + 1` })
      .where(and(eq(accessInvitation.tenantId, tenantId), eq(accessInvitation.id, invitation.id)));
    recordAudit(scoped, {
      action: 'access.invitation.accepted',
      target: target(invitation.id),
      data: { userId: user.id, roleKeys: invitation.roleKeys },
    });
    return { tenantId };
  });
}
