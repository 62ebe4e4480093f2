import { z } from 'zod';

/**
 * The one text rule every string coming in obeys (the edge checks every request part with it; input
 * schemas build on `text`). A leaf: pure, so domain rules and every layer can use it.
 */

/** The longest text any field takes, in characters (code points): the longest support message. */
export const MAX_TEXT_CHARACTERS = 20_000;
/** The longest object key or form field name, in characters. */
export const MAX_KEY_CHARACTERS = 200;
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
