import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { api, countProductRows, createProductVia, deleteAllProducts, ownerQuery, type ProductBody } from '../../support/catalog.ts';
import { fieldBlock, findTag, findTags, hasTag, pageText, textById } from '../../support/html.ts';

const FORM = 'application/x-www-form-urlencoded';

type FormFields = Record<string, string | string[]>;

function encodeForm(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  return params.toString();
}

/** What a browser sends for the product form: the hidden `active=false` first, then the checkbox when ticked. */
function productForm(values: { name: string; sku: string; price: string; currency: string; active?: boolean }): FormFields {
  return {
    name: values.name,
    sku: values.sku,
    price: values.price,
    currency: values.currency,
    active: values.active === false ? ['false'] : ['false', 'true'],
  };
}

function assertHtml(response: LightMyRequestResponse, status: number): string {
  assert.equal(response.statusCode, status, response.body.slice(0, 2000));
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.ok(response.body.startsWith('<!doctype html>'));
  return response.body;
}

function assertRedirect(response: LightMyRequestResponse, status = 303): string {
  assert.equal(response.statusCode, status, response.body.slice(0, 2000));
  const location = response.headers.location;
  assert.equal(typeof location, 'string');
  return location as string;
}

/** The value an input of the page carries (entity-decoded). */
const inputValue = (html: string, name: string) => findTag(html, 'input', { id: `field-${name}` }).attributes.value;

/** Asserts the error for `name` sits in that field's block and the input points at it. */
function assertFieldError(html: string, name: string, message: RegExp): void {
  const input = findTag(html, 'input', { id: `field-${name}` });
  assert.equal(input.attributes['aria-invalid'], 'true', `${name} is marked invalid`);
  assert.ok((input.attributes['aria-describedby'] ?? '').split(' ').includes(`field-${name}-error`), `${name} is described by its error`);
  const block = fieldBlock(html, name);
  assert.ok(block.includes(`id="field-${name}-error"`), `the error of ${name} sits in its field block`);
  assert.match(textById(html, `field-${name}-error`) ?? '', message);
}

function assertNoFieldError(html: string, name: string): void {
  const input = findTag(html, 'input', { id: `field-${name}` });
  assert.equal(input.attributes['aria-invalid'], undefined, `${name} is not marked invalid`);
  assert.ok(!html.includes(`id="field-${name}-error"`), `${name} has no error`);
}

const activeChecked = (html: string) => findTag(html, 'input', { id: 'field-active' }).attributes.checked !== undefined;

