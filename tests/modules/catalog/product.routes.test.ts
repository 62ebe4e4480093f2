import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  api,
  countProductRows,
  createProductVia,
  ownerQuery,
  deleteAllProducts,
  PRODUCTS_URL,
  type ErrorBody,
  type ProductBody,
  type ValidationIssueBody,
} from '../../support/catalog.ts';

const A = 'tenant-a';
const B = 'tenant-b';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;


interface ListBody {
  data: ProductBody[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}

const productUrl = (id: string, suffix = '') => `${PRODUCTS_URL}/${id}${suffix}`;

function listUrl(query: Record<string, string | number> = {}): string {
  const params = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  const text = params.toString();
  return text ? `${PRODUCTS_URL}?${text}` : PRODUCTS_URL;
}

describe('catalog product API /v1/catalog/products', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());
  beforeEach(() => deleteAllProducts(t));

  async function list(tenant: string, query: Record<string, string | number> = {}): Promise<ListBody> {
    const response = await api(t, tenant, 'GET', listUrl(query));
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as ListBody;
  }

  /** A 400 VALIDATION envelope whose issues name `field` (in `where`), and no row written. */
  async function assertRejected(
    send: () => Promise<{ statusCode: number; json: () => unknown; body: string }>,
    field: string,
    where: ValidationIssueBody['in'] = 'body',
  ): Promise<ValidationIssueBody[]> {
    const before = await countProductRows(t);
    const response = await send();
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json() as ErrorBody;
    assert.equal(body.error.code, 'VALIDATION');
    const issues = body.error.details?.issues as ValidationIssueBody[] | undefined;
    assert.ok(Array.isArray(issues) && issues.length > 0, `issues missing: ${response.body}`);
    assert.ok(
      issues.some((issue) => issue.in === where && issue.path === field),
      `no issue names ${where}.${field}: ${JSON.stringify(issues)}`,
    );
    for (const issue of issues) assert.equal(typeof issue.message, 'string');
    assert.equal(await countProductRows(t), before, 'a rejected request must not write');
    return issues;
  }

