import { memberAccess } from '../../kernel/access/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { verifyStaffPin } from '../../kernel/identity/index.ts';
import { withTenantTx } from '../../kernel/tenancy/index.ts';
import type { Override } from './domain/schemas.ts';
import { posErrors } from './errors.ts';

/** Permissions a till action needs beyond pos.sale.create; a cashier without one needs a manager's PIN. */
export const RESTRICTED = {
  discount: 'pos.discount.apply',
  discountUnlimited: 'pos.discount.unlimited',
  priceOverride: 'pos.price.override',
  negativeQuantity: 'pos.quantity.negative',
  void: 'pos.ticket.void',
  refund: 'pos.ticket.refund',
  lateSale: 'pos.sale.late',
} as const;

/** The person acting: the staff member signed in at a terminal, or the signed-in user. */
export function actingUserId(ctx: Pick<ServiceContext, 'actor'>): string | null {
  switch (ctx.actor.kind) {
    case 'device':
      return ctx.actor.staffUserId;
    case 'user':
    case 'api':
      return ctx.actor.userId;
    default:
      return null;
  }
}

export interface Approval {
  /** Restricted permissions this request used. */
  used: string[];
  /** The manager whose PIN approved what the actor may not do alone; null when none was needed. */
  approvedBy: string | null;
  /** What the manager approved (a subset of `used`). */
  approved: string[];
}

/**
 * Checks the restricted actions a request takes against the permissions of the person acting —
 * at a till, the STAFF MEMBER signed in with their PIN, not the device — and, for those they
 * lack, against a manager's PIN sent with the request. A manager override approves only this
 * request, and only permissions the manager holds. Without one, AUTHZ names the first missing
 * permission. System work (no permissions in the context) is not limited.
 *
 * Runs before the use case's transaction: the PIN check keeps its own lockout rows.
 */
export async function authorizeRestricted(ctx: ServiceContext, needed: Iterable<string>, override: Override | undefined): Promise<Approval> {
  const used = [...new Set(needed)].sort();
  const missing = ctx.permissions ? used.filter((permission) => !ctx.permissions?.has(permission)) : [];
  if (missing.length === 0) return { used, approvedBy: null, approved: [] };
  if (!override) throw posErrors.permission(missing[0] as string, missing);
  const outcome = await verifyStaffPin(ctx, { userId: override.userId, pin: override.pin });
  if (!outcome.ok) {
    if (outcome.reason === 'locked') throw posErrors.overrideLocked(outcome.retryAfterSeconds ?? 60);
    throw posErrors.overrideRefused();
  }
  const approver = await withTenantTx(ctx, (uow) => memberAccess(uow.tx, ctx.tenantId, override.userId));
  if (approver?.status !== 'active') throw posErrors.overrideRefused();
  const notHeld = missing.find((permission) => !approver.permissions.has(permission));
  if (notHeld) throw posErrors.overrideNotAllowed(notHeld);
  return { used, approvedBy: override.userId, approved: missing };
}

/** The approval as audit data: who acted, who approved what. */
export const approvalAudit = (ctx: Pick<ServiceContext, 'actor'>, approval: Approval) =>
  approval.approvedBy ? { override: { actorUserId: actingUserId(ctx), approvedBy: approval.approvedBy, permissions: approval.approved } } : {};
