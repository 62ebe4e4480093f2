import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { randomToken } from './crypto.ts';

// `Algorithm` is an ambient const enum, which isolatedModules cannot read: 2 is its Argon2id.
const ARGON2ID = 2 as Algorithm;

/**
 * The one place argon2id's cost is set: OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane),
 * a few tens of milliseconds per hash. Raising it makes needsRehash() true for older hashes,
 * which a successful sign-in then upgrades.
 */
const PARAMETERS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } satisfies Options;

/** Passwords are compared as Unicode NFKC, so the same password typed on another keyboard still matches. */
const normalise = (secret: string) => secret.normalize('NFKC');

/** An argon2id PHC string of a password or PIN. */
export const hashSecret = (secret: string): Promise<string> => hash(normalise(secret), PARAMETERS);

export async function verifySecret(stored: string, secret: string): Promise<boolean> {
  try {
    return await verify(stored, normalise(secret));
  } catch {
    // A malformed stored hash is a failed check, never a crash of the sign-in path.
    return false;
  }
}

export function needsRehash(stored: string): boolean {
  try {
    const used = parseOptions(stored);
    return (
      used.algorithm !== PARAMETERS.algorithm ||
      used.memoryCost !== PARAMETERS.memoryCost ||
      used.timeCost !== PARAMETERS.timeCost ||
      used.parallelism !== PARAMETERS.parallelism ||
      used.outputLen !== PARAMETERS.outputLen
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Verifies `secret` against a hash of nothing anyone knows, with the current parameters, and
 * returns false: an unknown account costs the same time as a wrong password for a known one.
 */
export async function verifyAgainstDummy(secret: string): Promise<false> {
  dummy ??= hashSecret(randomToken());
  await verifySecret(await dummy, secret);
  return false;
}
