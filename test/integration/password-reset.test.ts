import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

const NEW_PASSWORD = 'a completely new passphrase';

describe(`password reset (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Reset Org')).id;
  });
  after(() => t.close());

  async function emailsTo(address: string) {
    return t.deps.db.selectFrom('email_outbox').selectAll().where('to_address', '=', address).orderBy('created_at').execute();
  }

  async function outboxCount(): Promise<number> {
    const row = await t.deps.db.selectFrom('email_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function auditCount(userId: string, action: string): Promise<number> {
    const rows = await t.deps.db.selectFrom('audit_event').select('id').where('subject_id', '=', userId).where('action', '=', action).execute();
    return rows.length;
  }

  /** Asks for a reset link for this address and returns its path, read from the newest email. */
  async function requestLink(email: string): Promise<string> {
    const response = await t.browser().submit('/password-reset', '/password-reset', { email });
    assert.equal(response.statusCode, 200);
    const emails = await emailsTo(email);
    const text = emails.at(-1)?.text_body ?? '';
    const path = /^http:\/\/localhost:3000(\/password-reset\/[A-Za-z0-9_-]{43})$/m.exec(text)?.[1];
    assert.ok(path, `a reset link in the email: ${text}`);
    return path;
  }

  async function signIn(email: string, password: string) {
    return t.browser().submit('/sign-in', '/sign-in', { email, password });
  }

  test('a request for an active account sends one email with a link, and audits it', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const response = await t.browser().submit('/password-reset', '/password-reset', { email: user.email.toUpperCase() });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Check your email/);
    const emails = await emailsTo(user.email);
    assert.equal(emails.length, 1);
    assert.equal(emails[0].subject, 'Reset your Throughgate password');
    assert.equal(emails[0].organisation_id, organisationId);
    assert.match(emails[0].text_body, /^http:\/\/localhost:3000\/password-reset\/[A-Za-z0-9_-]{43}$/m);
    assert.ok(emails[0].sent_at instanceof Date);
    assert.equal(await auditCount(user.id, 'auth.password-reset-requested'), 1);
    const tokens = await t.deps.db.selectFrom('one_time_token').select(['purpose', 'token_hash', 'used_at']).where('user_id', '=', user.id).execute();
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0].purpose, 'password_reset');
    assert.ok(!emails[0].text_body.includes(tokens[0].token_hash), 'only the hash is stored, never the token itself');
  });

  test('an unknown email gets the same page and no email is written', async () => {
    const before = await outboxCount();
    const response = await t.browser().submit('/password-reset', '/password-reset', { email: 'nobody-here@example.org' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Check your email/);
    assert.equal(await outboxCount(), before);
    assert.equal((await emailsTo('nobody-here@example.org')).length, 0);
  });

  test('a deactivated account gets the same page and no email', async () => {
    const user = await t.user(organisationId, 'practitioner');
    await t.deps.db.updateTable('app_user').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
    const response = await t.browser().submit('/password-reset', '/password-reset', { email: user.email });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Check your email/);
    assert.equal((await emailsTo(user.email)).length, 0);
  });

  test('a malformed email address is asked for again', async () => {
    const before = await outboxCount();
    const response = await t.browser().submit('/password-reset', '/password-reset', { email: 'not-an-email' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#email">Enter an email address in the correct format/);
    assert.equal(await outboxCount(), before);
  });

  test('the link sets a new password, ends existing sessions and works only once', async () => {
    const { browser: existing, userId, email } = await t.signedIn(organisationId, 'practitioner');
    assert.equal((await existing.get('/')).statusCode, 200);
    assert.equal(await t.sessionCount(userId), 1);
    const link = await requestLink(email);

    const visitor = t.browser();
    const page = await visitor.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Choose a new password/);
    assert.ok(page.body.includes(`For ${email}.`));

    const tooShort = await visitor.submit(link, link, { password: 'short', confirm: 'short' });
    assert.equal(tooShort.statusCode, 400);
    assert.match(tooShort.body, /govuk-error-summary/);
    assert.match(tooShort.body, /href="#password">Password must be 12 characters or more/);

    const mismatch = await visitor.submit(link, link, { password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    assert.equal(mismatch.statusCode, 400);
    assert.match(mismatch.body, /href="#confirm">The passwords do not match/);

    assert.equal(await t.sessionCount(userId), 1, 'rejected attempts change nothing');
    assert.equal((await signIn(email, TEST_PASSWORD)).statusCode, 302, 'the old password still works until the reset is done');
    assert.equal(await t.sessionCount(userId), 2);

    const done = await visitor.submit(link, link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(done.statusCode, 302);
    assert.equal(done.headers.location, '/sign-in?done=password-reset');
    assert.equal(await t.sessionCount(userId), 0, 'every session of the account is ended');
    const kicked = await existing.get('/');
    assert.equal(kicked.statusCode, 302);
    assert.match(kicked.headers.location as string, /^\/sign-in/);
    assert.equal(await auditCount(userId, 'auth.password-reset'), 1);

    const old = await signIn(email, TEST_PASSWORD);
    assert.equal(old.statusCode, 400);
    assert.match(old.body, /Enter a correct email address and password/);
    const fresh = await signIn(email, NEW_PASSWORD);
    assert.equal(fresh.statusCode, 302);
    assert.equal(fresh.headers.location, '/');

    const reused = await t.browser().get(link);
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /This link has already been used/);
    const reusedPost = await visitor.submit('/password-reset', link, { password: 'yet another passphrase', confirm: 'yet another passphrase' });
    assert.equal(reusedPost.statusCode, 410);
    assert.match(reusedPost.body, /This link has already been used/);
    assert.equal((await signIn(email, 'yet another passphrase')).statusCode, 400, 'a used link sets nothing');
  });

  test('an expired link says so and cannot be used', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const link = await requestLink(user.email);
    await sql`update one_time_token set expires_at = now() - interval '1 minute' where user_id = ${user.id}`.execute(t.deps.db);
    const page = await t.browser().get(link);
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /This link has expired/);
    assert.match(page.body, /href="\/password-reset"/);
    const post = await t.browser().submit('/password-reset', link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(post.statusCode, 410);
    assert.match(post.body, /This link has expired/);
    assert.equal((await signIn(user.email, NEW_PASSWORD)).statusCode, 400);
    assert.equal((await signIn(user.email, TEST_PASSWORD)).statusCode, 302);
  });

  test('asking again makes the earlier link stop working', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const first = await requestLink(user.email);
    const second = await requestLink(user.email);
    assert.notEqual(first, second);
    assert.equal((await t.browser().get(first)).statusCode, 410);
    assert.equal((await t.browser().get(second)).statusCode, 200);
  });

  test('a made-up token is not valid', async () => {
    for (const token of ['garbage', 'A'.repeat(43)]) {
      const page = await t.browser().get(`/password-reset/${token}`);
      assert.equal(page.statusCode, 410);
      assert.match(page.body, /This link is not valid/);
    }
    const post = await t.browser().submit('/password-reset', '/password-reset/garbage', { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(post.statusCode, 410);
    assert.match(post.body, /This link is not valid/);
  });
});
