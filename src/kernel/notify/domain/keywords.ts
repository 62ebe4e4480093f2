/** Inbound SMS keywords carriers and the TCPA expect to be honoured, whatever the case and spacing. */
export const STOP_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
export const START_KEYWORDS = ['START', 'UNSTOP'] as const;

export type SmsKeyword = { kind: 'stop' | 'start'; keyword: string } | { kind: 'other' };

/** What an inbound message asks for: only a message that is exactly a keyword counts. */
export function smsKeyword(body: string): SmsKeyword {
  const word = body.trim().toUpperCase();
  if ((STOP_KEYWORDS as readonly string[]).includes(word)) return { kind: 'stop', keyword: word };
  if ((START_KEYWORDS as readonly string[]).includes(word)) return { kind: 'start', keyword: word };
  return { kind: 'other' };
}

/** Recipients are compared in one form: email lower-cased, phone numbers without spaces or punctuation. */
export function normalizeRecipient(channel: 'email' | 'sms', to: string): string {
  const trimmed = to.trim();
  if (channel === 'email') return trimmed.toLowerCase();
  return trimmed.replace(/[\s().-]/g, '');
}
