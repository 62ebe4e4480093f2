/**
 * fast-check generators of hostile request input: strings that break parsers, databases and
 * templates, malformed JSON documents, and JSON bodies derived from a route's JSON Schema that
 * are invalid by construction (a wrong-typed field, or text PostgreSQL cannot store).
 */
import fc from 'fast-check';
import { MAX_JSON_DEPTH } from '../../src/kernel/http/edge/index.ts';
import { MAX_TEXT_CHARACTERS } from '../../src/kernel/text/index.ts';

/** The part of JSON Schema (as in the OpenAPI document) the generators read. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const INJECTIONS = [
  "' OR 1=1--",
  "'; DROP TABLE catalog_product; --",
  '" OR ""="',
  "1' UNION SELECT password_hash FROM identity_password--",
  '$1',
  '$$; SELECT pg_sleep(1); $$',
  '%00',
  '%s%s%s%n',
  '%_\\',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '__proto__',
  'constructor',
  'constructor.prototype',
  '__proto__[polluted]',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'x\r\nSet-Cookie: plinth_session=stolen',
  '{"$gt":""}',
  'NaN',
  'null',
  '-1',
  '1e309',
];

export const UNICODE_EDGES = [
  '',
  ' \t\n ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  'tail\ud83d',
  'abc\u202edcba',
  '\u2066isolate\u2069',
  'zero\u200bwidth\u200d',
  '\ufeffbom',
  'e\u0301\u0302\u0303\u0304',
  'Z\u0334\u0321\u0322\u0348a\u0337l\u0338g\u0335o\u0336',
  '\u{1d573}\u{1d58a}\u{1d591}',
  '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}',
  '\u{1f3f3}\ufe0f\u200d\u{1f308}',
  '\u{10ffff}\uffff\ufffe',
  '\u0085\u2028\u2029',
  'İstanbul ß ﷺ',
  '\u0007\u001b[31mred',
];

/** Hostile text: injections, Unicode edge cases, arbitrary code points, and long repeats of them. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 3 },
  { arbitrary: fc.constantFrom(...UNICODE_EDGES), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.array(fc.constantFrom(...INJECTIONS, ...UNICODE_EDGES), { minLength: 2, maxLength: 5 }).map((parts) => parts.join('')), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('x', '\u{1f600}', 'e\u0301', '\u202e', "'"), fc.integer({ min: 300, max: 20_000 })).map(([unit, times]) => unit.repeat(times)), weight: 1 },
);

/** The text with `piece` put in somewhere, between two `x` so it never completes a surrogate pair. */
const spliced = (base: fc.Arbitrary<string>, piece: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(base, fc.nat(), piece).map(([text, at, inserted]) => {
    const cut = text.length === 0 ? 0 : at % (text.length + 1);
    return `${text.slice(0, cut)}x${inserted}x${text.slice(cut)}`;
  });

/** A string with U+0000 in it: PostgreSQL text cannot hold it, so no request carrying it may succeed. */
export const nulString = (base: fc.Arbitrary<string>): fc.Arbitrary<string> => spliced(base, fc.constant('\u0000'));

/**
 * A string with an unpaired UTF-16 surrogate: JSON.stringify writes it as the escape `\ud83d`,
 * which JSON.parse reads back as the lone surrogate. The text rule refuses it.
 */
export const surrogateString = (base: fc.Arbitrary<string>): fc.Arbitrary<string> => spliced(base, fc.constantFrom('\ud83d', '\udc00', '\udbff', '\udfff', '\ud800\ud800'));

/** Text over the longest any field takes (MAX_TEXT_CHARACTERS), in characters: a huge identifier, name or note. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', '\u{1f600}', 'é', '0'), fc.integer({ min: MAX_TEXT_CHARACTERS + 1, max: MAX_TEXT_CHARACTERS + 30_000 }))
  .map(([unit, times]) => unit.repeat(times));

/** Numbers a JavaScript number cannot hold exactly (beyond 2^53), as JSON writes them. */
export const unsafeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 64, 1e21, 1e300, -Number.MAX_VALUE),
  fc.double({ min: 2 ** 53 + 2, max: 1e300, noNaN: true }).map((value) => Math.round(value)),
);

