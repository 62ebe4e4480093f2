import { createHash } from 'node:crypto';
import { supportErrors } from '../errors.ts';

/** What may be uploaded: screenshots, documents and exports; nothing a browser would run. */
export const ALLOWED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
]);

export const MAX_FILES_PER_MESSAGE = 5;
const FILE_NAME_MAX = 120;

/** A file as it arrives, before checks. */
export interface IncomingFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

/** A file that passed the checks: safe name, allowed type, size and checksum known. */
export interface CheckedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  sizeBytes: number;
  sha256: string;
}

/**
 * A name safe to store and to put in a Content-Disposition header: the last path segment only,
 * no control characters, quotes or separators, at most 120 characters, never empty or hidden.
 */
export function sanitiseFileName(raw: string): string {
  const base = raw.split(/[\\/]/).at(-1) ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/["*:<>?|;]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const limited = [...cleaned].slice(0, FILE_NAME_MAX).join('').trim();
  return limited === '' ? 'attachment' : limited;
}

/** The media type without parameters, lower case (`text/plain; charset=utf-8` → `text/plain`). */
export const baseContentType = (value: string): string => (value.split(';')[0] ?? '').trim().toLowerCase();

/** Checks every file against the limits; VALIDATION names the first that fails. */
export function checkFiles(files: readonly IncomingFile[], maxBytes: number): CheckedFile[] {
  if (files.length > MAX_FILES_PER_MESSAGE) throw supportErrors.tooManyFiles(MAX_FILES_PER_MESSAGE);
  return files.map((file) => {
    const fileName = sanitiseFileName(file.fileName);
    const contentType = baseContentType(file.contentType);
    if (!ALLOWED_CONTENT_TYPES.has(contentType)) throw supportErrors.fileTypeRefused(fileName, contentType);
    if (file.data.length === 0) throw supportErrors.fileEmpty(fileName);
    if (file.data.length > maxBytes) throw supportErrors.fileTooLarge(fileName, maxBytes);
    return { fileName, contentType, data: file.data, sizeBytes: file.data.length, sha256: createHash('sha256').update(file.data).digest('hex') };
  });
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
