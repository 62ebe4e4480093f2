import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { counted, DataTable, FilterBar, Pagination } from '../../src/web/list.tsx';

interface Fruit {
  id: string;
  name: string;
  priceMinor: number;
}
const fruit: Fruit[] = [
  { id: 'a', name: 'Apple', priceMinor: 120 },
  { id: 'b', name: 'Pear & quince', priceMinor: 95 },
];

describe('list page parts', () => {
  test('FilterBar: a GET search form with its fields, the Filter button and the optional main action', () => {
    const html = renderToString(
      <FilterBar action="/fruit" create={{ href: '/fruit/new', label: 'New fruit' }}>
        <input name="q" />
      </FilterBar>,
    );
    assert.equal(
      html,
      '<form class="toolbar" method="get" action="/fruit" role="search"><input name="q"/><div class="field"><button class="button secondary" type="submit">Filter</button></div><div class="field"><a class="button" href="/fruit/new">New fruit</a></div></form>',
    );
    assert.doesNotMatch(renderToString(<FilterBar action="/fruit">{null}</FilterBar>), /<a /);
  });

  test('DataTable: caption, column headers with scope, a row header, figures right-aligned, hidden columns left out', () => {
    const html = renderToString(
      <DataTable
        rows={fruit}
        rowKey={(row) => row.id}
        caption={counted(fruit.length, 'fruit', 'fruits')}
        empty="No fruit."
        columns={[
          { header: 'Name', rowHeader: true, cell: (row) => row.name },
          false,
          { header: 'Price', num: true, cell: (row) => String(row.priceMinor) },
        ]}
      />,
    );
    assert.equal(
      html,
      '<table class="data"><caption class="muted">2 fruits</caption><thead><tr><th scope="col">Name</th><th scope="col" class="num">Price</th></tr></thead>' +
        '<tbody><tr><th scope="row">Apple</th><td class="num">120</td></tr><tr><th scope="row">Pear &amp; quince</th><td class="num">95</td></tr></tbody></table>',
    );
    assert.equal(renderToString(<DataTable rows={[] as Fruit[]} rowKey={(row) => row.id} caption="" empty="No fruit." columns={[]} />), '<p class="muted">No fruit.</p>');
    assert.equal(counted(1, 'business', 'businesses'), '1 business');
  });

  test('Pagination: nothing for one page; Previous/Next keep the filters, leave out empty ones and escape values', () => {
    assert.equal(renderToString(<Pagination page={1} totalPages={1} path="/fruit" />), '');
    const middle = renderToString(<Pagination page={2} totalPages={3} path="/fruit" params={{ q: 'a&b', status: undefined, kind: '' }} />);
    assert.equal(
      middle,
      '<nav class="pagination" aria-label="Pages"><a href="/fruit?page=1&amp;q=a%26b">Previous</a><span>Page 2 of 3</span><a href="/fruit?page=3&amp;q=a%26b">Next</a></nav>',
    );
    assert.doesNotMatch(renderToString(<Pagination page={1} totalPages={3} path="/fruit" />), /Previous/);
    assert.doesNotMatch(renderToString(<Pagination page={3} totalPages={3} path="/fruit" />), /Next/);
  });
});