// Deep nesting is spliced into the JSON text after JSON.stringify, which would recurse that deep.
const DEEP_MARK = '\u0001deep:';
const DEEP_PLACEHOLDER = /"\\u0001deep:(\d+)"/g;
export const nestedArrays = (depth: number, missingClosers = 0) => '['.repeat(depth) + ']'.repeat(depth - missingClosers);
/** How deep nested arrays go: deep enough for any recursive walker, cheap enough to parse. */
export const deepNesting = fc.integer({ min: 5_000, max: 20_000 });
const deepValue = deepNesting.map((depth) => `${DEEP_MARK}${depth}`);
/** Nesting past the edge's limit (MAX_JSON_DEPTH), just past it or thousands of levels past it. */
const tooDeepValue = fc.oneof(fc.integer({ min: MAX_JSON_DEPTH + 1, max: MAX_JSON_DEPTH + 100 }), deepNesting).map((depth) => `${DEEP_MARK}${depth}`);

/** JSON text of a value; objects built by the generators may hold `__proto__` as an own key. */
export const toJsonText = (value: JsonValue): string =>
  JSON.stringify(value).replace(DEEP_PLACEHOLDER, (_, depth: string) => nestedArrays(Number(depth)));

/** An object whose keys are taken literally (`__proto__` included), as JSON.parse would build it. */
export function jsonObject(entries: [string, JsonValue][]): { [key: string]: JsonValue } {
  const object = Object.create(null) as { [key: string]: JsonValue };
  for (const [key, value] of entries) object[key] = value;
  return object;
}

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' && value.startsWith(DEEP_MARK)) return 'array';
  return typeof value as JsonType;
}

/** The JSON types a schema admits, or undefined when it does not say (then anything may be valid). */
export function admittedTypes(schema: JsonSchema): Set<JsonType> | undefined {
  if (schema.const !== undefined) return new Set([jsonTypeOf(schema.const)]);
  if (schema.enum) return new Set(schema.enum.map(jsonTypeOf));
  if (schema.type) return new Set([schema.type].flat() as JsonType[]);
  const members = schema.anyOf ?? schema.oneOf;
  if (!members) return undefined;
  const sets = members.map(admittedTypes);
  return sets.some((set) => set === undefined) ? undefined : new Set(sets.flatMap((set) => [...(set as Set<JsonType>)]));
}