  describe('create, read, change, archive', () => {
    test('POST creates a product: 201 echoes it, currency is upper-cased, active defaults to true', async () => {
      const response = await api(t, A, 'POST', PRODUCTS_URL, { name: 'Claw hammer', sku: 'HAM-16', priceMinor: 1899, currency: 'eur' });
      assert.equal(response.statusCode, 201, response.body);
      const { data } = response.json() as { data: ProductBody };
      assert.match(data.id, UUID);
      assert.equal(data.name, 'Claw hammer');
      assert.equal(data.sku, 'HAM-16');
      assert.equal(data.priceMinor, 1899);
      assert.equal(data.currency, 'EUR');
      assert.equal(data.active, true);
      assert.equal(data.archivedAt, null);
      assert.match(data.createdAt, ISO);
      assert.match(data.updatedAt, ISO);
      assert.deepEqual(Object.keys(data).sort(), ['active', 'archivedAt', 'barcode', 'category', 'costMinor', 'createdAt', 'currency', 'id', 'imageUrl', 'name', 'priceMinor', 'sku', 'updatedAt']);

      const rows = await ownerQuery(t, 'SELECT tenant_id, name, sku, price_minor, currency, active FROM catalog_product WHERE id = $1', [data.id]);
      assert.deepEqual(rows.rows, [{ tenant_id: t.tenantA.id, name: 'Claw hammer', sku: 'HAM-16', price_minor: 1899, currency: 'EUR', active: true }]);
    });

    test('POST trims name and SKU, keeps active=false and accepts price 0', async () => {
      const response = await api(t, A, 'POST', PRODUCTS_URL, { name: '  Gift card  ', sku: ' GIFT-0 ', priceMinor: 0, currency: 'USD', active: false });
      assert.equal(response.statusCode, 201, response.body);
      const { data } = response.json() as { data: ProductBody };
      assert.equal(data.name, 'Gift card');
      assert.equal(data.sku, 'GIFT-0');
      assert.equal(data.priceMinor, 0);
      assert.equal(data.active, false);
    });

    test('GET by id returns the product as created', async () => {
      const created = await createProductVia(t, A, { name: 'Masking tape', sku: 'TAPE-25', priceMinor: 349 });
      const response = await api(t, A, 'GET', productUrl(created.id));
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual((response.json() as { data: ProductBody }).data, created);
    });

    test('PATCH changes only the fields sent', async () => {
      const created = await createProductVia(t, A, { name: 'Drill', sku: 'DRL-18', priceMinor: 8999 });
      const response = await api(t, A, 'PATCH', productUrl(created.id), { name: 'Cordless drill', priceMinor: 7999, currency: 'gbp' });
      assert.equal(response.statusCode, 200, response.body);
      const { data } = response.json() as { data: ProductBody };
      assert.equal(data.id, created.id);
      assert.equal(data.name, 'Cordless drill');
      assert.equal(data.priceMinor, 7999);
      assert.equal(data.currency, 'GBP');
      assert.equal(data.sku, 'DRL-18');
      assert.equal(data.createdAt, created.createdAt);
      const stored = await api(t, A, 'GET', productUrl(created.id));
      assert.deepEqual((stored.json() as { data: ProductBody }).data, data);
    });

    test('PATCH may set active=false and back', async () => {
      const created = await createProductVia(t, A, { name: 'Roller', sku: 'ROL-1' });
      const off = await api(t, A, 'PATCH', productUrl(created.id), { active: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal((off.json() as { data: ProductBody }).data.active, false);
      const on = await api(t, A, 'PATCH', productUrl(created.id), { active: true });
      assert.equal((on.json() as { data: ProductBody }).data.active, true);
    });

    test('PATCH without `active` leaves an inactive product inactive', async () => {
      const created = await createProductVia(t, A, { name: 'Seasonal', sku: 'SEAS-1', active: false });
      const response = await api(t, A, 'PATCH', productUrl(created.id), { name: 'Seasonal item' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal((response.json() as { data: ProductBody }).data.active, false);
      const rows = await ownerQuery(t, 'SELECT active FROM catalog_product WHERE id = $1', [created.id]);
      assert.equal(rows.rows[0]?.active, false);
    });

    test('PATCH may change the SKU to another case of its own SKU', async () => {
      const created = await createProductVia(t, A, { name: 'Tape', sku: 'tape-1' });
      const response = await api(t, A, 'PATCH', productUrl(created.id), { sku: 'TAPE-1' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal((response.json() as { data: ProductBody }).data.sku, 'TAPE-1');
    });

    test('archive and restore set and clear archivedAt, and repeating either changes nothing', async () => {
      const created = await createProductVia(t, A, { name: 'Hammer', sku: 'HAM-1' });

      const archived = await api(t, A, 'POST', productUrl(created.id, '/archive'));
      assert.equal(archived.statusCode, 200, archived.body);
      const first = (archived.json() as { data: ProductBody }).data;
      assert.match(String(first.archivedAt), ISO);

      const again = await api(t, A, 'POST', productUrl(created.id, '/archive'));
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual((again.json() as { data: ProductBody }).data, first, 'archiving twice keeps the first archivedAt');

      const restored = await api(t, A, 'POST', productUrl(created.id, '/restore'));
      assert.equal(restored.statusCode, 200, restored.body);
      const back = (restored.json() as { data: ProductBody }).data;
      assert.equal(back.archivedAt, null);

      const restoredAgain = await api(t, A, 'POST', productUrl(created.id, '/restore'));
      assert.equal(restoredAgain.statusCode, 200, restoredAgain.body);
      assert.deepEqual((restoredAgain.json() as { data: ProductBody }).data, back);

      const patched = await api(t, A, 'PATCH', productUrl(created.id), { name: 'Hammer again' });
      assert.equal(patched.statusCode, 200, 'a restored product can be changed again');
    });

    test('PATCH of an archived product is 409 CATALOG_PRODUCT_ARCHIVED and changes nothing', async () => {
      const created = await createProductVia(t, A, { name: 'Old stock', sku: 'OLD-1', priceMinor: 500 });
      await api(t, A, 'POST', productUrl(created.id, '/archive'));
      const response = await api(t, A, 'PATCH', productUrl(created.id), { priceMinor: 1 });
      assert.equal(response.statusCode, 409, response.body);
      const body = response.json() as ErrorBody;
      assert.equal(body.error.code, 'CONFLICT');
      assert.equal(body.error.details?.reason, 'CATALOG_PRODUCT_ARCHIVED');
      const rows = await ownerQuery(t, 'SELECT price_minor FROM catalog_product WHERE id = $1', [created.id]);
      assert.equal(rows.rows[0]?.price_minor, 500);
    });
  });

  describe('validation: 400 VALIDATION naming the field, nothing written', () => {
    const valid = { name: 'Widget', sku: 'WID-1', priceMinor: 100, currency: 'EUR' };
    const post = (payload: unknown) => () => api(t, A, 'POST', PRODUCTS_URL, payload);
    const without = (key: keyof typeof valid) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key));
    const rejects = (payload: unknown, field: string) => async (): Promise<void> => {
      await assertRejected(post(payload), field);
    };

    test('missing name', rejects(without('name'), 'name'));
    test('blank name (only spaces)', rejects({ ...valid, name: '   ' }, 'name'));
    test('missing priceMinor', rejects(without('priceMinor'), 'priceMinor'));
    test('missing sku', rejects(without('sku'), 'sku'));
    test('missing currency', rejects(without('currency'), 'currency'));
    test('negative price', rejects({ ...valid, priceMinor: -1 }, 'priceMinor'));
    test('fractional price 1.5', rejects({ ...valid, priceMinor: 1.5 }, 'priceMinor'));
    test('price as the string "100"', rejects({ ...valid, priceMinor: '100' }, 'priceMinor'));
    test('price above the safe-integer range', rejects({ ...valid, priceMinor: Number.MAX_SAFE_INTEGER + 2 }, 'priceMinor'));
    test('unknown currency XYZ', rejects({ ...valid, currency: 'XYZ' }, 'currency'));
    test('currency that is not three letters', rejects({ ...valid, currency: 'EURO' }, 'currency'));
    test('name of 201 characters (200 is the limit)', async () => {
      await assertRejected(post({ ...valid, name: 'n'.repeat(201) }), 'name');
      const ok = await api(t, A, 'POST', PRODUCTS_URL, { ...valid, name: 'n'.repeat(200) });
      assert.equal(ok.statusCode, 201, 'exactly 200 characters is allowed');
    });
    test('sku of 65 characters (64 is the limit)', async () => {
      await assertRejected(post({ ...valid, sku: 'S'.repeat(65) }), 'sku');
      const ok = await api(t, A, 'POST', PRODUCTS_URL, { ...valid, sku: 'S'.repeat(64) });
      assert.equal(ok.statusCode, 201, 'exactly 64 characters is allowed');
    });
    test('sku with a space', rejects({ ...valid, sku: 'WID 1' }, 'sku'));
    test('sku starting with a punctuation mark', rejects({ ...valid, sku: '-WID' }, 'sku'));
    test('unknown extra field (strict object)', async () => {
      const issues = await assertRejected(post({ ...valid, colour: 'red' }), 'colour');
      assert.ok(issues.some((issue) => issue.path === 'colour' && issue.message === 'is not a known field'));
    });
    test('name of the wrong type (123)', rejects({ ...valid, name: 123 }, 'name'));
    test("active of the wrong type ('yes')", rejects({ ...valid, active: 'yes' }, 'active'));

    test('every wrong field is reported at once', async () => {
      const issues = await assertRejected(post({ name: 123, sku: 'a b', priceMinor: '1', currency: 'XYZ', active: 'yes' }), 'name');
      const paths = new Set(issues.map((issue) => issue.path));
      for (const field of ['name', 'sku', 'priceMinor', 'currency', 'active']) assert.ok(paths.has(field), `missing ${field}: ${JSON.stringify(issues)}`);
    });

    test('a body that is not JSON is a 400 VALIDATION envelope', async () => {
      const before = await countProductRows(t);
      const response = await t.app.inject({
        method: 'POST',
        url: PRODUCTS_URL,
        headers: { ...(await t.headersFor(A)), 'content-type': 'application/json' },
        payload: '{"name": ',
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as ErrorBody).error.code, 'VALIDATION');
      assert.equal(await countProductRows(t), before);
    });

    test('PATCH with a wrong field is 400 and the product is unchanged', async () => {
      const created = await createProductVia(t, A, { name: 'Keep me', sku: 'KEEP-1', priceMinor: 250 });
      await assertRejected(() => api(t, A, 'PATCH', productUrl(created.id), { priceMinor: -5 }), 'priceMinor');
      await assertRejected(() => api(t, A, 'PATCH', productUrl(created.id), { name: 'x', extra: true }), 'extra');
      const stored = await api(t, A, 'GET', productUrl(created.id));
      assert.deepEqual((stored.json() as { data: ProductBody }).data, created);
    });

    test('PATCH without a body is 400', async () => {
      const created = await createProductVia(t, A, { name: 'Keep me', sku: 'KEEP-2' });
      const response = await api(t, A, 'PATCH', productUrl(created.id));
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as ErrorBody).error.code, 'VALIDATION');
    });

    test('PATCH with an empty object {} is 400 and changes nothing', async () => {
      const created = await createProductVia(t, A, { name: 'Dormant', sku: 'KEEP-3', active: false });
      const response = await api(t, A, 'PATCH', productUrl(created.id), {});
      assert.equal(response.statusCode, 400, response.body);
      const body = response.json() as ErrorBody;
      assert.equal(body.error.code, 'VALIDATION');
      assert.ok(Array.isArray(body.error.details?.issues));
      const stored = await api(t, A, 'GET', productUrl(created.id));
      assert.deepEqual((stored.json() as { data: ProductBody }).data, created);
    });

    for (const [label, method, suffix] of [
      ['GET', 'GET', ''],
      ['PATCH', 'PATCH', ''],
      ['archive', 'POST', '/archive'],
      ['restore', 'POST', '/restore'],
    ] as const) {
      test(`${label} with a non-UUID id is 400 (params.id); an unknown UUID is 404 NOT_FOUND`, async () => {
        const payload = method === 'PATCH' ? { name: 'x' } : undefined;
        await assertRejected(() => api(t, A, method, `${PRODUCTS_URL}/not-a-uuid${suffix}`, payload), 'id', 'params');
        const missing = await api(t, A, method, productUrl(randomUUID(), suffix), payload);
        assert.equal(missing.statusCode, 404, missing.body);
        assert.deepEqual(missing.json(), {
          error: { code: 'NOT_FOUND', message: 'Product was not found.', details: { reason: 'CATALOG_PRODUCT_NOT_FOUND' } },
        });
      });
    }
  });

  describe('SKU uniqueness', () => {
    test('a duplicate SKU (any case) is 409 CATALOG_SKU_TAKEN and writes nothing', async () => {
      await createProductVia(t, A, { name: 'First', sku: 'ABC-1' });
      const before = await countProductRows(t);
      const response = await api(t, A, 'POST', PRODUCTS_URL, { name: 'Second', sku: 'abc-1', priceMinor: 1, currency: 'EUR' });
      assert.equal(response.statusCode, 409, response.body);
      const body = response.json() as ErrorBody;
      assert.equal(body.error.code, 'CONFLICT');
      assert.equal(body.error.details?.reason, 'CATALOG_SKU_TAKEN');
      assert.equal(body.error.details?.field, 'sku');
      assert.equal(await countProductRows(t), before);
    });

    test("PATCH to another product's SKU is 409 CATALOG_SKU_TAKEN and changes nothing", async () => {
      await createProductVia(t, A, { name: 'Taken', sku: 'TAKEN-1' });
      const other = await createProductVia(t, A, { name: 'Other', sku: 'OTHER-1' });
      const response = await api(t, A, 'PATCH', productUrl(other.id), { sku: 'taken-1', name: 'Renamed' });
      assert.equal(response.statusCode, 409, response.body);
      const body = response.json() as ErrorBody;
      assert.equal(body.error.code, 'CONFLICT');
      assert.equal(body.error.details?.reason, 'CATALOG_SKU_TAKEN');
      const stored = await api(t, A, 'GET', productUrl(other.id));
      assert.deepEqual((stored.json() as { data: ProductBody }).data, other, 'the rejected PATCH left no partial change');
    });

    test('the same SKU may exist in two tenants', async () => {
      const inA = await createProductVia(t, A, { name: 'Shared', sku: 'SAME-1' });
      const inB = await createProductVia(t, B, { name: 'Shared', sku: 'SAME-1' });
      assert.notEqual(inA.id, inB.id);
      assert.equal(await countProductRows(t, t.tenantA.id), 1);
      assert.equal(await countProductRows(t, t.tenantB.id), 1);
    });

    test('an archived product still holds its SKU', async () => {
      const created = await createProductVia(t, A, { name: 'Archived', sku: 'ARCH-1' });
      await api(t, A, 'POST', productUrl(created.id, '/archive'));
      const response = await api(t, A, 'POST', PRODUCTS_URL, { name: 'New', sku: 'ARCH-1', priceMinor: 1, currency: 'EUR' });
      assert.equal(response.statusCode, 409, response.body);
    });

    test('10 concurrent POSTs with one SKU: exactly one 201, nine 409, one row', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          api(t, A, 'POST', PRODUCTS_URL, { name: `Racer ${index}`, sku: index % 2 === 0 ? 'RACE-1' : 'race-1', priceMinor: index, currency: 'EUR' }),
        ),
      );
      const statuses = responses.map((response) => response.statusCode).sort();
      assert.deepEqual(statuses, [201, ...Array<number>(9).fill(409)], responses.map((response) => response.body).join('\n'));
      for (const response of responses.filter((r) => r.statusCode === 409))
        assert.equal((response.json() as ErrorBody).error.details?.reason, 'CATALOG_SKU_TAKEN');
      const rows = await ownerQuery(t, "SELECT id FROM catalog_product WHERE lower(sku) = 'race-1'");
      assert.equal(rows.rowCount, 1);
      const winner = responses.find((response) => response.statusCode === 201);
      assert.equal(rows.rows[0]?.id, (winner?.json() as { data: ProductBody }).data.id);
    });
  });

  describe('barcodes, categories and the business currency', () => {
    test('barcode and category are kept; empty text clears them; a barcode is unique within the business only', async () => {
      const created = await api(t, A, 'POST', PRODUCTS_URL, { name: 'Hammer', sku: 'HAM-1', barcode: '4006381333931', category: ' Hand tools ', priceMinor: 100, currency: 'EUR' });
      assert.equal(created.statusCode, 201, created.body);
      const { data } = created.json() as { data: ProductBody & { barcode: string | null; category: string | null; imageUrl: string | null } };
      assert.deepEqual([data.barcode, data.category, data.imageUrl], ['4006381333931', 'Hand tools', null]);

      const before = await countProductRows(t);
      const taken = await api(t, A, 'POST', PRODUCTS_URL, { name: 'Other', sku: 'OTH-1', barcode: '4006381333931', priceMinor: 100, currency: 'EUR' });
      assert.equal(taken.statusCode, 409, taken.body);
      assert.equal((taken.json() as ErrorBody).error.details?.reason, 'CATALOG_BARCODE_TAKEN');
      assert.equal(await countProductRows(t), before);
      const elsewhere = await api(t, B, 'POST', PRODUCTS_URL, { name: 'Other', sku: 'OTH-1', barcode: '4006381333931', priceMinor: 100, currency: 'EUR' });
      assert.equal(elsewhere.statusCode, 201, elsewhere.body);

      const cleared = await api(t, A, 'PATCH', productUrl(data.id), { barcode: '', category: '' });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const after = (cleared.json() as { data: { barcode: string | null; category: string | null } }).data;
      assert.deepEqual([after.barcode, after.category], [null, null]);
      // Two products without a barcode do not collide.
      assert.equal((await api(t, A, 'POST', PRODUCTS_URL, { name: 'Third', sku: 'THI-1', priceMinor: 1, currency: 'EUR' })).statusCode, 201);
    });

    test('a barcode with a space or of 65 characters is 400 naming barcode', async () => {
      await assertRejected(() => api(t, A, 'POST', PRODUCTS_URL, { name: 'W', sku: 'W-1', barcode: '400 638', priceMinor: 1, currency: 'EUR' }), 'barcode');
      await assertRejected(() => api(t, A, 'POST', PRODUCTS_URL, { name: 'W', sku: 'W-1', barcode: '4'.repeat(65), priceMinor: 1, currency: 'EUR' }), 'barcode');
    });

    test('a product in another currency than the business sells in is 400 CATALOG_CURRENCY_MISMATCH naming currency, on create and on change', async () => {
      const euro = await createProductVia(t, A, { name: 'Tape', sku: 'TAPE-1', priceMinor: 349, currency: 'EUR' });
      const before = await countProductRows(t);
      const dollar = await api(t, A, 'POST', PRODUCTS_URL, { name: 'Drill', sku: 'DRL-1', priceMinor: 8999, currency: 'USD' });
      assert.equal(dollar.statusCode, 400, dollar.body);
      const body = dollar.json() as ErrorBody;
      assert.equal(body.error.details?.reason, 'CATALOG_CURRENCY_MISMATCH');
      assert.equal(body.error.details?.field, 'currency');
      assert.match(body.error.message, /sells in EUR/);
      assert.equal(await countProductRows(t), before);
      const second = await createProductVia(t, A, { name: 'Screws', sku: 'SCR-1', priceMinor: 649, currency: 'EUR' });
      const changed = await api(t, A, 'PATCH', productUrl(second.id), { currency: 'USD' });
      assert.equal(changed.statusCode, 400, changed.body);
      // The only product of a business may change its currency: nothing else would be left behind.
      await api(t, A, 'POST', productUrl(second.id, '/archive'));
      assert.equal((await api(t, A, 'PATCH', productUrl(euro.id), { currency: 'USD' })).statusCode, 200);
    });
  });

  describe('list and pagination', () => {
    async function seed(count: number, prefix = 'Item'): Promise<ProductBody[]> {
      const created: ProductBody[] = [];
      for (let index = 0; index < count; index++)
        created.push(await createProductVia(t, A, { name: `${prefix} ${String(index).padStart(3, '0')}`, sku: `${prefix}-${index}`.toUpperCase() }));
      return created;
    }

    test('an empty catalog lists data [] with total 0 and totalPages 0', async () => {
      const body = await list(A);
      assert.deepEqual(body, { data: [], pagination: { page: 1, pageSize: 50, total: 0, totalPages: 0 } });
    });

    test('exactly pageSize rows make one page', async () => {
      await seed(5);
      const body = await list(A, { pageSize: 5 });
      assert.equal(body.data.length, 5);
      assert.deepEqual(body.pagination, { page: 1, pageSize: 5, total: 5, totalPages: 1 });
    });

    test('a page beyond the last is empty but reports the total', async () => {
      await seed(5);
      const body = await list(A, { pageSize: 2, page: 4 });
      assert.deepEqual(body.data, []);
      assert.deepEqual(body.pagination, { page: 4, pageSize: 2, total: 5, totalPages: 3 });
    });

    test('the last page holds the remainder', async () => {
      await seed(5);
      const body = await list(A, { pageSize: 2, page: 3 });
      assert.equal(body.data.length, 1);
      assert.equal(body.data[0]?.name, 'Item 004');
    });

    test('pageSize 100 is accepted; 101, 0, page 0, pageSize "abc", page 1.5 and unknown parameters are 400', async () => {
      const ok = await api(t, A, 'GET', listUrl({ pageSize: 100 }));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((ok.json() as ListBody).pagination.pageSize, 100);
      for (const [query, field] of [
        [{ pageSize: 101 }, 'pageSize'],
        [{ pageSize: 0 }, 'pageSize'],
        [{ page: 0 }, 'page'],
        [{ pageSize: 'abc' }, 'pageSize'],
        [{ page: '1.5' }, 'page'],
        [{ page: -1 }, 'page'],
        [{ status: 'deleted' }, 'status'],
        [{ sort: 'price' }, 'sort'],
      ] as const) {
        await assertRejected(() => api(t, A, 'GET', listUrl(query)), field, 'querystring');
      }
    });

    test('order is by name then id, and walking the pages visits every row exactly once', async () => {
      const created = await seed(7, 'Walk');
      // Three products share a name: the id decides their order.
      for (let index = 0; index < 3; index++) created.push(await createProductVia(t, A, { name: 'Walk 003', sku: `TWIN-${index}` }));
      const expected = [...created].sort((x, y) => (x.name === y.name ? (x.id < y.id ? -1 : 1) : x.name < y.name ? -1 : 1)).map((p) => p.id);

      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const body = await list(A, { pageSize: 3, page });
        assert.deepEqual(body.pagination, { page, pageSize: 3, total: 10, totalPages: 4 });
        seen.push(...body.data.map((product) => product.id));
      }
      assert.equal(new Set(seen).size, seen.length, 'no product appears on two pages');
      assert.deepEqual(seen, expected, 'pages concatenate to the name, id order with nothing missing');
      assert.deepEqual((await list(A, { pageSize: 100 })).data.map((p) => p.id), expected);
    });

    test('q matches name or SKU, case-insensitively', async () => {
      await createProductVia(t, A, { name: 'Claw HAMMER', sku: 'TOOL-1' });
      await createProductVia(t, A, { name: 'Screwdriver', sku: 'hammer-bit' });
      await createProductVia(t, A, { name: 'Paint', sku: 'PAINT-1' });
      const body = await list(A, { q: 'hAmMeR' });
      assert.deepEqual(body.data.map((p) => p.name).sort(), ['Claw HAMMER', 'Screwdriver']);
      assert.equal(body.pagination.total, 2);
      assert.deepEqual((await list(A, { q: 'paint-1' })).data.map((p) => p.sku), ['PAINT-1']);
      assert.deepEqual((await list(A, { q: 'nothing like it' })).data, []);
    });

    test('q treats % and _ (and \\) as literal text, not LIKE wildcards', async () => {
      await createProductVia(t, A, { name: '50% off voucher', sku: 'VOUCH-50' });
      await createProductVia(t, A, { name: '500 screws', sku: 'SCR-500' });
      await createProductVia(t, A, { name: 'Snake', sku: 'SNAKE_CASE' });
      await createProductVia(t, A, { name: 'Snakes', sku: 'SNAKEXCASE' });
      await createProductVia(t, A, { name: 'Back\\slash', sku: 'BS-1' });
      assert.deepEqual((await list(A, { q: '%' })).data.map((p) => p.sku), ['VOUCH-50']);
      assert.deepEqual((await list(A, { q: '50%' })).data.map((p) => p.sku), ['VOUCH-50']);
      assert.deepEqual((await list(A, { q: 'e_c' })).data.map((p) => p.sku), ['SNAKE_CASE']);
      assert.deepEqual((await list(A, { q: '_' })).data.map((p) => p.sku), ['SNAKE_CASE']);
      assert.deepEqual((await list(A, { q: '\\' })).data.map((p) => p.sku), ['BS-1']);
    });

    test('status filters active, inactive and archived; no status lists everything not archived', async () => {
      const active = await createProductVia(t, A, { name: 'Active one', sku: 'ST-A', active: true });
      const inactive = await createProductVia(t, A, { name: 'Inactive one', sku: 'ST-I', active: false });
      const archived = await createProductVia(t, A, { name: 'Archived one', sku: 'ST-R', active: true });
      const archivedInactive = await createProductVia(t, A, { name: 'Archived two', sku: 'ST-R2', active: false });
      for (const product of [archived, archivedInactive]) {
        const response = await api(t, A, 'POST', productUrl(product.id, '/archive'));
        assert.equal(response.statusCode, 200);
      }
      const ids = async (query: Record<string, string>) => (await list(A, query)).data.map((p) => p.id).sort();
      assert.deepEqual(await ids({}), [active.id, inactive.id].sort());
      assert.deepEqual(await ids({ status: 'active' }), [active.id]);
      assert.deepEqual(await ids({ status: 'inactive' }), [inactive.id]);
      assert.deepEqual(await ids({ status: 'archived' }), [archived.id, archivedInactive.id].sort());
      assert.equal((await list(A, { status: 'archived' })).pagination.total, 2);
    });
  });

  describe('tenant isolation and tenant selection', () => {
    test("tenant B does not see tenant A's products in its list", async () => {
      await createProductVia(t, A, { name: 'Only in A', sku: 'ISO-1' });
      const body = await list(B);
      assert.deepEqual(body.data, []);
      assert.equal(body.pagination.total, 0);
      assert.deepEqual((await list(B, { q: 'Only in A' })).data, []);
      assert.deepEqual((await list(B, { status: 'archived' })).data, []);
    });

    test("tenant B gets the same 404 for A's product as for a random id on get, patch, archive and restore", async () => {
      const product = await createProductVia(t, A, { name: 'Secret', sku: 'ISO-2', priceMinor: 700 });
      for (const [method, suffix, payload] of [
        ['GET', '', undefined],
        ['PATCH', '', { name: 'Stolen' }],
        ['POST', '/archive', undefined],
        ['POST', '/restore', undefined],
      ] as const) {
        const foreign = await api(t, B, method, productUrl(product.id, suffix), payload);
        const random = await api(t, B, method, productUrl(randomUUID(), suffix), payload);
        assert.equal(foreign.statusCode, 404, `${method} ${suffix}: ${foreign.body}`);
        assert.equal((foreign.json() as ErrorBody).error.code, 'NOT_FOUND');
        assert.deepEqual(foreign.json(), random.json(), 'nothing tells a foreign id from a missing one');
      }
      const stored = await api(t, A, 'GET', productUrl(product.id));
      assert.deepEqual((stored.json() as { data: ProductBody }).data, product, "B's attempts changed nothing");
    });

    test('a forged bearer token is 401 AUTHN', async () => {
      const response = await t.app.inject({ method: 'GET', url: PRODUCTS_URL, headers: { authorization: 'Bearer not.a.token' } });
      assert.equal(response.statusCode, 401, response.body);
      assert.equal((response.json() as ErrorBody).error.code, 'AUTHN');
    });

    test('a suspended tenant is 403 AUTHZ and cannot write', async () => {
      await ownerQuery(t, "UPDATE tenant SET status = 'suspended' WHERE slug = $1", [B]);
      try {
        const before = await countProductRows(t);
        const response = await api(t, B, 'POST', PRODUCTS_URL, { name: 'x', sku: 'SUS-1', priceMinor: 1, currency: 'EUR' });
        assert.equal(response.statusCode, 403, response.body);
        assert.equal((response.json() as ErrorBody).error.code, 'AUTHZ');
        assert.equal(await countProductRows(t), before);
      } finally {
        await ownerQuery(t, "UPDATE tenant SET status = 'active' WHERE slug = $1", [B]);
      }
    });

    test('no credentials is 401 AUTHN on list, get and create; nothing is written', async () => {
      const product = await createProductVia(t, A, { name: 'Mine', sku: 'AUTH-1' });
      const before = await countProductRows(t);
      for (const [method, url, payload] of [
        ['GET', PRODUCTS_URL, undefined],
        ['GET', productUrl(product.id), undefined],
        ['POST', PRODUCTS_URL, { name: 'x', sku: 'AUTH-2', priceMinor: 1, currency: 'EUR' }],
      ] as const) {
        const response = await api(t, undefined, method, url, payload);
        assert.equal(response.statusCode, 401, `${method} ${url}: ${response.body}`);
        const body = response.json() as ErrorBody;
        assert.equal(body.error.code, 'AUTHN');
        assert.equal(typeof body.error.message, 'string');
      }
      assert.equal(await countProductRows(t), before);
    });
  });
});
