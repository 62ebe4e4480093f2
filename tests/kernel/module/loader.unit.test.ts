import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { defineEventHandler, defineEvents } from '../../../src/kernel/jobs/index.ts';
import {
  declaredEvents,
  declaredPermissions,
  defineEdition,
  defineModule,
  ModuleGraphError,
  resolveModules,
  selectEditions,
} from '../../../src/kernel/module/index.ts';
import type { EditionDefinition, ModuleManifest } from '../../../src/kernel/module/index.ts';

const mod = (id: string, dependsOn: string[] = []): ModuleManifest => ({ id, dependsOn, permissions: [] });
const edition = (id: string, modules: ModuleManifest[]): EditionDefinition => ({ id, title: id, modules, roleTemplates: [] });
const ids = (modules: readonly { id: string }[]) => modules.map((module) => module.id);

/** Asserts that `run` throws a ModuleGraphError whose message matches every pattern. */
function assertGraphError(run: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ModuleGraphError, `expected a ModuleGraphError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe('resolveModules', () => {
  test('puts every dependency before the modules that need it', () => {
    const ordered = ids(resolveModules([edition('e', [mod('sales', ['stock', 'catalog']), mod('stock', ['catalog']), mod('catalog')])]));
    assert.deepEqual(ordered, ['catalog', 'stock', 'sales']);
  });

  test('fails when a dependency is in no selected edition, naming both modules', () => {
    assertGraphError(() => resolveModules([edition('e', [mod('sales', ['ghost'])])]), /\bsales\b/, /\bghost\b/);
  });

  test('fails on a cycle, naming the modules in it', () => {
    assertGraphError(
      () => resolveModules([edition('e', [mod('a', ['b']), mod('b', ['c']), mod('c', ['a'])])]),
      /cycle/,
      /a → b → c → a/,
    );
  });

  test('lists a module used by two editions once', () => {
    const catalog = mod('catalog');
    const ordered = resolveModules([edition('shop', [catalog]), edition('cafe', [catalog, mod('orders', ['catalog'])])]);
    assert.deepEqual(ids(ordered), ['catalog', 'orders']);
    assert.equal(ordered[0], catalog);
  });

  test('refuses two different modules with the same id', () => {
    assertGraphError(() => resolveModules([edition('shop', [mod('catalog')]), edition('cafe', [mod('catalog')])]), /"catalog"/);
  });
});

describe('selectEditions', () => {
  const all = [edition('retail', []), edition('cafe', []), edition('kitchen', [])];

  test('no selection means every edition', () => {
    assert.deepEqual(ids(selectEditions(all, undefined)), ['retail', 'cafe', 'kitchen']);
  });

  test('returns the named editions in the order named', () => {
    assert.deepEqual(ids(selectEditions(all, ['kitchen', 'retail'])), ['kitchen', 'retail']);
  });

  test('rejects an unknown edition, naming PLINTH_EDITIONS, the unknown name and the known ones', () => {
    assertGraphError(() => selectEditions(all, ['retail', 'bakery']), /PLINTH_EDITIONS/, /\bbakery\b/, /retail, cafe, kitchen/);
  });
});

describe('declaredPermissions', () => {
  test('collects every module’s permission keys', () => {
    const catalog = defineModule({ id: 'catalog', permissions: [{ key: 'catalog.product.read', description: 'read' }] });
    const stock = defineModule({ id: 'stock', permissions: [{ key: 'stock.level.write', description: 'write' }] });
    assert.deepEqual([...declaredPermissions([catalog, stock])].sort(), ['catalog.product.read', 'stock.level.write']);
  });

  test('rejects a permission declared twice, naming it', () => {
    const twice: ModuleManifest = {
      id: 'catalog',
      permissions: [
        { key: 'catalog.product.read', description: 'read' },
        { key: 'catalog.product.read', description: 'read again' },
      ],
    };
    assertGraphError(() => declaredPermissions([twice]), /catalog\.product\.read/, /twice/);
  });
});

describe('defineModule and defineEdition', () => {
  test('defineModule rejects a permission not prefixed with the module id', () => {
    for (const key of ['stock.level.read', 'catalogue.product.read', 'catalog']) {
      assert.throws(
        () => defineModule({ id: 'catalog', permissions: [{ key, description: 'x' }] }),
        (error: unknown) => error instanceof Error && error.message.includes(key) && error.message.includes('"catalog."'),
        key,
      );
    }
  });

  test('defineModule accepts platform.<module id>.… keys (platform staff permissions), not another module’s', () => {
    const manifest = defineModule({
      id: 'support',
      permissions: [
        { key: 'support.ticket.read', description: 'x' },
        { key: 'platform.support.read', description: 'x' },
      ],
    });
    assert.deepEqual(
      manifest.permissions.map((permission) => permission.key),
      ['support.ticket.read', 'platform.support.read'],
    );
    for (const key of ['platform.tenant.approve', 'platform.supportx.read', 'platform.support', 'platform.']) {
      assert.throws(
        () => defineModule({ id: 'support', permissions: [{ key, description: 'x' }] }),
        (error: unknown) => error instanceof Error && error.message.includes(key) && error.message.includes('"platform.support."'),
        key,
      );
    }
  });

  test('defineModule rejects an id that is not lower-case letters and digits', () => {
    for (const id of ['Catalog', 'my-module', '1st', '']) {
      assert.throws(() => defineModule({ id, permissions: [] }), /lower-case letters and digits/, id);
    }
  });

  test('definitions come back unchanged', () => {
    const manifest = { id: 'catalog', permissions: [{ key: 'catalog.product.read', description: 'read' }] };
    assert.equal(defineModule(manifest), manifest);
    const definition = { id: 'retail', title: 'Retail', modules: [manifest], roleTemplates: [] };
    assert.equal(defineEdition(definition), definition);
  });
});

describe('declaredEvents', () => {
  const sold = defineEvents({ 'pos.sale.completed': z.object({ saleId: z.string() }) });
  const reportsOf = (id: string) =>
    defineModule({ id, permissions: [], eventHandlers: [defineEventHandler({ name: 'facts', events: ['pos.sale.completed'], handle: async () => undefined })] });

  test("answers every declared event's schema when each handled event has its emitter", () => {
    const events = declaredEvents([{ ...mod('pos'), emits: sold }, reportsOf('reports')]);
    assert.deepEqual(Object.keys(events), ['pos.sale.completed']);
    assert.equal(events['pos.sale.completed'], sold['pos.sale.completed']);
  });

  test('fails start-up when a module handles an event no registered module emits', () => {
    assertGraphError(() => declaredEvents([mod('pos'), reportsOf('reports')]), /Module reports handles pos\.sale\.completed \(handler facts\), which no registered module emits/);
  });

  test('fails start-up when two modules declare the same event', () => {
    assertGraphError(() => declaredEvents([{ ...mod('pos'), emits: sold }, { ...mod('till'), emits: sold }]), /pos\.sale\.completed is declared by both pos and till/);
  });

  test("refuses a manifest declaring an event outside its own name, and an event type that is no module.thing.happened", () => {
    assert.throws(() => defineModule({ id: 'reports', permissions: [], emits: sold }), /Module reports declares it emits pos\.sale\.completed, which must start with "reports\."/);
    assert.throws(() => defineEvents({ 'pos.Sale': z.object({}) }), /must look like module\.thing\.happened/);
  });
});
