import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { validationError, type ValidationIssue } from '../../errors.ts';

type Location = ValidationIssue['in'];

/** The longest text any field takes, in characters (code points): the longest support message. */
export const MAX_TEXT_CHARACTERS = 20_000;
/** The longest object key or form field name, in characters. */
export const MAX_KEY_CHARACTERS = 200;
/** Issues reported per request: enough to name what is wrong, not a list the size of the body. */
const MAX_ISSUES = 20;

/** Characters (Unicode code points), not UTF-16 code units: an emoji counts once. */
function exceeds(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > max * 2) return true;
  let characters = 0;
  for (const _ of text) if (++characters > max) return true;
  return false;
}

/**
 * The one rule for text coming in: well-formed Unicode (no unpaired UTF-16 surrogate, which
 * canonical JSON, hashing and PostgreSQL all refuse or silently replace), no NUL (PostgreSQL text
 * cannot hold it), at most `max` characters. Malformed text is refused, never repaired, so what is
 * stored, hashed and shown is what the client sent. Undefined when the text is fine.
 */
export function textProblem(text: string, max = MAX_TEXT_CHARACTERS): string | undefined {
  if (!text.isWellFormed()) return 'must be well-formed Unicode (it holds an unpaired UTF-16 surrogate)';
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (exceeds(text, max)) return `must be at most ${max} characters`;
  return undefined;
}

/**
 * The edge's refusal: 400 VALIDATION with every issue in details, and the first one in the message,
 * so that a person shown the error page (a form posted with a NUL) also reads which field it was.
 */
export function refused(issues: ValidationIssue[]) {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return validationError(issues, first ? `The request is not valid: ${first.path || first.in} ${first.message}${more}.` : undefined);
}

/** A raw text body must be UTF-8: other bytes would be replaced by U+FFFD when decoded, not refused. */
export function decodeUtf8Body(raw: Buffer, where: Location = 'body'): string {
  if (!isUtf8(raw)) throw refused([{ in: where, path: '', message: 'must be UTF-8 text' }]);
  return raw.toString('utf8');
}

const pathTo = (parent: string, key: string | number) => (parent === '' ? String(key) : `${parent}.${key}`);

/**
 * Every string of a parsed request part (body, query, params), keys included, against the text
 * rule: one issue per bad string, naming its path. Iterative, so no input nests deep enough to
 * overflow the stack; Buffers (raw bodies kept for signatures) are checked where they are parsed.
 */
export function textIssues(value: unknown, where: Location): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const { value: current, path } = pending.pop() as { value: unknown; path: string };
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) issues.push({ in: where, path, message: problem });
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: pathTo(path, index) }));
    } else if (current && typeof current === 'object' && !Buffer.isBuffer(current)) {
      for (const [key, inner] of Object.entries(current)) {
        const problem = textProblem(key, MAX_KEY_CHARACTERS);
        // A bad key cannot be printed as a path; its position among the keys names it.
        if (problem) issues.push({ in: where, path: path || '(root)', message: `has a field name that ${problem}` });
        else pending.push({ value: inner, path: pathTo(path, key) });
      }
    }
  }
  return issues;
}

/**
 * The Zod string input schemas build on: trimmed text under the text rule, at most `max`
 * characters (JSON Schema's maxLength counts characters too, so the OpenAPI document says it).
 */
export const text = (max: number, missing = 'must be text') =>
  z
    .string({ error: missing })
    .trim()
    .superRefine((value, context) => {
      const problem = textProblem(value, max);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .meta({ maxLength: max });