const admits = (types: Set<JsonType>, value: unknown) => {
  const type = jsonTypeOf(value);
  return types.has(type) || (type === 'integer' && types.has('number'));
};

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
  hostileString,
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 1e-300, 0.1),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value, pollution keys and huge nesting included. */
export const hostileValue: fc.Arbitrary<JsonValue> = fc.oneof(
  { arbitrary: scalar, weight: 6 },
  { arbitrary: fc.array(scalar, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.array(fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')), scalar), { maxLength: 3 }).map(jsonObject), weight: 1 },
  { arbitrary: deepValue, weight: 1 },
);

const JSON_TYPES: JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

/** Whether some JSON type is not admitted by the schema (so a value can be of a wrong type). */
const canBeWrongTyped = (schema: JsonSchema) => {
  const types = admittedTypes(schema);
  return types !== undefined && JSON_TYPES.some((type) => !types.has(type) && !(type === 'integer' && types.has('number')));
};

/** A value of a JSON type the schema does not admit (only for schemas where canBeWrongTyped holds). */
export const wrongTypedValue = (schema: JsonSchema): fc.Arbitrary<JsonValue> => {
  const types = admittedTypes(schema) ?? new Set(JSON_TYPES);
  return hostileValue.filter((value) => !admits(types, value));
};

function patternString(schema: JsonSchema): fc.Arbitrary<string> | undefined {
  if (!schema.pattern) return undefined;
  try {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? Infinity;
    return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length >= min && text.length <= max);
  } catch {
    return undefined;
  }
}

/**
 * A value of an admitted type, most often one that passes the schema: values the app itself
 * answered for a field of that name (`seen`) weigh most, so other fields let a bad one through
 * to the use case and the database.
 */
export function plausibleValue(schema: JsonSchema, seen: readonly unknown[] = [], seenByKey: Record<string, readonly unknown[]> = {}): fc.Arbitrary<JsonValue> {
  const types = admittedTypes(schema);
  const fitting = types ? (seen.filter((value) => admits(types, value)) as JsonValue[]) : [];
  const choices: fc.WeightedArbitrary<JsonValue>[] = fitting.length > 0 ? [{ arbitrary: fc.constantFrom(...fitting), weight: 6 }] : [];
  const add = (arbitrary: fc.Arbitrary<JsonValue>, weight = 2) => choices.push({ arbitrary, weight });
  if (schema.enum) add(fc.constantFrom(...(schema.enum as JsonValue[])), 4);
  for (const member of schema.anyOf ?? schema.oneOf ?? []) add(plausibleValue(member, seen, seenByKey));
  if (types?.has('string')) {
    const minLength = schema.minLength ?? 1;
    add(patternString(schema) ?? fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 20, 20)) }));
    add(hostileString, 1);
  }
  if (types?.has('integer') || types?.has('number')) {
    const min = Math.ceil(schema.minimum ?? 0);
    add(fc.integer({ min, max: Math.max(min, Math.floor(Math.min(schema.maximum ?? 10_000, 10_000))) }));
  }
  if (types?.has('boolean')) add(fc.boolean());
  if (types?.has('null')) add(fc.constant(null), 1);
  if (types?.has('array')) add(fc.array(plausibleValue(schema.items ?? {}, seen.flat(), seenByKey), { maxLength: Math.min(schema.maxItems ?? 3, 3) }));
  if (types?.has('object')) add(plausibleObject(schema, seenByKey).map(jsonObject), 4);
  return choices.length > 0 ? fc.oneof(...choices) : hostileValue;
}

/** Entries of an object for the schema: every required property, most optional ones, plausible values. */
function plausibleObject(schema: JsonSchema, seenByKey: Record<string, readonly unknown[]>): fc.Arbitrary<[string, JsonValue][]> {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const entry = plausibleValue(property, seenByKey[key], seenByKey).map((value): [string, JsonValue][] => [[key, value]]);
    return required.has(key) ? entry : fc.option(entry, { nil: [] });
  });
  return fc.tuple(...entries).map((chosen) => chosen.flat());
}

/** The schema's string slots, for a NUL: a string property, or the items of an array of strings. */
const takesText = (schema: JsonSchema) => admittedTypes(schema)?.has('string') || (schema.items && admittedTypes(schema.items)?.has('string'));

/** Text the edge refuses, made from plausible or hostile text. */
const BAD_TEXT = {
  nul: nulString,
  surrogate: surrogateString,
  'huge-text': () => hugeString,
} satisfies Record<string, (text: fc.Arbitrary<string>) => fc.Arbitrary<string>>;
type TextFlaw = keyof typeof BAD_TEXT;

/** A value for a text slot (a string, or an array of strings) with bad text in it. */
function withBadText(schema: JsonSchema, seen: readonly unknown[], flaw: TextFlaw): fc.Arbitrary<JsonValue> {
  const bad = BAD_TEXT[flaw](fc.oneof(plausibleValue({ type: 'string' }, seen.flat()).map(String), hostileString));
  if (admittedTypes(schema)?.has('string')) return bad;
  return fc.tuple(fc.array(plausibleValue(schema.items ?? {}, seen.flat()), { maxLength: 2 }), bad).map(([items, text]) => [...items, text]);
}

/**
 * The flaws a JSON body can carry. `wrong-type`: a field of a type its schema rejects. The others
 * break the edge rules, whatever the field: `nul`, `surrogate` and `huge-text` in a text field,
 * `deep` nesting past the limit, an `unsafe-number` beyond 2^53, a `duplicate-key`.
 */
