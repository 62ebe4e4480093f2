import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { BarChart } from '../../../../src/modules/reports/pages/chart.tsx';

describe('BarChart', () => {
  test('a label too long for its column ends in an ellipsis and keeps its whole text as the title', () => {
    const html = renderToString(h(BarChart, { bars: [{ label: 'Storm lantern (LN-STORM-1)', value: 4900, text: '€49.00' }], summary: 'Net takings' }));
    assert.match(html, /<title>Storm lantern \(LN-STORM-1\)<\/title>Storm lantern \(LN-STO…<\/text>/);
  });

  test('a short label is drawn whole', () => {
    const html = renderToString(h(BarChart, { bars: [{ label: 'Hammer', value: 100, text: '€1.00' }], summary: 'Net takings' }));
    assert.match(html, /<title>Hammer<\/title>Hammer<\/text>/);
  });
});
