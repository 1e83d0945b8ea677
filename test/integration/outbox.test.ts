import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser } from '../support/browser-session.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

function tableRows(html: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
  );
}

function messageIds(html: string): string[] {
  return [...html.matchAll(/href="\/admin\/outbox\/([0-9a-f-]{36})"/g)].map((match) => match[1]);
}

describe(`email outbox (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;
  let admin: Browser;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Outbox Org')).id;
    ({ browser: admin } = await t.signedIn(organisationId, 'organisation_admin'));
  });
  after(() => t.close());

  /** Asks for a reset as the person would, then reads the link out of the newest email on the admin's outbox page. */
  async function resetLinkFor(email: string): Promise<{ path: string; messageId: string }> {
    const asked = await t.browser().submit('/password-reset', '/password-reset', { email });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /Check your email/);
    const list = await admin.get('/admin/outbox');
    assert.equal(list.statusCode, 200);
    const [first] = tableRows(list.body);
    assert.equal(first[0], email);
    assert.equal(first[1], 'Reset your Throughgate password');
    assert.equal(first[3], 'Outbox only');
    const messageId = messageIds(list.body)[0];
    const page = await admin.get(`/admin/outbox/${messageId}`);
    assert.equal(page.statusCode, 200);
    const body = /<pre class="tg-email-body">([\s\S]*?)<\/pre>/.exec(page.body)?.[1];
    assert.ok(body, 'the message body is on the page');
    assert.match(body, /^Hello Test practitioner \d+,/);
    const url = /(http:\/\/localhost:3000\/password-reset\/[A-Za-z0-9_-]+)/.exec(body)?.[1];
    assert.ok(url, 'the body holds the reset link');
    return { path: new URL(url).pathname, messageId };
  }

  test('a password reset email is in the outbox, and its link works once', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const { path } = await resetLinkFor(user.email);

    const browser = t.browser();
    const form = await browser.get(path);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Choose a new password/);
    const newPassword = 'a brand new long passphrase';
    const done = await browser.submit(path, path, { password: newPassword, confirm: newPassword });
    assert.equal(done.statusCode, 302);
    assert.equal(done.headers.location, '/sign-in?done=password-reset');
    const signIn = await t.browser().submit('/sign-in', '/sign-in', { email: user.email, password: newPassword });
    assert.equal(signIn.statusCode, 302, 'the new password works');

    const again = await t.browser().get(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /This link has already been used/);
  });

  test('an expired link says so', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const { path } = await resetLinkFor(user.email);
    await sql`update one_time_token set expires_at = now() - interval '1 minute' where user_id = ${user.id}`.execute(t.deps.db);
    const response = await t.browser().get(path);
    assert.equal(response.statusCode, 410);
    assert.match(response.body, /This link has expired/);
  });

  test('a failed delivery shows as failed, with its error', async () => {
    await t.deps.db
      .insertInto('email_outbox')
      .values({ organisation_id: organisationId, to_address: 'bounce@example.org', subject: 'Bounced <b>', text_body: 'x', transport: 'smtp', error: 'Connection refused' })
      .execute();
    const [first] = tableRows((await admin.get('/admin/outbox')).body);
    assert.deepEqual(first.slice(0, 2), ['bounce@example.org', 'Bounced &lt;b&gt;']);
    assert.equal(first[3], 'Failed Connection refused');
  });

  test('pages hold 25 messages, newest first', async () => {
    const org = await t.organisation('Busy Org');
    const { browser } = await t.signedIn(org.id, 'organisation_admin');
    for (let n = 1; n <= 30; n += 1) {
      await t.deps.email.send(org.id, { to: `person${n}@example.org`, subject: `Message ${n}`, text: `Body ${n}` });
    }
    const first = await browser.get('/admin/outbox');
    const firstRows = tableRows(first.body);
    assert.deepEqual(firstRows.map((row) => row[1]), Array.from({ length: 25 }, (_, i) => `Message ${30 - i}`));
    assert.match(first.body, /Emails 1 to 25 of 30/);
    assert.match(first.body, /<a class="govuk-link govuk-pagination__link" href="\/admin\/outbox\?page=2" rel="next">/);

    const second = await browser.get('/admin/outbox?page=2');
    assert.equal(second.statusCode, 200);
    assert.deepEqual(tableRows(second.body).map((row) => row[1]), ['Message 5', 'Message 4', 'Message 3', 'Message 2', 'Message 1']);
    assert.match(second.body, /aria-current="page"[^>]*>\s*2\s*</);
    assert.match(second.body, /href="\/admin\/outbox" rel="prev"/);
    assert.equal((await browser.get('/admin/outbox?page=3')).statusCode, 404);
    assert.equal((await browser.get('/admin/outbox?page=abc')).statusCode, 404);
  });

  test('another organisation’s messages are not listed and not found, and malformed ids are not found', async () => {
    const other = await t.organisation('Other Outbox Org');
    await t.deps.email.send(other.id, { to: 'their-person@example.org', subject: 'Their private message', text: 'secret body' });
    const { browser: otherAdmin } = await t.signedIn(other.id, 'organisation_admin');
    const theirList = await otherAdmin.get('/admin/outbox');
    const theirId = messageIds(theirList.body)[0];
    assert.ok(theirId);
    assert.equal((await otherAdmin.get(`/admin/outbox/${theirId}`)).statusCode, 200);

    const ours = await admin.get('/admin/outbox');
    assert.doesNotMatch(ours.body, /Their private message|their-person@example\.org/);
    const stolen = await admin.get(`/admin/outbox/${theirId}`);
    assert.equal(stolen.statusCode, 404);
    assert.doesNotMatch(stolen.body, /secret body/);
    assert.equal((await admin.get('/admin/outbox/not-a-uuid')).statusCode, 404);
    assert.doesNotMatch((await otherAdmin.get('/admin/outbox')).body, /Reset your Throughgate password/);
  });

  test('roles without outbox:view are refused', async () => {
    const { browser } = await t.signedIn(organisationId, 'practitioner');
    assert.equal((await browser.get('/admin/outbox')).statusCode, 403);
    const id = messageIds((await admin.get('/admin/outbox')).body)[0];
    assert.equal((await browser.get(`/admin/outbox/${id}`)).statusCode, 403);
  });
});
