import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { buildIslands, defineIsland, Island, islandScriptUrl, scriptSafeJson, useIslands } from '../../src/web/islands/index.ts';

// Fixture islands live inside the repository so esbuild resolves preact from its node_modules.
const REPO = fileURLToPath(new URL('../../', import.meta.url));
let folder: string;

const island = (text: string) => `import { h, hydrate } from 'preact';
export function Hello() { return h('b', null, ${JSON.stringify(text)}); }
hydrate(h(Hello, null), document.body);
`;

before(async () => {
  folder = await mkdtemp(path.join(REPO, 'tests', 'web', '.islands-'));
});

after(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('island bundles', () => {
  test('names carry a content hash that changes with the source, and only then', async () => {
    const file = path.join(folder, 'hello.client.ts');
    await writeFile(file, island('one'));
    const first = await buildIslands([defineIsland('hello', new URL(`file://${file}`))]);
    const again = await buildIslands([defineIsland('hello', new URL(`file://${file}`))]);
    await writeFile(file, island('two'));
    const changed = await buildIslands([defineIsland('hello', new URL(`file://${file}`))]);

    const name = first.entries.get('hello');
    assert.match(name ?? '', /^hello\.[A-Z0-9]{8}\.js$/);
    assert.equal(again.entries.get('hello'), name, 'same source, same name');
    assert.notEqual(changed.entries.get('hello'), name, 'new source, new name');
    assert.notEqual(changed.version, first.version);
    const code = Buffer.from(first.assets.get(name as string)?.contents ?? []).toString('utf8');
    assert.match(code, /one/);
    assert.ok(!code.includes('\n  '), 'minified');
  });

  test('module islands share chunks; a classic entry is one self-contained script', async () => {
    const a = path.join(folder, 'a.client.ts');
    const b = path.join(folder, 'b.client.ts');
    await writeFile(a, island('a'));
    await writeFile(b, island('b'));
    const build = await buildIslands([
      defineIsland('a', new URL(`file://${a}`)),
      defineIsland('b', new URL(`file://${b}`)),
      defineIsland('worker', new URL(`file://${a}`), 'classic'),
    ]);
    const chunks = [...build.assets.keys()].filter((file) => file.startsWith('chunk.'));
    assert.equal(chunks.length, 1, 'preact lands in one shared chunk');
    const entryCode = (name: string) => Buffer.from(build.assets.get(build.entries.get(name) as string)?.contents ?? []).toString('utf8');
    assert.match(entryCode('a'), /import/);
    assert.doesNotMatch(entryCode('worker'), /\bimport\s*[{*"']/, 'no imports in a classic script');
  });

  test('refuses bad and duplicate names', async () => {
    await assert.rejects(buildIslands([{ name: 'Bad Name', file: path.join(folder, 'x.ts') }]), /lower-case/);
    await assert.rejects(buildIslands([{ name: 'x', file: path.join(folder, 'x.ts') }, { name: 'x', file: path.join(folder, 'x.ts') }]), /two islands/);
  });
});

describe('serving island bundles', () => {
  test('under /assets/islands/<name>.<hash>.js as immutable JavaScript; anything else 404', async () => {
    const file = path.join(folder, 'served.client.ts');
    await writeFile(file, island('served'));
    const app = Fastify();
    useIslands(app, [defineIsland('served', new URL(`file://${file}`))]);
    assert.throws(() => useIslands(app, [defineIsland('served', new URL(`file://${file}`))]), /declared twice/);
    await app.ready();
    try {
      const url = await islandScriptUrl(app, 'served');
      assert.match(url, /^\/assets\/islands\/served\.[A-Z0-9]{8}\.js$/);
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(response.body, /served/);
      for (const missing of ['/assets/islands/served.AAAAAAAA.js', '/assets/islands/nothing.js', '/assets/islands/..%2Fpackage.json']) {
        assert.equal((await app.inject({ method: 'GET', url: missing })).statusCode, 404, missing);
      }
      await assert.rejects(islandScriptUrl(app, 'unknown'), /unknown island/);
    } finally {
      await app.close();
    }
  });

  test('islands cannot be declared after the first build', async () => {
    const file = path.join(folder, 'late.client.ts');
    await writeFile(file, island('late'));
    const app = Fastify();
    useIslands(app, [defineIsland('early', new URL(`file://${file}`))]);
    await islandScriptUrl(app, 'early');
    assert.throws(() => useIslands(app, [defineIsland('late', new URL(`file://${file}`))]), /before the first build/);
    await app.close();
  });
});

describe('server-rendered islands', () => {
  test('render the component and carry props as inert, script-safe JSON', () => {
    const props = { text: '</script><script>alert(1)</script>', line: 'a\u2028b' };
    const Text = ({ text }: { text: string; line: string }) => h('p', null, text);
    const html = renderToString(Island({ name: 'demo', component: Text, props }));
    assert.match(html, /^<div data-island="demo"><script type="application\/json" data-island-props>/);
    assert.ok(!html.includes('</script><script>'), 'a prop cannot close the JSON script');
    assert.match(html, /<p>&lt;\/script>&lt;script>alert\(1\)&lt;\/script><\/p>/);
    const json = /<script type="application\/json" data-island-props>(.*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.deepEqual(JSON.parse(json), props);
    assert.equal(scriptSafeJson('<!--'), '"\\u003c!--"');
  });
});
