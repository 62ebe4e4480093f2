import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { s3Storage, storageKeyOf, StoredObjectMissingError } from '../../../src/modules/support/storage/index.ts';

interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * Just enough of S3 for PutObject, GetObject and DeleteObject, path-style, objects in memory: a
 * real round trip through the SDK (signing, serialising, parsing errors) without the network.
 */
function fakeS3(): { server: Server; objects: Map<string, { data: Buffer; contentType: string }>; seen: SeenRequest[] } {
  const objects = new Map<string, { data: Buffer; contentType: string }>();
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://s3.test').pathname);
      seen.push({ method: request.method ?? '', path, headers: request.headers });
      if (!/^AWS4-HMAC-SHA256 Credential=/.test(request.headers.authorization ?? '')) {
        response.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>Unsigned</Message></Error>');
        return;
      }
      if (request.method === 'PUT') {
        const data = Buffer.concat(chunks);
        objects.set(path, { data, contentType: request.headers['content-type'] ?? 'application/octet-stream' });
        response.writeHead(200, { etag: `"${createHash('md5').update(data).digest('hex')}"` }).end();
      } else if (request.method === 'GET') {
        const object = objects.get(path);
        if (!object) {
          response.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
          return;
        }
        response.writeHead(200, { 'content-type': object.contentType, 'content-length': String(object.data.length) }).end(object.data);
      } else if (request.method === 'DELETE') {
        objects.delete(path);
        response.writeHead(204).end();
      } else {
        response.writeHead(405).end();
      }
    });
  });
  return { server, objects, seen };
}

describe('support attachment storage in S3 (through @aws-sdk/client-s3)', () => {
  const fake = fakeS3();
  let endpoint = '';
  before(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

  const key = storageKeyOf('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333');

  test('put, get and delete round trip, path-style, every request signed with SigV4 for the configured region and key', async () => {
    const storage = s3Storage({ endpoint, region: 'eu-central-1', bucket: 'plinth-files', accessKeyId: 'AKTEST', secretAccessKey: 'secret', forcePathStyle: true });
    assert.equal(storage.kind, 's3');
    const data = Buffer.from([0, 1, 2, 255, 13, 10]);
    await storage.put(key, data, 'application/pdf');
    assert.deepEqual(fake.objects.get(`/plinth-files/${key}`), { data, contentType: 'application/pdf' });
    assert.deepEqual(await storage.get(key), data);
    await storage.delete(key);
    assert.equal(fake.objects.size, 0);
    await assert.rejects(storage.get(key), StoredObjectMissingError);
    await storage.delete(key);

    assert.deepEqual(
      fake.seen.map((request) => [request.method, request.path]),
      [['PUT', `/plinth-files/${key}`], ['GET', `/plinth-files/${key}`], ['DELETE', `/plinth-files/${key}`], ['GET', `/plinth-files/${key}`], ['DELETE', `/plinth-files/${key}`]],
    );
    for (const request of fake.seen) {
      assert.match(request.headers.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKTEST\/\d{8}\/eu-central-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      assert.match(String(request.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
      assert.ok(request.headers['x-amz-content-sha256'], 'the payload hash is sent');
    }
    const put = fake.seen[0];
    assert.equal(put?.headers['x-amz-content-sha256'], createHash('sha256').update(data).digest('hex'));
  });

  test('keys that are not ids are refused before any request', async () => {
    const storage = s3Storage({ endpoint, region: 'us-east-1', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true });
    const before = fake.seen.length;
    await assert.rejects(storage.get('../../etc/passwd'), /Not an attachment storage key/);
    await assert.rejects(storage.put('x', Buffer.from('x'), 'text/plain'), /Not an attachment storage key/);
    assert.equal(fake.seen.length, before);
  });

  test('a failure other than a missing object is not taken for one', async () => {
    const storage = s3Storage({ endpoint, region: 'us-east-1', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true });
    fake.server.removeAllListeners('request');
    fake.server.on('request', (_request, response) => response.writeHead(500, { 'content-type': 'application/xml' }).end('<Error><Code>InternalError</Code><Message>boom</Message></Error>'));
    await assert.rejects(storage.get(key), (error: unknown) => !(error instanceof StoredObjectMissingError));
  });
});
