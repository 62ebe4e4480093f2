import type { Actor } from '../../context.ts';

/** A request whose credentials checked out: who it is and which tenant it is working in. */
export interface Authenticated {
  actor: Exclude<Actor, { kind: 'anonymous' } | { kind: 'system' }>;
  /** The person whose permissions apply: the signed-in user, or the staff member at a terminal. */
  userId: string | null;
  tenantId: string | null;
  via: 'session' | 'bearer';
  /** The browser session's id (not its secret), when the request came with the session cookie. */
  sessionId?: string;
  /** The tenant's status and access_version as read with the credential; lets authorization trust its cache. */
  tenantState?: { status: string; accessVersion: number } | null;
}

/** How credentials become an Authenticated; supplied by identity so the guard stays free of storage details. */
export interface Authenticator {
  fromSessionCookie(token: string, request: { ip: string; userAgent: string | undefined }): Promise<Authenticated | null>;
  fromBearer(token: string): Promise<Authenticated | null>;
}

export type SecurityEventKind = 'access_denied' | 'csrf_rejected' | 'rate_limited' | 'authn_failed';

export interface GuardSecurityEvent {
  kind: SecurityEventKind;
  tenantId: string | null;
  actor: string;
  ip: string;
  requestId: string;
  details: Record<string, unknown>;
}

/** Where the guard reports denials; audit's security-event log in the running app. */
export type SecurityEventSink = (event: GuardSecurityEvent) => Promise<void>;
