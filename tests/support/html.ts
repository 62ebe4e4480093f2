/**
 * Just enough HTML reading for server-rendered pages: find a tag, read its attributes, read the
 * text of an element. Works on Preact's output (double-quoted attributes, no comments in tags).
 */

export type Attributes = Record<string, string>;

export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}

// Quoted attribute values may hold `>` (Preact escapes only `<`, `&` and `"` there).
const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*"[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s="'/>]+)(?:\s*=\s*"([^"]*)")?/g;

export interface Tag {
  name: string;
  /** Attribute values, entity-decoded; a bare attribute (`checked`) has the value ''. */
  attributes: Attributes;
  /** The tag exactly as it appears in the page. */
  raw: string;
  index: number;
}

export function parseAttributes(source: string): Attributes {
  const attributes: Attributes = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const key = match[1];
    if (key) attributes[key.toLowerCase()] = decodeEntities(match[2] ?? '');
  }
  return attributes;
}

/** Every opening tag named `name` (case-insensitive), in document order. */
export function findTags(html: string, name: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(TAG)) {
    if (match[1]?.toLowerCase() !== name.toLowerCase()) continue;
    tags.push({ name: match[1].toLowerCase(), attributes: parseAttributes(match[2] ?? ''), raw: match[0], index: match.index });
  }
  return tags;
}

/** The one tag of that name matching every given attribute; throws when none or several match. */
export function findTag(html: string, name: string, where: Attributes): Tag {
  const found = findTags(html, name).filter((tag) => Object.entries(where).every(([key, value]) => tag.attributes[key] === value));
  if (found.length !== 1) throw new Error(`expected one <${name}> with ${JSON.stringify(where)}, found ${found.length}`);
  return found[0] as Tag;
}

export function hasTag(html: string, name: string, where: Attributes): boolean {
  return findTags(html, name).some((tag) => Object.entries(where).every(([key, value]) => tag.attributes[key] === value));
}

/** The text inside the element with this id (tags removed, entities decoded). */
export function textById(html: string, id: string): string | undefined {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<([a-z0-9]+)(?:\\s+[^\\s"'>/=]+(?:="[^"]*")?)*?\\s+id="${escaped}"(?:\\s+[^\\s"'>/=]+(?:="[^"]*")?)*\\s*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? decodeEntities((match[2] ?? '').replace(/<[^>]*>/g, '')) : undefined;
}

/** The `<div class="field…">` block holding the control with id `field-<name>`: a field's label, input, hint and error. */
export function fieldBlock(html: string, name: string): string {
  const blocks = html.split(/(?=<div class="field)/);
  const block = blocks.find((chunk) => chunk.includes(`id="field-${name}"`));
  if (!block) throw new Error(`no field block for ${name}`);
  return block;
}

/** The whole text of a page without tags, entities decoded, whitespace collapsed. */
export function pageText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** Each request renders forms with its own CSRF token; the rest of a page must not differ. */
export const withoutCsrfTokens = (html: string) => html.replace(/(name="_csrf" value=")[^"]*"/g, '$1…"');
