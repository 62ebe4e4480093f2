import { hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.ts';

export class MissingSecretError extends Error {
  constructor() {
    super('PLINTH_SECRET: required in production (at least 32 characters of random text, e.g. `openssl rand -base64 48`).');
    this.name = 'MissingSecretError';
  }
}

/**
 * The installation's root secret. Production must set PLINTH_SECRET; elsewhere one is generated
 * once into the data folder (never the repo) so sessions survive restarts.
 */
export async function loadRootSecret(config: Pick<Config, 'secret' | 'env' | 'dataDir'>): Promise<Buffer> {
  if (config.secret) return Buffer.from(config.secret, 'utf8');
  if (config.env === 'production') throw new MissingSecretError();
  const file = path.join(config.dataDir, 'secret.key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) return Buffer.from(existing.trim(), 'utf8');
  await mkdir(config.dataDir, { recursive: true });
  const generated = randomBytes(48).toString('base64url');
  await writeFile(file, `${generated}\n`, { mode: 0o600 });
  return Buffer.from(generated, 'utf8');
}

/** Independent keys per purpose (JWT signing, TOTP secret encryption, …) from the one root secret. */
export function deriveKey(root: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `plinth:${purpose}`, length));
}

/** Whether two secrets or MACs are equal, in time that does not depend on where they differ. */
export function sameSecret(presented: Buffer, expected: Buffer): boolean {
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
