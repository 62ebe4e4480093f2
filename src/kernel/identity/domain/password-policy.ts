import { dictionary } from '@zxcvbn-ts/language-common';

export interface PasswordPolicy {
  /** Fewest characters (Unicode code points). Default 12. */
  minLength: number;
  /** Most characters; bounds the hashing work one request can ask for. Default 256. */
  maxLength: number;
  /** Refuse passwords on the bundled list of common and breached passwords. Default true. */
  rejectCommon: boolean;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, maxLength: 256, rejectCommon: true };

/** The installation's policy: the default with PASSWORD_MIN_LENGTH. */
export const passwordPolicyOf = (config: { passwordMinLength: number }): PasswordPolicy => ({ ...DEFAULT_PASSWORD_POLICY, minLength: config.passwordMinLength });

/**
 * zxcvbn-ts's ranked list of ~49,000 passwords most often seen in public breaches (kept in
 * @zxcvbn-ts/language-common, offline). Lower-case, so the check is case-insensitive.
 */
let common: Set<string> | undefined;
const commonPasswords = (): Set<string> => (common ??= new Set(dictionary['passwords-common']));

/** Parts of a person's own data that a password must not contain, when long enough to matter. */
const PERSONAL_MIN = 4;
const squash = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * Every way `password` breaks `policy`, as sentences a form can show; empty when it is fine.
 * Follows NIST SP 800-63B: length and a blocklist, no composition rules.
 */
export function checkPassword(password: string, policy: PasswordPolicy, about: { email?: string; displayName?: string } = {}): string[] {
  const problems: string[] = [];
  const length = [...password.normalize('NFKC')].length;
  if (length < policy.minLength) problems.push(`Use at least ${policy.minLength} characters.`);
  if (length > policy.maxLength) problems.push(`Use at most ${policy.maxLength} characters.`);

  const candidate = squash(password);
  const localPart = squash(about.email?.split('@')[0] ?? '');
  if (localPart && (candidate === localPart || (localPart.length >= PERSONAL_MIN && candidate.includes(localPart))))
    problems.push('Do not use your email address in your password.');
  const name = squash(about.displayName ?? '');
  if (name && (candidate === name || (name.length >= PERSONAL_MIN && candidate.includes(name))))
    problems.push('Do not use your name in your password.');

  if (policy.rejectCommon && commonPasswords().has(password.toLowerCase()))
    problems.push('This password is too common: it appears in lists of leaked passwords.');
  return problems;
}
