import path from 'node:path';
import type { Config } from '../../../kernel/config/index.ts';
import { diskStorage } from './disk.ts';
import { s3Storage } from './s3.ts';
import type { AttachmentStorage } from './port.ts';

export { diskStorage } from './disk.ts';
export { s3Client, s3Storage, type S3Options } from './s3.ts';
export { storageKeyOf, StoredObjectMissingError, type AttachmentStorage } from './port.ts';

/** The adapter the configuration names (ATTACHMENT_STORAGE). */
export function storageFromConfig(config: Pick<Config, 'dataDir' | 'attachments'>): AttachmentStorage {
  if (config.attachments.storage === 's3') {
    if (!config.attachments.s3) throw new Error('ATTACHMENT_STORAGE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.');
    return s3Storage(config.attachments.s3);
  }
  return diskStorage(path.join(config.dataDir, 'attachments'));
}
