import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appBaseUrl, appLink, passwordChangedMail, passwordResetMail, verifyEmailMail } from '../../../src/kernel/auth/domain/account-mail.ts';

const data = { displayName: 'Ada <script>alert(1)</script> & co', link: 'https://plinth.test/reset-password/abc_DEF-123?x=1&y=2', validForMinutes: 60 };

describe('auth emails', () => {
  test('HTML bodies escape the person\'s name and keep the link whole', () => {
    for (const template of [passwordResetMail, verifyEmailMail]) {
      const html = template.email?.html(data, {}).value ?? '';
      assert.doesNotMatch(html, /<script>/, template.id);
      assert.match(html, /Ada &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; co/, template.id);
      assert.match(html, /href="https:\/\/plinth\.test\/reset-password\/abc_DEF-123\?x=1&amp;y=2"/, template.id);
      assert.ok(template.email?.text(data, {}).includes(data.link), template.id);
    }
    const changed = passwordChangedMail.email?.html({ displayName: '<b>x</b>', resetLink: 'https://plinth.test/forgot-password' }, {}).value ?? '';
    assert.match(changed, /&lt;b&gt;x&lt;\/b&gt;/);
  });

  test('links use PUBLIC_URL when set, else where the server listens', () => {
    assert.equal(appBaseUrl({ publicUrl: undefined, host: '127.0.0.1', port: 3000 }), 'http://127.0.0.1:3000');
    assert.equal(appLink({ publicUrl: 'https://shop.example/', host: '0.0.0.0', port: 8080 }, '/reset-password/t0k'), 'https://shop.example/reset-password/t0k');
  });

  test('the templates take only http(s) links', () => {
    for (const link of ['javascript:alert(1)', 'data:text/html,hi', 'not a url'])
      for (const template of [passwordResetMail, verifyEmailMail]) assert.equal(template.data.safeParse({ ...data, link }).success, false, `${template.id} ${link}`);
    assert.equal(passwordChangedMail.data.safeParse({ displayName: 'x', resetLink: 'javascript:alert(1)' }).success, false);
  });
});
