export interface PinPolicy {
  /** Days after which verifyStaffPin reports that the PIN is due for a change. Default 30. */
  rotateAfterDays: number;
}

export const DEFAULT_PIN_POLICY: PinPolicy = { rotateAfterDays: 30 };

/**
 * Problems with a staff PIN: 4 to 8 digits, and not one a shoulder-surfer or a guesser tries
 * first (one or two digits repeated like 0000 or 1212, a run like 1234 or 9876).
 */
export function checkPin(pin: string): string[] {
  if (!/^\d{4,8}$/.test(pin)) return ['Use 4 to 8 digits.'];
  const digits = [...pin].map(Number);
  const repeatsBlock = [1, 2].some((period) => digits.every((digit, index) => digit === digits[index % period]));
  const step = (digits[1] ?? 0) - (digits[0] ?? 0);
  const isRun = Math.abs(step) === 1 && digits.every((digit, index) => index === 0 || digit - (digits[index - 1] ?? 0) === step);
  return repeatsBlock || isRun ? ['This PIN is too easy to guess; avoid repeated digits and runs like 1234.'] : [];
}
