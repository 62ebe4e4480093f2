/**
 * Spam guards of the public forms, without JavaScript: a honeypot field people never see (bots
 * fill every field) and a minimum time between showing the form and sending it (bots post at
 * once). A caught submission gets the same thanks as a real one, so a bot learns nothing.
 */
export const HONEYPOT_FIELD = 'website';
export const MIN_FILL_MS = 3_000;
/** A form older than this is stale (a replayed token), not a slow visitor's. */
export const MAX_FILL_MS = 24 * 60 * 60 * 1000;

export type SpamVerdict = 'human' | 'honeypot' | 'too-fast' | 'stale';

export function spamVerdict(input: { honeypot: string; shownAt: number | undefined; now: number }): SpamVerdict {
  if (input.honeypot.trim() !== '') return 'honeypot';
  if (input.shownAt === undefined) return 'stale';
  const elapsed = input.now - input.shownAt;
  if (elapsed < MIN_FILL_MS) return 'too-fast';
  if (elapsed > MAX_FILL_MS) return 'stale';
  return 'human';
}