describe('catalog product pages (no JavaScript)', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());
  beforeEach(() => deleteAllProducts(t));

  /** As the tenant's owner in a signed-in browser; `null`: not signed in. */
  const page = async (url: string, tenant: string | null = 'tenant-a') =>
    t.app.inject({ method: 'GET', url, headers: tenant ? { cookie: (await t.browserFor(tenant)).cookie } : {} });

  /** Posts a form the way the browser does, with the page's CSRF token (unless `csrf` is false). */
  const submit = async (url: string, fields: FormFields, tenant: string | null = 'tenant-a', csrf = true) => {
    const browser = tenant ? await t.browserFor(tenant) : undefined;
    return t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': FORM, ...(browser ? { cookie: browser.cookie } : {}) },
      payload: encodeForm(browser && csrf ? { ...fields, _csrf: browser.csrfToken } : fields),
    });
  };

  describe('new product form', () => {
    test('GET /catalog/products/new renders a POST form to /catalog/products with every field', async () => {
      const html = assertHtml(await page('/catalog/products/new'), 200);
      const forms = findTags(html, 'form').filter((form) => form.attributes.action === '/catalog/products' && form.attributes.method === 'post');
      assert.equal(forms.length, 1, 'one product form posting to /catalog/products');
      for (const name of ['name', 'sku', 'price', 'currency']) {
        const input = findTag(html, 'input', { id: `field-${name}` });
        assert.equal(input.attributes.name, name);
        assert.ok(hasTag(html, 'label', { for: `field-${name}` }), `${name} has a label`);
      }
      assert.equal(inputValue(html, 'currency'), 'EUR', 'currency starts as EUR');
      assert.equal(inputValue(html, 'name'), '');
      const checkbox = findTag(html, 'input', { id: 'field-active' });
      assert.equal(checkbox.attributes.type, 'checkbox');
      assert.equal(checkbox.attributes.name, 'active');
      assert.equal(checkbox.attributes.value, 'true');
      assert.ok(activeChecked(html), 'a new product starts active');
      assert.ok(hasTag(html, 'input', { type: 'hidden', name: 'active', value: 'false' }), 'an unticked box still sends active=false');
      assert.ok(hasTag(html, 'button', { type: 'submit' }));
      assert.ok(pageText(html).includes('Tenant A'), 'the page names the tenant');
    });

    test('a valid form creates the product, redirects 303 with a notice, and the list shows it priced', async () => {
      const response = await submit('/catalog/products', productForm({ name: 'Masking tape', sku: 'TAPE-25', price: '4.50', currency: 'eur' }));
      const location = assertRedirect(response);
      const url = new URL(location, 'http://plinth.test');
      assert.equal(url.pathname, '/catalog/products');
      assert.equal(url.searchParams.get('notice'), 'Created Masking tape.');

      const rows = await ownerQuery(t, 'SELECT tenant_id, name, sku, price_minor, currency, active FROM catalog_product');
      assert.deepEqual(rows.rows, [{ tenant_id: t.tenantA.id, name: 'Masking tape', sku: 'TAPE-25', price_minor: 450, currency: 'EUR', active: true }]);

      const html = assertHtml(await page(location), 200);
      const text = pageText(html);
      assert.ok(text.includes('Created Masking tape.'), 'the notice is shown');
      assert.ok(text.includes('Masking tape'));
      assert.ok(text.includes('TAPE-25'));
      assert.ok(text.includes('€4.50'), `price is formatted: ${text}`);
      assert.ok(text.includes('Active'));
    });

    test('an unticked Active box creates an inactive product', async () => {
      assertRedirect(await submit('/catalog/products', productForm({ name: 'Seasonal', sku: 'SEAS-1', price: '1', currency: 'EUR', active: false })));
      const rows = await ownerQuery(t, 'SELECT active, price_minor FROM catalog_product');
      assert.deepEqual(rows.rows, [{ active: false, price_minor: 100 }]);
    });

    test('a zero-decimal currency takes whole amounts (JPY 450 → 450)', async () => {
      assertRedirect(await submit('/catalog/products', productForm({ name: 'Tea', sku: 'TEA-1', price: '450', currency: 'JPY' })));
      const html = assertHtml(await page('/catalog/products'), 200);
      assert.ok(pageText(html).includes('¥450'));
    });

    test('bad data is 422: each error sits next to its field, values come back, nothing is written', async () => {
      const response = await submit('/catalog/products', productForm({ name: '', sku: 'KEEP-1', price: '-3', currency: 'EUR', active: false }));
      const html = assertHtml(response, 422);
      assertFieldError(html, 'name', /required/);
      assertFieldError(html, 'price', /amount/);
      assertNoFieldError(html, 'sku');
      assertNoFieldError(html, 'currency');
      assert.ok(hasTag(html, 'div', { role: 'alert' }), 'a summary alert is shown');
      assert.equal(inputValue(html, 'sku'), 'KEEP-1');
      assert.equal(inputValue(html, 'price'), '-3');
      assert.equal(inputValue(html, 'currency'), 'EUR');
      assert.equal(activeChecked(html), false, 'the unticked box stays unticked');
      assert.equal(await countProductRows(t), 0);
    });

    test('an unknown currency is an error on the currency field and keeps the typed code', async () => {
      const html = assertHtml(await submit('/catalog/products', productForm({ name: 'Widget', sku: 'WID-1', price: '4.50', currency: 'XYZ' })), 422);
      assertFieldError(html, 'currency', /currency/);
      assertNoFieldError(html, 'name');
      assert.equal(inputValue(html, 'currency'), 'XYZ');
      assert.equal(inputValue(html, 'price'), '4.50');
      assert.equal(await countProductRows(t), 0);
    });

    test('empty name, price -3 and currency XYZ together: all three fields show their error', async () => {
      const html = assertHtml(await submit('/catalog/products', productForm({ name: '', sku: 'ALL-1', price: '-3', currency: 'XYZ' })), 422);
      assertFieldError(html, 'name', /required/);
      assertFieldError(html, 'currency', /currency/);
      assertFieldError(html, 'price', /amount|negative/);
      assert.equal(await countProductRows(t), 0);
    });

    test('submitted text is HTML-escaped when it comes back, never raw', async () => {
      const hostile = '<script>alert("x")</script> & "quotes"';
      const html = assertHtml(await submit('/catalog/products', productForm({ name: hostile, sku: 'bad sku', price: '1', currency: 'EUR' })), 422);
      assert.ok(!html.includes('<script>'), 'no raw <script> in the page');
      assert.ok(html.includes('&lt;script>') || html.includes('&lt;script&gt;'), 'the name is escaped');
      assert.equal(inputValue(html, 'name'), hostile, 'the decoded value is exactly what was typed');
      assertFieldError(html, 'sku', /letters, digits/);
    });

    test('a name with markup is escaped on the list page and in the notice', async () => {
      const hostile = '<img src=x onerror=alert(1)>';
      const location = assertRedirect(await submit('/catalog/products', productForm({ name: hostile, sku: 'XSS-1', price: '1', currency: 'EUR' })));
      const html = assertHtml(await page(location), 200);
      assert.ok(!html.includes('<img src=x'), 'no raw markup from the name or the notice (the top bar has its own logo <img>)');
      assert.ok(pageText(html).includes(`Created ${hostile}.`));
    });

    test('text the edge refuses (a NUL, over-long) comes back on the form next to its field, the rest kept, nothing written', async () => {
      const html = assertHtml(await submit('/catalog/products', productForm({ name: 'Ta\u0000pe', sku: 'x'.repeat(20_001), price: '4.50', currency: 'EUR' })), 422);
      assertFieldError(html, 'name', /NUL character/);
      assertFieldError(html, 'sku', /at most 20,000 characters/);
      assert.equal(inputValue(html, 'name'), 'Tape', 'the name is kept, without the NUL');
      assert.equal(inputValue(html, 'price'), '4.50');
      assert.equal(await countProductRows(t), 0);
    });

    test('a duplicate SKU through the form is 409 (the conflict) with the error on the SKU field', async () => {
      await createProductVia(t, 'tenant-a', { name: 'Original', sku: 'DUP-1' });
      const html = assertHtml(await submit('/catalog/products', productForm({ name: 'Copy', sku: 'dup-1', price: '2.00', currency: 'EUR' })), 409);
      assertFieldError(html, 'sku', /already exists/);
      assertNoFieldError(html, 'name');
      assert.equal(inputValue(html, 'name'), 'Copy');
      assert.equal(inputValue(html, 'sku'), 'dup-1');
      assert.equal(await countProductRows(t), 1);
    });
  });

  describe('edit, archive and restore', () => {
    let product: ProductBody;
    beforeEach(async () => {
      product = await createProductVia(t, 'tenant-a', { name: 'Masking tape', sku: 'TAPE-25', priceMinor: 450, currency: 'EUR' });
    });

    test('GET /catalog/products/:id/edit is pre-filled, price as 4.50', async () => {
      const html = assertHtml(await page(`/catalog/products/${product.id}/edit`), 200);
      assert.ok(hasTag(html, 'form', { method: 'post', action: `/catalog/products/${product.id}` }));
      assert.equal(inputValue(html, 'name'), 'Masking tape');
      assert.equal(inputValue(html, 'sku'), 'TAPE-25');
      assert.equal(inputValue(html, 'price'), '4.50');
      assert.equal(inputValue(html, 'currency'), 'EUR');
      assert.ok(activeChecked(html));
      assert.ok(hasTag(html, 'form', { method: 'post', action: `/catalog/products/${product.id}/archive` }), 'offers Archive');
    });

    test('POST /catalog/products/:id saves the changes and redirects 303', async () => {
      const location = assertRedirect(
        await submit(`/catalog/products/${product.id}`, productForm({ name: 'Wide tape', sku: 'TAPE-50', price: '5,25', currency: 'EUR', active: false })),
      );
      assert.equal(new URL(location, 'http://plinth.test').searchParams.get('notice'), 'Saved Wide tape.');
      const stored = (await api(t, 'tenant-a', 'GET', `/v1/catalog/products/${product.id}`)).json() as { data: ProductBody };
      assert.equal(stored.data.name, 'Wide tape');
      assert.equal(stored.data.sku, 'TAPE-50');
      assert.equal(stored.data.priceMinor, 525);
      assert.equal(stored.data.active, false);
    });

    test('an invalid edit is 422 with the errors and changes nothing', async () => {
      const html = assertHtml(await submit(`/catalog/products/${product.id}`, productForm({ name: 'Renamed', sku: 'TAPE-25', price: '4.505', currency: 'EUR' })), 422);
      assertFieldError(html, 'price', /amount/);
      assert.equal(inputValue(html, 'price'), '4.505');
      assert.ok(hasTag(html, 'form', { method: 'post', action: `/catalog/products/${product.id}` }), 'still the edit form');
      const stored = (await api(t, 'tenant-a', 'GET', `/v1/catalog/products/${product.id}`)).json() as { data: ProductBody };
      assert.deepEqual(stored.data, product);
    });

    test("an edit to another product's SKU is 409 on the SKU field", async () => {
      await createProductVia(t, 'tenant-a', { name: 'Other', sku: 'OTHER-1' });
      const html = assertHtml(await submit(`/catalog/products/${product.id}`, productForm({ name: 'Masking tape', sku: 'other-1', price: '4.50', currency: 'EUR' })), 409);
      assertFieldError(html, 'sku', /already exists/);
    });

    test('archive and restore buttons redirect 303 and flip the product', async () => {
      const archived = assertRedirect(await submit(`/catalog/products/${product.id}/archive`, {}));
      assert.equal(new URL(archived, 'http://plinth.test').searchParams.get('notice'), 'Archived Masking tape.');
      let row = await ownerQuery(t, 'SELECT archived_at FROM catalog_product WHERE id = $1', [product.id]);
      assert.notEqual(row.rows[0]?.archived_at, null);

      const html = assertHtml(await page(`/catalog/products/${product.id}/edit`), 200);
      assert.ok(hasTag(html, 'form', { method: 'post', action: `/catalog/products/${product.id}/restore` }), 'an archived product offers Restore');
      assert.ok(!pageText(assertHtml(await page('/catalog/products'), 200)).includes('TAPE-25'), 'archived products leave the default list');
      assert.ok(pageText(assertHtml(await page('/catalog/products?status=archived'), 200)).includes('TAPE-25'));

      const rejected = assertHtml(await submit(`/catalog/products/${product.id}`, productForm({ name: 'x', sku: 'TAPE-25', price: '1', currency: 'EUR' })), 409);
      assert.match(pageText(rejected), /archived/i, 'editing an archived product explains why it failed');

      const restored = assertRedirect(await submit(`/catalog/products/${product.id}/restore`, {}));
      assert.equal(new URL(restored, 'http://plinth.test').searchParams.get('notice'), 'Restored Masking tape.');
      row = await ownerQuery(t, 'SELECT archived_at, name FROM catalog_product WHERE id = $1', [product.id]);
      assert.deepEqual(row.rows[0], { archived_at: null, name: 'Masking tape' });
    });

    test("tenant B's cookie cannot open, edit or archive tenant A's product", async () => {
      assert.equal((await page(`/catalog/products/${product.id}/edit`, 'tenant-b')).statusCode, 404);
      assert.equal((await submit(`/catalog/products/${product.id}`, productForm({ name: 'x', sku: 'X-1', price: '1', currency: 'EUR' }), 'tenant-b')).statusCode, 404);
      assert.equal((await submit(`/catalog/products/${product.id}/archive`, {}, 'tenant-b')).statusCode, 404);
      assert.ok(!pageText(assertHtml(await page('/catalog/products', 'tenant-b'), 200)).includes('TAPE-25'));
      const stored = (await api(t, 'tenant-a', 'GET', `/v1/catalog/products/${product.id}`)).json() as { data: ProductBody };
      assert.deepEqual(stored.data, product);
    });
  });

  describe('without signing in', () => {
    for (const [method, url] of [
      ['GET', '/catalog/products'],
      ['GET', '/catalog/products?status=archived&q=tape'],
      ['GET', '/catalog/products/new'],
      ['POST', '/catalog/products'],
    ] as const) {
      test(`${method} ${url} sends the browser to sign in`, async () => {
        const response =
          method === 'GET'
            ? await t.app.inject({ method, url, headers: { accept: 'text/html' } })
            : await t.app.inject({ method, url, headers: { accept: 'text/html', 'content-type': FORM }, payload: encodeForm(productForm({ name: 'Nope', sku: 'NOPE-1', price: '1', currency: 'EUR' })) });
        const location = assertRedirect(response);
        assert.equal(location, `/sign-in?next=${encodeURIComponent(method === 'GET' ? url : '/')}`);
        assert.equal(await countProductRows(t), 0);
      });
    }

    test('a forged session cookie counts as not signed in', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/catalog/products', headers: { accept: 'text/html', cookie: 'plinth_session=forged' } });
      assert.equal(assertRedirect(response), `/sign-in?next=${encodeURIComponent('/catalog/products')}`);
    });
  });

  describe('CSRF', () => {
    test('a signed-in form post without the CSRF token is refused and writes nothing', async () => {
      const response = await submit('/catalog/products', productForm({ name: 'Forged', sku: 'CSRF-1', price: '1', currency: 'EUR' }), 'tenant-a', false);
      assert.equal(response.statusCode, 403, response.body);
      assert.equal(await countProductRows(t), 0);
    });

    test('a form post from another origin is refused even with a token', async () => {
      const browser = await t.browserFor('tenant-a');
      const response = await t.app.inject({
        method: 'POST',
        url: '/catalog/products',
        headers: { 'content-type': FORM, cookie: browser.cookie, origin: 'https://evil.example' },
        payload: encodeForm({ ...productForm({ name: 'Forged', sku: 'CSRF-2', price: '1', currency: 'EUR' }), _csrf: browser.csrfToken }),
      });
      assert.equal(response.statusCode, 403, response.body);
      assert.equal(await countProductRows(t), 0);
    });
  });
});
