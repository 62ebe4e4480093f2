import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The time a public form was shown, signed so a bot cannot claim it waited: `<ms>.<hmac>`.
 * Bound to the business, so a token from one business's form does not serve another's.
 */
export interface FormClock {
  issue(business: string, now?: number): string;
  /** The time the form was shown, or undefined when the token is missing or forged. */
  shownAt(business: string, token: string): number | undefined;
}

export function formClock(rootSecret: Buffer): FormClock {
  const key = createHmac('sha256', rootSecret).update('enquiries.form-clock').digest();
  const sign = (business: string, at: string) => createHmac('sha256', key).update(`${business}\u0000${at}`).digest('base64url');
  return {
    issue: (business, now = Date.now()) => `${now}.${sign(business, String(now))}`,
    shownAt(business, token) {
      const [at, signature] = token.split('.');
      if (!at || !signature || !/^\d{1,15}$/.test(at)) return undefined;
      const expected = Buffer.from(sign(business, at));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given) ? Number(at) : undefined;
    },
  };
}
