import { z } from 'zod';

/** ISO 4217 codes this runtime's ICU knows; Node ships full ICU, so this is the current list. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => KNOWN_CURRENCIES.has(code), { error: 'must be a known ISO 4217 currency code, e.g. EUR' });

/** Amounts are integer minor units (cents); never floats. */
export const minorAmount = z
  .number({ error: 'must be a whole number of minor units (e.g. cents)' })
  .int({ error: 'must be a whole number of minor units (e.g. cents)' })
  .min(0, { error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' });

export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "4.50" EUR → 450. Returns undefined for text that is not a plain non-negative amount in that currency. */
export function parseMajorAmount(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const pattern = digits === 0 ? /^(\d{1,16})$/ : new RegExp(`^(\\d{1,16})(?:[.,](\\d{1,${digits}}))?$`);
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const whole = BigInt(match[1] ?? '0');
  const fraction = BigInt((match[2] ?? '').padEnd(digits, '0') || '0');
  const minor = whole * 10n ** BigInt(digits) + fraction;
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}

/** 450 EUR → "4.50" (no symbol): the form-field representation of an amount. */
export function formatMajorAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
}
