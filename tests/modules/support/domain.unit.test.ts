import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { AppError } from '../../../src/kernel/errors.ts';
import { loadConfig, ConfigError } from '../../../src/kernel/config/index.ts';
import { checkFiles, contentDisposition, sanitiseFileName } from '../../../src/modules/support/domain/attachment.ts';
import { isBreached, SLA_POLICY, slaDueTimes } from '../../../src/modules/support/domain/sla.ts';
import { acceptsReplies, canStaffMove, nextStatusOnReply, TICKET_STATUSES } from '../../../src/modules/support/domain/ticket.ts';
import { parseMultipart, uploadedFiles } from '../../../src/modules/support/multipart.ts';
import { diskStorage, storageKeyOf, StoredObjectMissingError } from '../../../src/modules/support/storage/index.ts';

const HOUR = 3_600_000;

function rejected(run: () => unknown, reason: string): AppError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.details?.reason, reason);
    return error;
  }
  assert.fail(`expected ${reason}`);
}

describe('support SLA policy', () => {
  test('due times follow the priority: urgent 1 h / 8 h, high 4 h / 24 h, normal 8 h / 72 h, low 24 h / 168 h', () => {
    const created = new Date('2026-01-05T10:00:00Z');
    const expected = { urgent: [1, 8], high: [4, 24], normal: [8, 72], low: [24, 168] } as const;
    for (const [priority, [first, resolution]] of Object.entries(expected) as [keyof typeof expected, readonly [number, number]][]) {
      const due = slaDueTimes(priority, created);
      assert.equal(due.firstResponseDueAt.getTime() - created.getTime(), first * HOUR, priority);
      assert.equal(due.resolutionDueAt.getTime() - created.getTime(), resolution * HOUR, priority);
      assert.deepEqual(SLA_POLICY[priority], { firstResponseHours: first, resolutionHours: resolution });
    }
  });

  test('a deadline is breached when what it waits for came late, or has not come and the deadline passed', () => {
    const due = new Date('2026-01-05T11:00:00Z');
    assert.equal(isBreached(due, null, new Date('2026-01-05T10:59:59Z')), false);
    assert.equal(isBreached(due, null, new Date('2026-01-05T11:00:01Z')), true);
    assert.equal(isBreached(due, new Date('2026-01-05T10:30:00Z'), new Date('2026-01-06T00:00:00Z')), false, 'answered in time stays in time');
    assert.equal(isBreached(due, new Date('2026-01-05T11:30:00Z'), new Date('2026-01-05T11:30:00Z')), true, 'answered late');
  });
});

describe('support status machine', () => {
  test('closed is final; resolved goes back to open or on to closed; nothing moves to new', () => {
    for (const to of TICKET_STATUSES) assert.equal(canStaffMove('closed', to), false, `closed → ${to}`);
    assert.deepEqual(TICKET_STATUSES.filter((to) => canStaffMove('resolved', to)), ['open', 'closed']);
    for (const from of TICKET_STATUSES) assert.equal(canStaffMove(from, 'new'), false, `${from} → new`);
    for (const from of TICKET_STATUSES) assert.equal(canStaffMove(from, from), false, `${from} → itself`);
  });

  test('replies hand the ticket to the other side, along allowed edges', () => {
    assert.equal(nextStatusOnReply('open', 'staff'), 'waiting_on_customer');
    assert.equal(nextStatusOnReply('new', 'staff'), 'waiting_on_customer');
    assert.equal(nextStatusOnReply('waiting_on_customer', 'customer'), 'waiting_on_platform');
    assert.equal(nextStatusOnReply('new', 'customer'), 'new');
    assert.equal(acceptsReplies('resolved'), false);
    assert.equal(acceptsReplies('closed'), false);
    for (const from of TICKET_STATUSES.filter(acceptsReplies)) {
      const to = nextStatusOnReply(from, 'staff');
      assert.ok(from === to || canStaffMove(from, to), `${from} → ${to}`);
    }
  });
});

describe('support attachments', () => {
  test('file names are reduced to a safe last segment', () => {
    assert.equal(sanitiseFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitiseFileName('C:\\Users\\me\\report.pdf'), 'report.pdf');
    assert.equal(sanitiseFileName('.env'), 'env');
    assert.equal(sanitiseFileName('in"voice\r\n;.pdf'), 'in_voice_.pdf');
    assert.equal(sanitiseFileName('   '), 'attachment');
    assert.equal(sanitiseFileName(`${'a'.repeat(300)}.png`).length, 120);
    assert.equal(sanitiseFileName('Überweisung 2026.pdf'), 'Überweisung 2026.pdf');
  });

  test('checks type, size and count; answers the checksum', () => {
    const data = Buffer.from('hello');
    const [checked] = checkFiles([{ fileName: 'a.txt', contentType: 'text/plain; charset=utf-8', data }], 10);
    assert.equal(checked?.contentType, 'text/plain');
    assert.equal(checked?.sha256, createHash('sha256').update(data).digest('hex'));
    assert.equal(checked?.sizeBytes, 5);
    assert.equal(rejected(() => checkFiles([{ fileName: 'a.txt', contentType: 'text/plain', data: Buffer.alloc(11) }], 10), 'SUPPORT_FILE_TOO_LARGE').code, 'VALIDATION');
    assert.equal(rejected(() => checkFiles([{ fileName: 'a.html', contentType: 'text/html', data }], 10), 'SUPPORT_FILE_TYPE').code, 'VALIDATION');
    assert.equal(rejected(() => checkFiles([{ fileName: 'a.svg', contentType: 'image/svg+xml', data }], 10), 'SUPPORT_FILE_TYPE').code, 'VALIDATION');
    rejected(() => checkFiles([{ fileName: 'a.txt', contentType: 'text/plain', data: Buffer.alloc(0) }], 10), 'SUPPORT_FILE_EMPTY');
    rejected(() => checkFiles(Array.from({ length: 6 }, () => ({ fileName: 'a.txt', contentType: 'text/plain', data })), 10), 'SUPPORT_TOO_MANY_FILES');
  });

  test('downloads are attachments with an ASCII fallback and the exact UTF-8 name', () => {
    assert.equal(contentDisposition('Überweisung (1).pdf'), `attachment; filename="_berweisung (1).pdf"; filename*=UTF-8''%C3%9Cberweisung%20%281%29.pdf`);
  });
});

