import type { ValidationIssue } from '../../errors.ts';
import { decodeUtf8Body, refused, textIssues } from './text.ts';

/** How deep a JSON body may nest: far beyond any schema of ours, far below any recursive walker's limit. */
export const MAX_JSON_DEPTH = 64;

type Location = ValidationIssue['in'];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isNumberStart = (code: number) => code === 0x2d || (code >= 0x30 && code <= 0x39);
const isNumberPart = (code: number) => isNumberStart(code) || code === 0x2b || code === 0x2e || code === 0x45 || code === 0x65;

/** Index just past the string token that opens at `start` (the text is valid JSON). */
function endOfString(text: string, start: number): number {
  let at = start + 1;
  while (text.charCodeAt(at) !== QUOTE) at += text.charCodeAt(at) === BACKSLASH ? 2 : 1;
  return at + 1;
}

interface Container {
  /** The keys seen so far, for an object; undefined for an array. */
  keys: Set<string> | undefined;
  /** The key or index of the value being read, for the path. */
  at: string | number;
  /** For an object: whether the next string is a key. */
  awaitingKey: boolean;
}

const pathOf = (stack: Container[]) => stack.map(({ at }) => at).join('.');

/**
 * What JSON.parse accepts but we refuse, found in one pass over text that already parsed: nesting
 * deeper than MAX_JSON_DEPTH, a key given twice in one object (JSON.parse silently keeps the last,
 * so a signature check, a log or another parser may read a different value than the use case),
 * and numbers beyond 2^53, which lose digits as JavaScript numbers. JSON.parse offers no hook for
 * any of these (its reviver sees neither duplicates nor the number's text), and the parsers that
 * do are recursive, so this small iterative scanner reads the tokens itself.
 */
export function jsonStructureIssue(text: string, where: Location): ValidationIssue | undefined {
  const stack: Container[] = [];
  const issue = (message: string, path = pathOf(stack)): ValidationIssue => ({ in: where, path, message });
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at);
    const top = stack.at(-1);
    if (code === QUOTE) {
      const end = endOfString(text, at);
      if (top?.keys && top.awaitingKey) {
        const key = JSON.parse(text.slice(at, end)) as string;
        if (top.keys.has(key)) return issue('is given more than once', pathOf([...stack.slice(0, -1), { ...top, at: key }]));
        top.keys.add(key);
        top.at = key;
        top.awaitingKey = false;
      }
      at = end;
    } else if (code === 0x7b || code === 0x5b) {
      if (stack.length >= MAX_JSON_DEPTH) return issue(`nests deeper than ${MAX_JSON_DEPTH} levels`);
      stack.push(code === 0x7b ? { keys: new Set(), at: '', awaitingKey: true } : { keys: undefined, at: 0, awaitingKey: false });
      at++;
    } else if (code === 0x7d || code === 0x5d) {
      stack.pop();
      at++;
    } else if (code === 0x2c && top) {
      if (top.keys) top.awaitingKey = true;
      else top.at = (top.at as number) + 1;
      at++;
    } else if (isNumberStart(code)) {
      let end = at + 1;
      while (end < text.length && isNumberPart(text.charCodeAt(end))) end++;
      if (Math.abs(Number(text.slice(at, end))) > Number.MAX_SAFE_INTEGER) return issue(`must be a number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
      at = end;
    } else at++;
  }
  return undefined;
}

/** Throws VALIDATION when JSON text that parsed breaks the structure rules. */
export function assertJsonStructure(text: string, where: Location = 'body'): void {
  const issue = jsonStructureIssue(text, where);
  if (issue) throw refused([issue]);
}

/**
 * A body kept raw for its signature (webhooks), checked once the signature holds: UTF-8, valid
 * JSON, within the structure and text rules. Throws VALIDATION otherwise, so nothing is stored.
 */
export function assertSignedJson(raw: Buffer): void {
  const text = decodeUtf8Body(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refused([{ in: 'body', path: '', message: 'is not valid JSON' }]);
  }
  assertJsonStructure(text);
  const issues = textIssues(value, 'body');
  if (issues.length > 0) throw refused(issues);
}
