import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { timeStep, totpAt } from '../../src/platform/auth/totp.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

function secretFrom(html: string): string {
  const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(html)?.[1]?.replace(/ /g, '');
  assert.ok(secret, 'the setup page shows the key');
  return secret;
}

/** A six-digit code that is valid for none of the steps verifyTotp would accept now. */
function wrongCode(secret: string): string {
  const now = timeStep(new Date());
  const valid = new Set([now - 1, now, now + 1, now + 2].map((step) => totpAt(secret, step)));
  for (const candidate of ['000000', '111111', '123456', '999999']) if (!valid.has(candidate)) return candidate;
  throw new Error('unreachable');
}

describe(`two-factor authentication (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Two-factor Org')).id;
  });
  after(() => t.close());

  async function auditActions(userId: string, action: string): Promise<number> {
    const rows = await t.deps.db.selectFrom('audit_event').select('id').where('subject_id', '=', userId).where('action', '=', action).execute();
    return rows.length;
  }

  async function userRow(userId: string) {
    return t.deps.db
      .selectFrom('app_user')
      .select(['totp_enabled_at', 'totp_secret_encrypted', 'totp_last_step'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
  }

  async function signInWithPassword(browser: Browser, email: string) {
    return browser.submit('/sign-in', '/sign-in', { email, password: TEST_PASSWORD });
  }

  describe('an organisation administrator', () => {
    let admin: { id: string; email: string };
    let secret: string;
    let setupStep: number;

    before(async () => {
      admin = await t.user(organisationId, 'organisation_admin');
    });

    test('is sent to set up two-factor at first sign-in, and cannot reach anything else until it is done', async () => {
      const browser = t.browser();
      const response = await signInWithPassword(browser, admin.email);
      assert.equal(response.statusCode, 302);
      assert.equal(response.headers.location, '/account/two-factor/setup');
      for (const url of ['/', '/account', '/account/sign-out-everywhere']) {
        const blocked = await browser.get(url);
        assert.equal(blocked.statusCode, 302, url);
        assert.equal(blocked.headers.location, '/account/two-factor/setup', url);
      }
      assert.equal(await auditActions(admin.id, 'auth.sign-in'), 0, 'not signed in yet, only the password was accepted');
      assert.equal(await auditActions(admin.id, 'auth.password-accepted'), 1);

      const setup = await browser.get('/account/two-factor/setup');
      assert.equal(setup.statusCode, 200);
      assert.match(setup.body, /Your role needs a second check at sign-in/);
      assert.match(setup.body, /<svg/);
      secret = secretFrom(setup.body);
      assert.equal((await userRow(admin.id)).totp_enabled_at, null, 'not on until a code confirms it');

      const again = await browser.get('/account/two-factor/setup');
      assert.equal(secretFrom(again.body), secret, 'reloading the page keeps the same key');

      const wrong = await browser.submit('/account/two-factor/setup', '/account/two-factor/setup', { code: wrongCode(secret) });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /govuk-error-summary/);
      assert.match(wrong.body, /href="#code">Enter the 6-digit code shown in your authenticator app/);
      assert.equal(secretFrom(wrong.body), secret, 'the same key is shown again');
      assert.equal((await userRow(admin.id)).totp_enabled_at, null);
      assert.equal((await browser.get('/')).statusCode, 302);

      setupStep = timeStep(new Date());
      const right = await browser.submit('/account/two-factor/setup', '/account/two-factor/setup', { code: totpAt(secret, setupStep) });
      assert.equal(right.statusCode, 302);
      assert.equal(right.headers.location, '/account?done=two-factor');
      const row = await userRow(admin.id);
      assert.ok(row.totp_enabled_at instanceof Date);
      assert.equal(row.totp_last_step, setupStep);
      assert.notEqual(row.totp_secret_encrypted, null);
      assert.ok(!row.totp_secret_encrypted!.includes(secret), 'the key is stored encrypted');
      assert.equal(await auditActions(admin.id, 'auth.two-factor-enabled'), 1);

      const account = await browser.get('/account?done=two-factor');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /Two-factor authentication is now on/);
      assert.equal((await browser.get('/')).statusCode, 200);
    });

    test('signs in next time with a code, refusing a wrong one and the code used at set-up', async () => {
      assert.ok(secret, 'runs after the set-up test');
      const browser = t.browser();
      const response = await signInWithPassword(browser, admin.email);
      assert.equal(response.statusCode, 302);
      assert.equal(response.headers.location, '/sign-in/two-factor?returnTo=%2F');
      const blocked = await browser.get('/');
      assert.equal(blocked.statusCode, 302);
      assert.equal(blocked.headers.location, '/sign-in/two-factor');
      const setupBlocked = await browser.get('/account/two-factor/setup');
      assert.equal(setupBlocked.headers.location, '/sign-in/two-factor', 'an enrolled account cannot start set-up again');

      const failuresBefore = await auditActions(admin.id, 'auth.second-factor-failed');
      const wrong = await browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: wrongCode(secret), returnTo: '/' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /govuk-error-summary/);
      assert.match(wrong.body, /Enter the 6-digit code shown in your authenticator app/);
      assert.equal(await auditActions(admin.id, 'auth.second-factor-failed'), failuresBefore + 1);
      assert.equal((await browser.get('/')).statusCode, 302, 'still not signed in');

      const replayedSetupCode = await browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: totpAt(secret, setupStep), returnTo: '/' });
      assert.equal(replayedSetupCode.statusCode, 400, 'the code already used at set-up is refused');
      assert.equal(await auditActions(admin.id, 'auth.second-factor-failed'), failuresBefore + 2);

      const signInsBefore = await auditActions(admin.id, 'auth.sign-in');
      const code = totpAt(secret, timeStep(new Date()) + 1);
      const right = await browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code, returnTo: '/' });
      assert.equal(right.statusCode, 302);
      assert.equal(right.headers.location, '/');
      const home = await browser.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Two-factor Org/);
      assert.equal(await auditActions(admin.id, 'auth.sign-in'), signInsBefore + 1);

      // The same code, in a new sign-in, within its 90 seconds of validity: refused.
      const other = t.browser();
      await signInWithPassword(other, admin.email);
      const replay = await other.submit('/sign-in/two-factor', '/sign-in/two-factor', { code, returnTo: '/' });
      assert.equal(replay.statusCode, 400);
      assert.match(replay.body, /Enter the 6-digit code/);
      assert.equal((await other.get('/')).statusCode, 302);
      assert.equal(await auditActions(admin.id, 'auth.second-factor-failed'), failuresBefore + 3);
    });

    test('may not turn two-factor off', async () => {
      const { browser, userId } = await t.signedIn(organisationId, 'organisation_admin');
      const before = await userRow(userId);
      assert.ok(before.totp_enabled_at instanceof Date);
      const response = await browser.submit('/account/two-factor/disable', '/account/two-factor/disable', {});
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /Your role must use two-factor authentication/);
      const after = await userRow(userId);
      assert.deepEqual(after.totp_enabled_at, before.totp_enabled_at);
      assert.equal(after.totp_secret_encrypted, before.totp_secret_encrypted);
      assert.equal(await auditActions(userId, 'auth.two-factor-disabled'), 0);
    });
  });

  test('wrong codes count towards the lockout, which a fresh password sign-in does not reset', async () => {
    const { userId, email, browser: enrolled } = await t.signedIn(organisationId, 'manager');
    const secret = enrolled.totpSecret!;
    const attacker = t.browser();
    // Five failures lock (the default limit); signing in again with the password between guesses must not forgive them.
    for (let guess = 0; guess < 4; guess += 1) {
      if (guess % 2 === 0) await signInWithPassword(attacker, email);
      const wrong = await attacker.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: wrongCode(secret), returnTo: '/' });
      assert.equal(wrong.statusCode, 400);
    }
    const fifth = await attacker.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: wrongCode(secret), returnTo: '/' });
    assert.equal(fifth.statusCode, 302);
    assert.equal(fifth.headers.location, '/sign-in?locked=1');
    assert.equal(await auditActions(userId, 'auth.account-locked'), 1);
    const row = await t.deps.db.selectFrom('app_user').select('locked_until').where('id', '=', userId).executeTakeFirstOrThrow();
    assert.ok(row.locked_until && row.locked_until > new Date());
    const sessions = await t.deps.db.selectFrom('user_session').select('id').where('user_id', '=', userId).execute();
    assert.equal(sessions.length, 0, 'locking ends every session of the account');
    // Even the right password and code are refused while locked.
    const locked = await signInWithPassword(t.browser(), email);
    assert.equal(locked.statusCode, 400);
    assert.match(locked.body, /Your account is locked/);
  });

  test('the account page offers no way to turn off a required second factor', async () => {
    const { browser } = await t.signedIn(organisationId, 'organisation_admin');
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /required for your role/);
    assert.doesNotMatch(page.body, /href="\/account\/two-factor\/disable"/);
    const practitioner = await t.signedIn(organisationId, 'practitioner');
    const practitionerPage = await practitioner.browser.get('/account');
    assert.match(practitionerPage.body, /href="\/account\/two-factor\/setup"/);
  });

  test('a session waiting for its code cannot replace the enrolled key to skip the check', async () => {
    const { userId, email, browser: first } = await t.signedIn(organisationId, 'manager');
    assert.ok(first.totpSecret);
    const enrolled = await userRow(userId);
    assert.ok(enrolled.totp_enabled_at instanceof Date);

    // Someone with the password only.
    const attacker = t.browser();
    const response = await signInWithPassword(attacker, email);
    assert.equal(response.headers.location, '/sign-in/two-factor?returnTo=%2F');
    const csrf = await attacker.csrfFrom('/sign-in/two-factor');
    const post = await attacker.request({ method: 'POST', url: '/account/two-factor/setup', form: { _csrf: csrf, code: '000000' } });
    assert.equal(post.statusCode, 302);
    assert.equal(post.headers.location, '/sign-in/two-factor');
    assert.doesNotMatch(post.body, /id="totp-secret"/, 'no new key is handed out');
    const after = await userRow(userId);
    assert.deepEqual(after.totp_enabled_at, enrolled.totp_enabled_at, 'two-factor stays on');
    assert.equal(after.totp_secret_encrypted, enrolled.totp_secret_encrypted, 'the enrolled key is unchanged');
    assert.equal((await attacker.get('/')).statusCode, 302, 'still waiting for the code');
  });

  test('a signed-in user who has two-factor on cannot reset the key by posting the set-up form', async () => {
    const { userId, browser } = await t.signedIn(organisationId, 'manager');
    const enrolled = await userRow(userId);
    const csrf = await browser.csrfFrom('/account');
    const post = await browser.request({ method: 'POST', url: '/account/two-factor/setup', form: { _csrf: csrf, code: '000000' } });
    assert.equal(post.statusCode, 302);
    assert.equal(post.headers.location, '/account');
    const after = await userRow(userId);
    assert.deepEqual(after.totp_enabled_at, enrolled.totp_enabled_at);
    assert.equal(after.totp_secret_encrypted, enrolled.totp_secret_encrypted);
  });

  test('a practitioner may turn two-factor on, and off after a confirmation page', async () => {
    const { browser, userId, email } = await t.signedIn(organisationId, 'practitioner');
    const account = await browser.get('/account');
    assert.match(account.body, /Two-factor authentication/);
    assert.match(account.body, /href="\/account\/two-factor\/setup"/);

    const setup = await browser.get('/account/two-factor/setup');
    assert.equal(setup.statusCode, 200);
    assert.doesNotMatch(setup.body, /Your role needs a second check/);
    const secret = secretFrom(setup.body);
    const on = await browser.submit('/account/two-factor/setup', '/account/two-factor/setup', { code: totpAt(secret, timeStep(new Date())) });
    assert.equal(on.statusCode, 302);
    assert.equal(on.headers.location, '/account?done=two-factor');
    assert.ok((await userRow(userId)).totp_enabled_at instanceof Date);
    assert.equal(await auditActions(userId, 'auth.two-factor-enabled'), 1);

    // With it on, the next sign-in asks for a code.
    const later = t.browser();
    const signIn = await signInWithPassword(later, email);
    assert.equal(signIn.headers.location, '/sign-in/two-factor?returnTo=%2F');

    const confirm = await browser.get('/account/two-factor/disable');
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Turn off two-factor authentication\?/);
    assert.match(confirm.body, /<form method="post" action="\/account\/two-factor\/disable">/);
    assert.ok((await userRow(userId)).totp_enabled_at instanceof Date, 'viewing the confirmation page changes nothing');

    const off = await browser.submit('/account/two-factor/disable', '/account/two-factor/disable', {});
    assert.equal(off.statusCode, 302);
    assert.equal(off.headers.location, '/account?done=two-factor-off');
    const row = await userRow(userId);
    assert.equal(row.totp_enabled_at, null);
    assert.equal(row.totp_secret_encrypted, null);
    assert.equal(await auditActions(userId, 'auth.two-factor-disabled'), 1);
    assert.match((await browser.get('/account?done=two-factor-off')).body, /Two-factor authentication is now off/);

    const again = t.browser();
    const direct = await signInWithPassword(again, email);
    assert.equal(direct.headers.location, '/', 'no code needed any more');
  });
});
