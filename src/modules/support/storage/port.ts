/**
 * Where attachment bytes live. Keys are made by the module (`<tenant>/<ticket>/<attachment>`, ids
 * only), never from user input; adapters still refuse anything else so a key cannot escape.
 */
export interface AttachmentStorage {
  readonly kind: 'disk' | 's3';
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The stored bytes; throws StoredObjectMissingError when there are none. */
  get(key: string): Promise<Buffer>;
  /** Removes the object; removing a missing one is not an error (compensation after a failed upload). */
  delete(key: string): Promise<void>;
}

export class StoredObjectMissingError extends Error {
  constructor(key: string) {
    super(`No stored attachment under ${key}.`);
    this.name = 'StoredObjectMissingError';
  }
}

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`Not an attachment storage key: ${JSON.stringify(key)}`);
}

export const storageKeyOf = (tenantId: string, ticketId: string, attachmentId: string): string => {
  const key = `${tenantId}/${ticketId}/${attachmentId}`.toLowerCase();
  assertStorageKey(key);
  return key;
};
