import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { api, createProductVia, PRODUCTS_URL, type ErrorBody, type ProductBody } from '../../support/catalog.ts';

const A = 'tenant-a';
const B = 'tenant-b';

const imageUrlOf = (id: string) => `${PRODUCTS_URL}/${id}/image`;
function picture(width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: '#c0392b' } }).withMetadata({ exif: { IFD0: { Copyright: 'secret-location' } } });
  return (format === 'png' ? image.png() : image.jpeg()).toBuffer();
}

describe('product pictures', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const upload = async (tenant: string, productId: string, bytes: Buffer, contentType = 'image/jpeg') =>
    t.app.inject({ method: 'PUT', url: imageUrlOf(productId), headers: { ...(await t.headersFor(tenant)), 'content-type': contentType }, payload: bytes });

  test('an upload is resized to fit 480×480, re-encoded as WebP without its metadata, and served under a versioned URL with long cache headers', async () => {
    const product = await createProductVia(t, A, { name: 'Pictured', sku: `PIC-${Date.now()}` });
    const photo = await picture(1200, 600, 'jpeg');
    const response = await upload(A, product.id, photo);
    assert.equal(response.statusCode, 200, response.body);
    const { data } = response.json() as { data: ProductBody };
    assert.match(data.imageUrl ?? '', new RegExp(`^/catalog/products/${product.id}/image\\?v=[0-9a-z]+$`));

    const served = await t.app.inject({ method: 'GET', url: data.imageUrl ?? '', headers: await t.headersFor(A) });
    assert.equal(served.statusCode, 200, served.body);
    assert.equal(served.headers['content-type'], 'image/webp');
    assert.match(String(served.headers['cache-control']), /max-age=31536000, immutable/);
    assert.match(String(served.headers['cache-control']), /^private/, 'a business picture is not for shared caches');
    const meta = await sharp(served.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 480, 240]);
    assert.equal(meta.exif, undefined, 'the upload’s metadata is not served');

    // A new picture is a new URL.
    const again = await upload(A, product.id, await picture(100, 100), 'image/png');
    const second = (again.json() as { data: ProductBody }).data.imageUrl;
    assert.notEqual(second, data.imageUrl);
    const small = await t.app.inject({ method: 'GET', url: second ?? '', headers: await t.headersFor(A) });
    assert.deepEqual([(await sharp(small.rawPayload).metadata()).width], [100], 'never enlarged');

    // Another business sees neither the picture nor the product.
    assert.equal((await t.app.inject({ method: 'GET', url: imageUrlOf(product.id), headers: await t.headersFor(B) })).statusCode, 404);
    assert.equal((await upload(B, product.id, photo)).statusCode, 404);

    const removed = await api(t, A, 'DELETE', imageUrlOf(product.id));
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal((removed.json() as { data: ProductBody }).data.imageUrl, null);
    assert.equal((await t.app.inject({ method: 'GET', url: imageUrlOf(product.id), headers: await t.headersFor(A) })).statusCode, 404);
  });

  test('what is not a picture, a format not taken, or a picture over 5 MB is 400 CATALOG_IMAGE_REFUSED, and the product keeps no picture', async () => {
    const product = await createProductVia(t, A, { name: 'Refused', sku: `REF-${Date.now()}` });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    const tooBig = Buffer.concat([await picture(10, 10), Buffer.alloc(5 * 1024 * 1024)]);
    // A type that is not a picture format taken is refused before anything is read.
    assert.equal((await upload(A, product.id, Buffer.from('<svg/>'), 'image/svg+xml')).statusCode, 415);
    for (const [label, bytes] of [
      ['text', Buffer.from('hello, not a picture')],
      ['svg', svg],
      ['over 5 MB', tooBig],
    ] as const) {
      const response = await upload(A, product.id, bytes, 'image/png');
      assert.equal(response.statusCode, 400, `${label}: ${response.body}`);
      assert.equal((response.json() as ErrorBody).error.details?.reason, 'CATALOG_IMAGE_REFUSED', `${label}: ${response.body.slice(0, 300)}`);
    }
    const current = await api(t, A, 'GET', `${PRODUCTS_URL}/${product.id}`);
    assert.equal((current.json() as { data: ProductBody }).data.imageUrl, null);
  });
});
