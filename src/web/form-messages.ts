import type { z } from 'zod';
import type { ValidationIssue } from '../kernel/errors.ts';
import { MAX_TEXT_CHARACTERS } from '../kernel/text/index.ts';
import type { FieldErrors } from './form.tsx';

/**
 * Validator messages as people read them next to a field ("is required", "must be 100 or less"),
 * not Zod's defaults ("Too big: expected number to be <=100"). Schemas' own messages win.
 */

const amount = (value: number | bigint) => Number(value).toLocaleString('en');

const MESSAGES: { [Code in z.core.$ZodIssue['code']]?: (issue: z.core.$ZodRawIssue<Extract<z.core.$ZodIssue, { code: Code }>>) => string | undefined } = {
  invalid_type: (issue) => (issue.input === undefined || issue.input === '' ? 'is required' : issue.expected === 'number' ? 'must be a number' : 'is not valid'),
  too_small: (issue) => {
    if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'is required' : `must be at least ${amount(issue.minimum)} characters`;
    if (issue.origin === 'array' || issue.origin === 'set') return Number(issue.minimum) <= 1 ? 'choose at least one' : `choose at least ${amount(issue.minimum)}`;
    return issue.inclusive === false ? `must be more than ${amount(issue.minimum)}` : `must be ${amount(issue.minimum)} or more`;
  },
  too_big: (issue) => {
    if (issue.origin === 'string') return `must be at most ${amount(issue.maximum)} characters`;
    if (issue.origin === 'array' || issue.origin === 'set') return `choose at most ${amount(issue.maximum)}`;
    return issue.inclusive === false ? `must be less than ${amount(issue.maximum)}` : `must be ${amount(issue.maximum)} or less`;
  },
  invalid_format: (issue) => (issue.format === 'email' ? 'must be an email address like name@example.com' : issue.format === 'uuid' ? 'choose one of the options' : 'is not in the expected form'),
  invalid_value: () => 'choose one of the options',
  not_multiple_of: (issue) => `must be a multiple of ${amount(issue.divisor)}`,
  unrecognized_keys: () => 'is not a field of this form',
};

/** The error map for parsing form input: a person's wording for each kind of issue. */
export const humanMessage: z.core.$ZodErrorMap = (issue) => (MESSAGES[issue.code] as ((raw: typeof issue) => string | undefined) | undefined)?.(issue);

/**
 * Zod issues keyed by form field: the last named segment of each path, renamed where the form calls
 * it differently (`rename` by whole path, `taxRates.0.code`, or by that segment); the first issue of a field wins.
 */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], rename: Readonly<Record<string, string>> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const segment = String([...issue.path].reverse().find((part) => typeof part === 'string') ?? 'form');
    errors[rename[issue.path.map(String).join('.')] ?? rename[segment] ?? segment] ??= issue.message;
  }
  return errors;
}

/** What parsing a form gives: the use case's input, or what to show on the form. */
export type Parsed<Input> = { input: Input } | { errors: FieldErrors; formError?: string | undefined };

/**
 * Data built from a form's values against the use case's schema, with people's messages keyed by
 * form field; `errors` found before (an amount that is not one) are kept and refuse the input too.
 */
export function parseWith<Schema extends z.ZodType>(schema: Schema, data: unknown, options: { rename?: Readonly<Record<string, string>>; errors?: FieldErrors } = {}): Parsed<z.output<Schema>> {
  const parsed = schema.safeParse(data, { error: humanMessage });
  const found = Object.entries(options.errors ?? {}).filter(([, message]) => message !== undefined);
  if (parsed.success && found.length === 0) return { input: parsed.data };
  return { errors: { ...(parsed.success ? {} : fieldErrorsOf(parsed.error.issues, options.rename)), ...Object.fromEntries(found) } };
}

/** The edge's text-rule breaches in a person's words: what was kept and what to do. */
export function textIssueMessage(issue: ValidationIssue): string {
  if (/NUL/.test(issue.message)) return 'held an invisible NUL character, now removed: check the text and send it again';
  if (/surrogate/.test(issue.message)) return 'held a broken character, now replaced by �: check the text and send it again';
  if (/field name/.test(issue.message)) return 'The form held a field name that cannot be read; send the form again from this page.';
  return `must be at most ${amount(MAX_TEXT_CHARACTERS)} characters`;
}
