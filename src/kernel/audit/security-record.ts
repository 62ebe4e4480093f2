import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../tenancy/index.ts';
import { securityEvent, type SecuritySeverity } from './security-event.table.ts';

/** The kinds the kernel records; modules add their own (POS: `refund_spike`, `void_spike` via detectRateSpike). */
export type SecurityEventKind =
  | 'login_failed'
  | 'lockout'
  | 'authn_failed'
  | 'access_denied'
  | 'token_reuse'
  | 'csrf_rejected'
  | 'rate_limited'
  /** Two-step sign-in turned on or off by a user with no business to audit it in (auth). */
  | 'totp_enabled'
  | 'totp_disabled'
  | `${string}_spike`;

const DEFAULT_SEVERITY: Partial<Record<SecurityEventKind, SecuritySeverity>> = {
  login_failed: 'info',
  authn_failed: 'info',
  rate_limited: 'info',
  token_reuse: 'critical',
};

export interface SecurityEventInput {
  /** The tenant it concerns; null or absent for none (unknown account, no tenant yet): the platform's. */
  tenantId?: string | null;
  kind: SecurityEventKind;
  /** Defaults to `info` for routine failures, `critical` for token reuse, `warning` otherwise. */
  severity?: SecuritySeverity;
  /** actorLabel(actor), or `anonymous`. */
  actor: string;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export type WarnLogger = Pick<FastifyBaseLogger, 'warn'>;

/** A security event with its defaults applied. */
type ResolvedSecurityEvent = SecurityEventInput & { tenantId: string; severity: SecuritySeverity; details: Record<string, unknown> };

/** The log line of a security event, for log-based alerting beside the table. */
export function logSecurityEvent(log: WarnLogger, event: ResolvedSecurityEvent): void {
  const { kind, severity, tenantId, actor, ip, requestId, details } = event;
  log.warn({ securityEvent: { kind, severity, tenantId, actor, ip, requestId, details } }, `security event: ${kind}`);
}

/**
 * Details carry what an attacker sent (an email tried at sign-in, an Origin): PostgreSQL's jsonb
 * refuses NUL and unpaired UTF-16 surrogates, and a refusal must not lose the event, so such
 * characters are stored as U+FFFD.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableDetails(details: Record<string, unknown>): Record<string, unknown> {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(UNPAIRED_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [clean(key) as string, clean(inner)]));
    return value;
  };
  return clean(details) as Record<string, unknown>;
}

/**
 * Records a security event in its own tenant transaction, not the caller's: a denial stays on
 * record even though the request's work is rolled back. The log line comes first, so the event
 * reaches the log even when the database does not answer (the error is still thrown).
 */
export async function recordSecurityEvent(db: Db, event: SecurityEventInput, log: WarnLogger): Promise<void> {
  const tenantId = event.tenantId ?? PLATFORM_TENANT_ID;
  const severity = event.severity ?? DEFAULT_SEVERITY[event.kind] ?? 'warning';
  const details = storableDetails(event.details ?? {});
  logSecurityEvent(log, { ...event, tenantId, severity, details });
  await withTenantTx({ db, tenantId }, (uow) =>
    uow.tx.insert(securityEvent).values({
      tenantId,
      kind: event.kind,
      severity,
      actor: event.actor,
      ip: event.ip ?? null,
      requestId: event.requestId ?? null,
      details,
    }),
  );
}
