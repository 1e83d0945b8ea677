import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

describe(`sign-in (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp({ SIGN_IN_MAX_FAILURES: '3' });
    organisationId = (await t.organisation('Sign-in Org')).id;
  });
  after(() => t.close());

  test('a wrong password shows the error summary, writes an audit row and starts no session', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    const response = await browser.submit('/sign-in', '/sign-in', { email: user.email, password: 'not the password' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /Enter a correct email address and password/);
    assert.equal(browser.cookies.has('tg_session'), false);
    assert.equal(await t.sessionCount(user.id), 0);
    const events = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('subject_id', '=', user.id)
      .where('action', '=', 'auth.sign-in-failed')
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0].detail.reason, 'wrong password');
  });

  test('an unknown email gets the same words as a wrong password', async () => {
    const response = await t.browser().submit('/sign-in', '/sign-in', { email: 'nobody@example.org', password: 'whatever it is' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Enter a correct email address and password/);
  });

  test('empty fields are each named in the error summary', async () => {
    const response = await t.browser().submit('/sign-in', '/sign-in', { email: '', password: '' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#email">Enter your email address/);
    assert.match(response.body, /href="#password">Enter your password/);
  });

  test('the right password signs a practitioner straight in, with a new session id', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    const response = await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/');
    const home = await browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Sign-in Org/);
    assert.equal(await t.sessionCount(user.id), 1);
  });

  test('signing in rotates the session id: a planted cookie, even a live one, is never adopted (session fixation)', async () => {
    // The attacker signs in with their own account and plants that live session id in the victim's browser.
    const attacker = await t.signedIn(organisationId, 'practitioner');
    const planted = attacker.browser.cookies.get('tg_session')!;
    const victim = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    const csrf = await browser.csrfFrom('/sign-in');
    browser.cookies.set('tg_session', planted);
    const response = await browser.request({ method: 'POST', url: '/sign-in', form: { _csrf: csrf, email: victim.email, password: TEST_PASSWORD } });
    assert.equal(response.statusCode, 302);
    const issued = browser.cookies.get('tg_session');
    assert.ok(issued, 'a session cookie was set');
    assert.notEqual(issued, planted, 'the session id changed at sign-in');
    assert.equal(await t.sessionCount(victim.id), 1);

    // The planted id still belongs to the attacker alone: it did not become the victim's session.
    const attackerHome = await attacker.browser.get('/');
    assert.equal(attackerHome.statusCode, 200);
    const victimName = (await t.deps.db.selectFrom('app_user').select('display_name').where('id', '=', victim.id).executeTakeFirstOrThrow()).display_name;
    assert.doesNotMatch(attackerHome.body, new RegExp(victimName));
    const victimHome = await browser.get('/');
    assert.match(victimHome.body, new RegExp(victimName));
  });

  test('repeated failures lock the account, and then even the right password is refused', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await browser.submit('/sign-in', '/sign-in', { email: user.email, password: 'wrong wrong wrong' });
    }
    const locked = await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    assert.equal(locked.statusCode, 400);
    assert.match(locked.body, /Your account is locked/);
    assert.equal(await t.sessionCount(user.id), 0);
    const lock = await t.deps.db.selectFrom('audit_event').select('action').where('subject_id', '=', user.id).where('action', '=', 'auth.account-locked').execute();
    assert.equal(lock.length, 1);
  });

  test('a sign-in rate limit answers 429 once exceeded', async () => {
    const limited = await createTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const browser = limited.browser();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        statuses.push((await browser.submit('/sign-in', '/sign-in', { email: 'a@example.org', password: 'x' })).statusCode);
      }
      assert.deepEqual(statuses, [400, 400, 429]);
    } finally {
      await limited.close();
    }
  });

  test('a form with no CSRF token, or a forged one, is refused with 403', async () => {
    const browser = t.browser();
    await browser.get('/sign-in');
    const missing = await browser.request({ method: 'POST', url: '/sign-in', form: { email: 'a@example.org', password: 'x' } });
    assert.equal(missing.statusCode, 403);
    const forged = await browser.request({ method: 'POST', url: '/sign-in', form: { _csrf: 'forged', email: 'a@example.org', password: 'x' } });
    assert.equal(forged.statusCode, 403);
    const otherBrowser = t.browser();
    const stolenToken = await otherBrowser.csrfFrom('/sign-in');
    const crossed = await browser.request({ method: 'POST', url: '/sign-in', form: { _csrf: stolenToken, email: 'a@example.org', password: 'x' } });
    assert.equal(crossed.statusCode, 403, 'a token is bound to its own cookie');
  });

  test('an oversized form body is refused with 413', async () => {
    const browser = t.browser();
    const csrf = await browser.csrfFrom('/sign-in');
    const response = await browser.request({
      method: 'POST',
      url: '/sign-in',
      form: { _csrf: csrf, email: 'a@example.org', password: 'x'.repeat(t.config.bodyLimitBytes + 10) },
    });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /too large/);
  });

  test('signing out ends the session in the database', async () => {
    const { browser, userId } = await t.signedIn(organisationId, 'practitioner');
    assert.equal(await t.sessionCount(userId), 1);
    const response = await browser.submit('/', '/sign-out', {});
    assert.equal(response.statusCode, 302);
    assert.equal(await t.sessionCount(userId), 0);
    assert.equal((await browser.get('/')).statusCode, 302);
  });

  test('an idle session times out', async () => {
    const { browser, userId } = await t.signedIn(organisationId, 'practitioner');
    await sql`update user_session set last_seen_at = now() - interval '31 minutes' where user_id = ${userId}`.execute(t.deps.db);
    const response = await browser.get('/');
    assert.equal(response.statusCode, 302);
    assert.match(response.headers.location as string, /^\/sign-in/);
  });

  test('a session ends at its absolute lifetime even while it is in use', async () => {
    const { browser, userId } = await t.signedIn(organisationId, 'practitioner');
    assert.equal((await browser.get('/')).statusCode, 200);
    // Active a moment ago, but started longer ago than SESSION_ABSOLUTE_HOURS allows.
    await sql`update user_session set expires_at = now() - interval '1 second', last_seen_at = now() where user_id = ${userId}`.execute(t.deps.db);
    const response = await browser.get('/');
    assert.equal(response.statusCode, 302);
    assert.match(response.headers.location as string, /^\/sign-in/);
  });
});
