import { createHmac } from 'node:crypto';
import { isUuid } from '../identity/ids.ts';
import { deriveKey, sameSecret } from '../secrets/index.ts';
import type { Channel } from './delivery.table.ts';

export interface UnsubscribeClaim {
  tenantId: string;
  channel: Channel;
  recipient: string;
}

/** The unsubscribe links' signing key, its own purpose under the root secret. */
export const unsubscribeKey = (rootSecret: Buffer): Buffer => deriveKey(rootSecret, 'notify.unsubscribe');

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

/**
 * `payload.signature`, both base64url: the payload names tenant, channel and recipient, the
 * signature is HMAC-SHA256 over it. No expiry: an unsubscribe link must keep working.
 */
export function signUnsubscribeToken(key: Buffer, claim: UnsubscribeClaim): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, t: claim.tenantId, c: claim.channel, r: claim.recipient })).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The claim of a token this installation signed; undefined for anything else. */
export function verifyUnsubscribeToken(key: Buffer, token: string): UnsubscribeClaim | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (!sameSecret(given, expected)) return undefined;
  try {
    const claim = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { v?: unknown; t?: unknown; c?: unknown; r?: unknown };
    if (claim.v !== 1 || typeof claim.t !== 'string' || !isUuid(claim.t) || (claim.c !== 'email' && claim.c !== 'sms') || typeof claim.r !== 'string') return undefined;
    return { tenantId: claim.t, channel: claim.c, recipient: claim.r };
  } catch {
    return undefined;
  }
}
