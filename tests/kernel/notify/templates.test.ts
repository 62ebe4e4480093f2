import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeHtml, html } from '../../../src/kernel/notify/index.ts';
import { smsKeyword } from '../../../src/kernel/notify/domain/keywords.ts';

describe('templates and keywords', () => {
  test('html escapes interpolated data but keeps nested fragments', () => {
    const name = '<script>alert("x")</script> & co';
    assert.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>');
    assert.equal(html`<div>${html`<b>${"O'Hara"}</b>`}</div>`.value, '<div><b>O&#39;Hara</b></div>');
    assert.equal(escapeHtml('"a" <b>'), '&quot;a&quot; &lt;b&gt;');
  });

  test('stop and start keywords are read trimmed and in any case, and only whole', () => {
    for (const body of ['STOP', ' stop ', 'StopAll', 'unsubscribe', 'Cancel\n', 'end', 'QUIT']) assert.equal(smsKeyword(body).kind, 'stop', body);
    for (const body of ['START', ' unstop']) assert.equal(smsKeyword(body).kind, 'start', body);
    for (const body of ['please stop', 'STOP IT', 'stopp', '']) assert.equal(smsKeyword(body).kind, 'other', body);
  });
});