export const BODY_FLAWS = ['wrong-type', 'nul', 'surrogate', 'huge-text', 'deep', 'unsafe-number', 'duplicate-key'] as const;
export type BodyFlaw = (typeof BODY_FLAWS)[number];
const isTextFlaw = (flaw: BodyFlaw): flaw is TextFlaw => flaw in BAD_TEXT;

function flawedValue(flaw: BodyFlaw, property: JsonSchema, seen: Record<string, readonly unknown[]>, key: string): fc.Arbitrary<JsonValue> {
  if (isTextFlaw(flaw)) return withBadText(property, seen[key] ?? [], flaw);
  if (flaw === 'wrong-type') return wrongTypedValue(property);
  if (flaw === 'deep') return tooDeepValue;
  if (flaw === 'unsafe-number') return unsafeNumber;
  return plausibleValue(property, seen[key], seen);
}

const member = ([key, value]: [string, JsonValue]) => `${JSON.stringify(key)}:${toJsonText(value)}`;
/** The value one time in `every`, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, every: number) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: every - 1 }, { arbitrary, weight: 1 });
const junkKey = fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype'));

/**
 * JSON text of an object for a body schema, with one flaw (see BODY_FLAWS) that makes it invalid
 * whatever the other fields hold. The flawed field comes last, sometimes after a duplicate of
 * itself (always, for `duplicate-key`) and unknown keys; undefined when the schema has no field
 * to flaw.
 */
export function flawedObjectJson(schema: JsonSchema, flaw: BodyFlaw, seen: Record<string, readonly unknown[]>): fc.Arbitrary<string> | undefined {
  const properties = Object.entries(schema.properties ?? {});
  const targets = properties.filter(([, property]) => (isTextFlaw(flaw) ? takesText(property) : flaw === 'wrong-type' ? canBeWrongTyped(property) : true));
  if (targets.length === 0) return undefined;
  const entry = (key: string, property: JsonSchema) => plausibleValue(property, seen[key], seen).map((value): [string, JsonValue] => [key, value]);
  const flawed = fc.constantFrom(...targets).chain(([key, property]) =>
    fc.tuple(
      flawedValue(flaw, property, seen, key).map((value): [string, JsonValue] => [key, value]),
      flaw === 'duplicate-key' ? entry(key, property) : sometimes(entry(key, property), 4),
    ),
  );
  const junk = sometimes(fc.array(fc.tuple(junkKey, hostileValue), { minLength: 1, maxLength: 2 }), 4);
  return fc.tuple(flawed, plausibleObject(schema, seen), junk).map(([[bad, duplicate], rest, extra]) => {
    const entries = [...rest.filter(([key]) => key !== bad[0]), ...(extra ?? []), ...(duplicate ? [duplicate] : []), bad];
    return `{${entries.map(member).join(',')}}`;
  });
}

/** JSON text no JSON parser accepts (whatever parses after all is filtered out), a BOM in front or not. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":', '{"a":1,}', '[1,2,]', '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}', "{'a':1}", '{a:1}', '{"a":01}', '{"a":+1}', '{"a":0x1F}'),
  fc.constantFrom('{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"line\nbreak"}', '{"a":1}/*c*/', '{"a":1} {"b":2}', '\u0000', 'nul', 'tru', '"', '\ufeff', '{"a":"\ud800'),
  fc.tuple(hostileValue, fc.nat()).map(([value, at]) => {
    const text = `{"v":${toJsonText(value)}}`;
    return text.slice(0, at % text.length);
  }),
  deepNesting.map((depth) => nestedArrays(depth, 1)),
  deepNesting.map((depth) => `{"a":${nestedArrays(depth)},}`),
)
  .chain((text) => fc.constantFrom(text, `\ufeff${text}`))
  .filter((text) => !parsesAsJson(text));

/** Whether the text parses as JSON (generators filter on it so "malformed" really is). */
export function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\ufeff/, ''));
    return true;
  } catch {
    return false;
  }
}
