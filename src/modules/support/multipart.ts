import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../kernel/module/index.ts';
import { MAX_FILES_PER_MESSAGE, type IncomingFile } from './domain/attachment.ts';
import { supportErrors } from './errors.ts';

/** Where the parsed body keeps its files, apart from the text fields (so no field name can collide). */
const FILES = Symbol('support.uploadedFiles');
const MAX_PARTS = 50;
/** A text field's largest size: the longest message (20,000 characters) in 4-byte UTF-8, with room. */
const MAX_FIELD_BYTES = 128 * 1024;

type MultipartBody = Record<string, string | string[]> & { [FILES]?: IncomingFile[] };

export interface UploadLimits {
  /** The largest file accepted (ATTACHMENT_MAX_BYTES). */
  maxFileBytes: number;
}

/**
 * Parses a multipart/form-data stream with @fastify/busboy: text fields as a form body (a
 * repeated field becomes an array, as in URL-encoded forms), files aside, in memory.
 *
 * Memory stays bounded without refusing early, so the checks in domain/attachment.ts keep the
 * last word and name the file they refuse: a file is cut one byte past the limit (so it is still
 * seen as too large), and one file past the allowed number is read (so "at most 5 files" is
 * answered) while any further ones are skipped unread.
 */
export function parseMultipart(stream: Readable, headers: IncomingHttpHeaders, limits: UploadLimits): Promise<MultipartBody> {
  return new Promise<MultipartBody>((resolve, reject) => {
    const fields: MultipartBody = {};
    const files: IncomingFile[] = [];
    const reading: Promise<void>[] = [];
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      stream.unpipe();
      stream.resume(); // drain what is left so the connection can answer
      reject(error);
    };
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: headers as IncomingHttpHeaders & { 'content-type': string },
        limits: {
          fileSize: limits.maxFileBytes + 1,
          files: MAX_FILES_PER_MESSAGE + 1,
          fields: MAX_PARTS,
          parts: MAX_PARTS,
          fieldSize: MAX_FIELD_BYTES,
        },
      });
    } catch {
      reject(supportErrors.badUpload('The upload has no multipart boundary.'));
      return;
    }
    parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (!name) return; // a part without a name is no field of the form
      if (name in Object.prototype) return fail(supportErrors.badUpload('The upload has a field that is not allowed.'));
      if (valueTruncated) return fail(supportErrors.badUpload(`The field ${name} is too long.`));
      const existing = fields[name];
      fields[name] = existing === undefined ? value : [existing, value].flat();
    });
    parser.on('file', (_name, file: BusboyFileStream, fileName, _encoding, contentType) => {
      reading.push(
        (async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of file) chunks.push(chunk as Buffer);
          const data = Buffer.concat(chunks);
          // A file input left empty still sends a part with no name and no bytes.
          if (fileName === '' && data.length === 0) return;
          // Kept as sent (busboy keeps the last path segment only); sanitiseFileName cleans it.
          files.push({ fileName, contentType, data });
        })().catch(() => fail(supportErrors.badUpload('The upload ended early.'))),
      );
    });
    parser.on('partsLimit', () => fail(supportErrors.badUpload('The upload has too many parts.')));
    parser.on('fieldsLimit', () => fail(supportErrors.badUpload('The upload has too many parts.')));
    parser.on('error', () => fail(supportErrors.badUpload('The upload is not a well-formed multipart body.')));
    parser.on('finish', () => {
      void Promise.all(reading).then(() => {
        if (failed) return;
        Object.defineProperty(fields, FILES, { value: files, enumerable: false });
        resolve(fields);
      });
    });
    stream.on('error', (error) => fail(error));
    stream.pipe(parser);
  });
}

/** The files of a multipart request parsed by the support module's parser (none otherwise). */
export const uploadedFiles = (request: FastifyRequest): IncomingFile[] => (request.body as MultipartBody | undefined)?.[FILES] ?? [];

/**
 * Accepts multipart/form-data in the support module's scope only, parsed while the body is read:
 * the guard checks a browser form's CSRF token (`_csrf`) in a preValidation hook of the root,
 * which runs before any hook a module's scope adds, so the fields must be on the body by then.
 */
export function acceptMultipart(scope: AppInstance, limits: UploadLimits): void {
  scope.addContentTypeParser('multipart/form-data', (request: FastifyRequest, payload: Readable) => parseMultipart(payload, request.headers, limits));
}
