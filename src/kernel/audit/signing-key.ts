import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The public half of the checkpoint signing key, and its id (what checkpoints name as key_id). */
export interface CheckpointVerifier {
  publicKey: KeyObject;
  keyId: string;
}

export interface CheckpointSigner extends CheckpointVerifier {
  privateKey: KeyObject;
}

/** The first 16 hex digits of the SHA-256 of the public key (SPKI DER): enough to tell keys apart. */
const keyIdOf = (publicKey: KeyObject) => createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

function signerOf(pem: string, file: string): CheckpointSigner {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key (it is ${privateKey.asymmetricKeyType ?? 'unknown'}).`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** The signing key in `file`, or undefined when there is no such file (verify never creates one). */
export async function loadSigningKey(file: string): Promise<CheckpointSigner | undefined> {
  const pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return pem === undefined ? undefined : signerOf(pem, file);
}

/**
 * The signing key in `file`, created on first use: a new Ed25519 key, PKCS#8 PEM, mode 0600. It
 * is written to a temporary file and linked into place, so processes starting together end up
 * with one key and nobody reads a half-written file.
 */
export async function ensureSigningKey(file: string): Promise<CheckpointSigner> {
  const existing = await loadSigningKey(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return signerOf(await readFile(file, 'utf8'), file);
}
