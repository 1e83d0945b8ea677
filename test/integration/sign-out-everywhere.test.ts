import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`sign out everywhere (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Everywhere Org')).id;
  });
  after(() => t.close());

  async function signedInBrowser(email: string): Promise<Browser> {
    const browser = t.browser();
    const response = await browser.submit('/sign-in', '/sign-in', { email, password: TEST_PASSWORD });
    assert.equal(response.headers.location, '/');
    return browser;
  }

  test('asks first, then ends every session of the user on every browser, and audits it', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const laptop = await signedInBrowser(user.email);
    const phone = await signedInBrowser(user.email);
    const colleague = await t.signedIn(organisationId, 'practitioner');
    assert.equal(await t.sessionCount(user.id), 2);
    assert.equal((await laptop.get('/')).statusCode, 200);
    assert.equal((await phone.get('/')).statusCode, 200);

    const confirm = await laptop.get('/account/sign-out-everywhere');
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Sign out of Throughgate on every device\?/);
    assert.match(confirm.body, /<form method="post" action="\/account\/sign-out-everywhere">/);
    assert.match(confirm.body, /href="\/account">Cancel</);
    assert.equal(await t.sessionCount(user.id), 2, 'viewing the question ends nothing');

    const response = await laptop.submit('/account/sign-out-everywhere', '/account/sign-out-everywhere', {});
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in?signedOut=everywhere');
    assert.equal(laptop.cookies.has('tg_session'), false, 'the cookie is cleared on this browser');
    assert.equal(await t.sessionCount(user.id), 0);

    for (const browser of [laptop, phone]) {
      const home = await browser.get('/');
      assert.equal(home.statusCode, 302);
      assert.match(home.headers.location as string, /^\/sign-in/);
    }
    assert.equal((await colleague.browser.get('/')).statusCode, 200, "another user's session is untouched");
    assert.equal(await t.sessionCount(colleague.userId), 1);

    const events = await t.deps.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'detail'])
      .where('subject_id', '=', user.id)
      .where('action', '=', 'auth.sign-out-everywhere')
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0].actor_user_id, user.id);
    assert.equal(events[0].detail.sessionsEnded, 2);

    const page = await laptop.get('/sign-in?signedOut=everywhere');
    assert.match(page.body, /You have signed out on every device/);
  });

  test('is only offered to someone signed in', async () => {
    const page = await t.browser().get('/account/sign-out-everywhere');
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, `/sign-in?returnTo=${encodeURIComponent('/account/sign-out-everywhere')}`);
    const anonymous = t.browser();
    const post = await anonymous.submit('/sign-in', '/account/sign-out-everywhere', {});
    assert.equal(post.statusCode, 302);
    assert.equal(post.headers.location, '/sign-in');
  });
});
