import { z } from 'zod';
import { exact, instant, pageQuery } from './page.ts';

export const auditFilters = z.strictObject({
  action: exact(200),
  actor: exact(200),
  targetType: exact(100),
  targetId: exact(200),
  from: instant,
  to: instant,
});
export type AuditFilters = z.output<typeof auditFilters>;

export const auditListQuery = auditFilters.extend(pageQuery);
export type AuditListQuery = z.output<typeof auditListQuery>;

export const auditEventView = z.object({
  seq: z.number().int(),
  id: z.uuid(),
  occurredAt: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  requestId: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEventView = z.output<typeof auditEventView>;

/** How a chain can break, in the order verify checks each entry. */
export const CHAIN_BREAKS = ['seq_gap', 'prev_hash_mismatch', 'hash_mismatch'] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

export const chainVerification = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int() }),
  z.object({ ok: z.literal(false), brokenAt: z.object({ seq: z.number().int(), id: z.uuid(), reason: z.enum(CHAIN_BREAKS) }) }),
]);
export type ChainVerification = z.output<typeof chainVerification>;
