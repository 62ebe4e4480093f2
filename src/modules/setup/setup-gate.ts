import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** Unambiguous capitals and digits (no 0/O, 1/I/L), grouped for reading aloud from a console. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;
/** After this many wrong codes in a row every attempt waits out the pause, whoever sends it. */
const WRONG_CODES_BEFORE_PAUSE = 5;
const PAUSE_MS = 60_000;

export type CodeCheck = { ok: true } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'paused'; retryAfterSeconds: number };

/**
 * The one-time setup code of this server process: printed at start, asked by /setup, so that only
 * someone who can read the server's console claims a fresh install. 12 characters from 31 (~59
 * bits) behind the auth rate limit and a pause after repeated mistakes.
 */
export interface SetupGate {
  readonly code: string;
  check(candidate: string, now?: number): CodeCheck;
}

const digest = (text: string) => createHash('sha256').update(text.replace(/[\s-]/g, '').toUpperCase()).digest();

export function createSetupGate(code = generateSetupCode()): SetupGate {
  const expected = digest(code);
  let wrongInARow = 0;
  let pausedUntil = 0;
  return {
    code,
    check(candidate, now = Date.now()) {
      if (now < pausedUntil) return { ok: false, reason: 'paused', retryAfterSeconds: Math.ceil((pausedUntil - now) / 1000) };
      if (timingSafeEqual(digest(candidate), expected)) {
        wrongInARow = 0;
        return { ok: true };
      }
      wrongInARow += 1;
      if (wrongInARow >= WRONG_CODES_BEFORE_PAUSE) {
        wrongInARow = 0;
        pausedUntil = now + PAUSE_MS;
      }
      return { ok: false, reason: 'wrong' };
    },
  };
}

export function generateSetupCode(): string {
  const groups = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}