describe('support multipart parsing', () => {
  const boundary = '----plinthBoundary42';
  const contentType = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const part = (headers: string, content: string | Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
  const filePart = (fileName: string, content: string | Buffer, type = 'text/plain') => part(`Content-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: ${type}`, content);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const parse = (body: Buffer, headers: Record<string, string> = contentType, maxFileBytes = 100) => parseMultipart(Readable.from([body]), headers, { maxFileBytes });
  async function refused(run: Promise<unknown>, reason: string): Promise<void> {
    await assert.rejects(run, (error: unknown) => {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.details?.reason, reason);
      return true;
    });
  }

  test('text fields as a form body, files aside, empty file inputs skipped', async () => {
    const binary = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
    const body = Buffer.concat([
      part('Content-Disposition: form-data; name="_csrf"', 'token-1'),
      part('Content-Disposition: form-data; name="body"', 'Line one\r\nLine two'),
      part('Content-Disposition: form-data; name="tag"', 'a'),
      part('Content-Disposition: form-data; name="tag"', 'b'),
      filePart('shot.png', binary, 'image/png'),
      filePart('', '', 'application/octet-stream'),
      end,
    ]);
    const parsed = await parse(body);
    assert.deepEqual({ ...parsed }, { _csrf: 'token-1', body: 'Line one\r\nLine two', tag: ['a', 'b'] });
    const files = uploadedFiles({ body: parsed } as never);
    assert.equal(files.length, 1);
    assert.deepEqual(files[0], { fileName: 'shot.png', contentType: 'image/png', data: binary });
  });

  test('memory stays bounded, yet the file checks still name what they refuse: a big file is cut one byte past the limit, a seventh file is never read', async () => {
    const big = await parse(Buffer.concat([filePart('big.pdf', Buffer.alloc(5000, 1), 'application/pdf'), end]), contentType, 100);
    const [cut] = uploadedFiles({ body: big } as never);
    assert.equal(cut?.data.length, 101);
    rejected(() => checkFiles(uploadedFiles({ body: big } as never), 100), 'SUPPORT_FILE_TOO_LARGE');

    const many = await parse(Buffer.concat([...Array.from({ length: 8 }, (_, index) => filePart(`${index}.txt`, 'x')), end]));
    assert.equal(uploadedFiles({ body: many } as never).length, 6);
    rejected(() => checkFiles(uploadedFiles({ body: many } as never), 100), 'SUPPORT_TOO_MANY_FILES');
  });

  test('a body that is not multipart, or is cut short, too long or too split, is refused as VALIDATION', async () => {
    await refused(parse(Buffer.from('x=1'), { 'content-type': 'multipart/form-data' }), 'SUPPORT_BAD_UPLOAD');
    await refused(parse(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end`)), 'SUPPORT_BAD_UPLOAD');
    await refused(parse(Buffer.concat([part('Content-Disposition: form-data; name="body"', 'x'.repeat(200 * 1024)), end])), 'SUPPORT_BAD_UPLOAD');
    await refused(parse(Buffer.concat([...Array.from({ length: 60 }, () => part('Content-Disposition: form-data; name="a"', '1')), end])), 'SUPPORT_BAD_UPLOAD');
    await refused(parse(Buffer.concat([part('Content-Disposition: form-data; name="__proto__"', '1'), end])), 'SUPPORT_BAD_UPLOAD');
  });
});

describe('support attachment storage', () => {
  const key = storageKeyOf('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333');

  test('disk: put, get, delete round trip under the root, nothing left behind', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'plinth-support-'));
    try {
      const storage = diskStorage(root);
      const data = Buffer.from('bytes on disk');
      await storage.put(key, data, 'text/plain');
      assert.deepEqual(await storage.get(key), data);
      await storage.delete(key);
      await assert.rejects(storage.get(key), StoredObjectMissingError);
      await storage.delete(key);
      const left = await readdir(path.join(root, ...key.split('/').slice(0, 2)));
      assert.deepEqual(left, [], 'no temporary file left');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('keys that are not ids cannot address anything', async () => {
    const storage = diskStorage(tmpdir());
    await assert.rejects(storage.get('../../etc/passwd'), /Not an attachment storage key/);
    assert.throws(() => storageKeyOf('..', 'x', 'y'), /Not an attachment storage key/);
  });

  test('S3 storage needs its endpoint, bucket and keys together', () => {
    assert.throws(() => loadConfig({ ATTACHMENT_STORAGE: 's3', S3_ENDPOINT: 'https://s3.example.test' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems.map((problem) => problem.variable), ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']);
      return true;
    });
    const config = loadConfig({ ATTACHMENT_STORAGE: 's3', S3_ENDPOINT: 'https://s3.example.test/', S3_BUCKET: 'files', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' });
    assert.deepEqual(config.attachments.s3, { endpoint: 'https://s3.example.test', region: 'us-east-1', bucket: 'files', accessKeyId: 'a', secretAccessKey: 'b', forcePathStyle: true });
  });
});
