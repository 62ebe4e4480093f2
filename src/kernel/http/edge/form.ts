import type { ValidationIssue } from '../../errors.ts';
import { decodeUtf8Body, refused } from './text.ts';

type Location = ValidationIssue['in'];
export type FormFields = Record<string, string | string[]>;

/** The field names and values of `a=1&b=2` as sent, still percent-encoded ('+' is a space). */
const pieces = (encoded: string) => encoded.split('&').flatMap((pair) => pair.split('=')).map((piece) => piece.replaceAll('+', ' '));

/**
 * Whether every name and value of URL-encoded text (a query string, a form body) decodes: a stray
 * `%`, `%ZZ`, or escapes that are not UTF-8 (`%FF`, an encoded surrogate `%ED%A0%80`) are refused
 * rather than kept as typed or turned into U+FFFD.
 */
export function percentEncodingIssue(encoded: string, where: Location): ValidationIssue | undefined {
  for (const piece of pieces(encoded)) {
    try {
      decodeURIComponent(piece);
    } catch {
      return { in: where, path: '', message: `has malformed percent-encoding near "${piece.slice(0, 40)}"` };
    }
  }
  return undefined;
}

/**
 * An application/x-www-form-urlencoded body as fields (a repeated name gives an array; keys are
 * own properties of a prototype-less object, `__proto__` included). Bytes that are not UTF-8 and
 * malformed percent-encoding are refused with VALIDATION.
 */
export function parseFormBody(raw: Buffer): FormFields {
  const encoded = decodeUtf8Body(raw);
  const issue = percentEncodingIssue(encoded, 'body');
  if (issue) throw refused([issue]);
  const fields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(encoded)) {
    const existing = fields[name];
    fields[name] = existing === undefined ? value : [existing, value].flat();
  }
  return fields;
}
