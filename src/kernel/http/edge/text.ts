import { isUtf8 } from 'node:buffer';
import { validationError, type ValidationIssue } from '../../errors.ts';
import { MAX_KEY_CHARACTERS, textProblem } from '../../text/index.ts';

type Location = ValidationIssue['in'];

/** Issues reported per request: enough to name what is wrong, not a list the size of the body. */
const MAX_ISSUES = 20;

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
