import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { deriveKey } from '../secrets/index.ts';

/** The identity kernel's keys, each derived for one purpose from the installation's root secret. */
export interface IdentityKeys {
  /** HS256 key of access tokens. */
  jwt: Uint8Array;
  /** AES-256-GCM key of stored TOTP secrets. */
  totp: Buffer;
}

export function deriveIdentityKeys(root: Buffer): IdentityKeys {
  return { jwt: new Uint8Array(deriveKey(root, 'jwt')), totp: deriveKey(root, 'totp') };
}

/** An unguessable bearer secret (session, refresh, reset, device): 32 random bytes, base64url. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * Bearer secrets are stored as their SHA-256 only: they carry 256 random bits, so a fast hash
 * is enough, and a leaked table gives nobody a usable token.
 */
export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A code a person types: `length` characters from an alphabet without look-alikes (0/o, 1/l/i). */
export function randomCode(length: number): string {
  const alphabet = '23456789abcdefghjkmnpqrstuvwxyz';
  let code = '';
  for (let index = 0; index < length; index++) code += alphabet[randomInt(alphabet.length)];
  return code;
}

const SEALED_VERSION = 'v1';

/**
 * AES-256-GCM with a fresh 96-bit IV; `context` is bound as additional data so a ciphertext
 * copied onto another row (another user) does not decrypt.
 */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [SEALED_VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== SEALED_VERSION || iv === undefined || tag === undefined || body === undefined) throw new Error('unknown sealed value format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
