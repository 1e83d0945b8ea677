import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { apiTokenFor, createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

/** Signs of the shared layout: the service name in the header and the footer links. */
function assertLayout(html: string): void {
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /class="tg-header__name[^"]*">Throughgate</);
  assert.match(html, /href="\/accessibility"/);
  assert.match(html, /href="\/privacy"/);
}

function directive(csp: string, name: string): string | undefined {
  return csp
    .split(';')
    .map((part) => part.trim())
    .find((part) => part === name || part.startsWith(`${name} `));
}

describe(`pages, errors and security headers (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Pages Org')).id;
  });
  after(() => t.close());

  test('/health answers 200 with the database kind', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', database: t.deps.database.kind });
  });

  test('an unknown page is a friendly 404 in the layout', async () => {
    const response = await t.browser().get('/no-such-page');
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/);
    assert.match(response.body, /<title>Page not found – Throughgate<\/title>/);
    assertLayout(response.body);
  });

  test('pages carry our own brand: no crown, no Crown copyright, no GOV.UK fonts', async () => {
    const page = await t.browser().get('/sign-in');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /govuk-footer__crown|Crown copyright|govuk-crest|GOV\.UK/i);
    const css = await t.app.inject({ url: '/public/generated/app.css' });
    assert.equal(css.statusCode, 200);
    assert.doesNotMatch(css.body, /GDS Transport/);
  });

  test('a practitioner on the audit log gets the friendly 403 page', async () => {
    const { browser } = await t.signedIn(organisationId, 'practitioner');
    const response = await browser.get('/admin/audit');
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /You do not have permission to see this page/);
    assertLayout(response.body);
    assert.doesNotMatch(response.body, /href="\/admin\/audit"/, 'the navigation does not offer it either');
  });

  test('someone signed out is sent to sign in, and back afterwards', async () => {
    const browser = t.browser();
    const response = await browser.get('/admin/audit?action=auth');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, `/sign-in?returnTo=${encodeURIComponent('/admin/audit?action=auth')}`);
    const form = await browser.get(response.headers.location as string);
    assert.ok(form.body.includes('name="returnTo" value="/admin/audit?action=auth"'), 'the sign-in form remembers where to go');
    const user = await t.user(organisationId, 'practitioner');
    const signIn = await browser.submit('/sign-in', '/sign-in', {
      email: user.email,
      password: TEST_PASSWORD,
      returnTo: '/admin/audit?action=auth',
    });
    assert.equal(signIn.statusCode, 302);
    assert.equal(signIn.headers.location, '/admin/audit?action=auth');
    const offsite = await t.browser().submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD, returnTo: '//evil.example/' });
    assert.equal(offsite.headers.location, '/', 'never to another site');
  });

  test('security headers: CSP with a per-response nonce that the inline script carries', async () => {
    const first = await t.browser().get('/sign-in');
    const second = await t.browser().get('/sign-in');
    const csp = String(first.headers['content-security-policy']);
    const scriptSrc = directive(csp, 'script-src');
    assert.ok(scriptSrc, csp);
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    assert.ok(nonce, `script-src has a nonce: ${scriptSrc}`);
    assert.doesNotMatch(scriptSrc, /unsafe-inline/);
    assert.doesNotMatch(directive(csp, 'default-src') ?? '', /unsafe-inline/);
    assert.equal(directive(csp, 'frame-ancestors'), "frame-ancestors 'none'");
    assert.equal(directive(csp, 'object-src'), "object-src 'none'");
    assert.equal(directive(csp, 'upgrade-insecure-requests'), undefined, 'not outside production');

    const inline = [...first.body.matchAll(/<script([^>]*)>([^<]+)<\/script>/g)];
    assert.ok(inline.length >= 1, 'the page has an inline script');
    for (const [, attributes] of inline) assert.ok(attributes.includes(`nonce="${nonce}"`), attributes);
    const allScripts = [...first.body.matchAll(/<script\b([^>]*)>/g)];
    for (const [, attributes] of allScripts) assert.ok(attributes.includes(`nonce="${nonce}"`), `every script tag: ${attributes}`);

    const secondNonce = /'nonce-([^']+)'/.exec(String(second.headers['content-security-policy']))?.[1];
    assert.ok(secondNonce);
    assert.notEqual(secondNonce, nonce, 'a fresh nonce for every response');

    assert.equal(first.headers['x-content-type-options'], 'nosniff');
    assert.equal(first.headers['referrer-policy'], 'same-origin');
    assert.equal(first.headers['strict-transport-security'], undefined, 'no HSTS outside production');
  });

  test('the session cookie changes at every sign-in, even when one was planted', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    browser.cookies.set('tg_session', 'planted-by-someone-else');
    await browser.get('/sign-in');
    const csrfBefore = browser.cookies.get('tg_csrf');
    assert.ok(csrfBefore);
    await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    const first = browser.cookies.get('tg_session');
    assert.ok(first);
    assert.notEqual(first, 'planted-by-someone-else');
    assert.notEqual(browser.cookies.get('tg_csrf'), csrfBefore, 'the CSRF secret is rotated too');
    await browser.submit('/', '/sign-out', {});
    assert.equal(browser.cookies.has('tg_session'), false);
    await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    const second = browser.cookies.get('tg_session');
    assert.ok(second);
    assert.notEqual(second, first);
    const stored = await t.deps.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0].id, second, 'the database holds a hash of the cookie, not the cookie');
  });

  test('session cookies are HttpOnly and SameSite=Lax', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    const response = await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const session = setCookie.find((cookie) => cookie.startsWith('tg_session='));
    assert.ok(session, setCookie.join('\n'));
    assert.match(session, /; HttpOnly/i);
    assert.match(session, /; SameSite=Lax/i);
    assert.match(session, /; Path=\//);
  });
});

describe(`an unexpected failure (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Failing Org')).id;
  });
  after(() => t.close());

  test('gives the friendly 500 page with a reference and no internals, and a 500 problem for the API', async () => {
    const { browser } = await t.signedIn(organisationId, 'practitioner');
    const token = await apiTokenFor(t, organisationId, 'practitioner');
    assert.equal((await browser.get('/')).statusCode, 200);

    // Break the database under the app: every signed-in request now fails inside a query.
    await sql`alter table organisation rename to organisation_gone`.execute(t.deps.db);
    try {
      const page = await browser.get('/');
      assert.equal(page.statusCode, 500);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /Sorry, there is a problem with the service/);
      const reference = /quote reference <strong>([A-Za-z0-9_-]+)<\/strong>/.exec(page.body)?.[1];
      assert.ok(reference, 'a reference to quote');
      assert.equal(reference.length, 8);
      assertLayout(page.body);
      assert.doesNotMatch(page.body, /organisation_gone|relation|does not exist|\bat [\w.<>]+ \(|\.ts:\d+/, 'no error message or stack trace');

      const api = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 500);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      const problem = api.json() as Record<string, unknown>;
      assert.equal(problem.status, 500);
      assert.equal(problem.title, 'Internal error');
      assert.match(String(problem.detail), /^Something went wrong on our side\. Reference [A-Za-z0-9_-]{8}\.$/);
      assert.doesNotMatch(api.body, /organisation|relation|stack/);

      const second = await browser.get('/');
      const secondReference = /quote reference <strong>([A-Za-z0-9_-]+)<\/strong>/.exec(second.body)?.[1];
      assert.notEqual(secondReference, reference, 'each failure has its own reference');
    } finally {
      await sql`alter table organisation_gone rename to organisation`.execute(t.deps.db);
    }
    assert.equal((await browser.get('/')).statusCode, 200, 'recovers once the database is back');
  });
});

describe(`in production (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp({
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://127.0.0.1:1',
      BASE_URL: 'https://example.org',
      LOG_LEVEL: 'silent',
    });
    organisationId = (await t.organisation('Production Org')).id;
  });
  after(() => t.close());

  test('the test app really is in production mode', () => {
    assert.equal(t.config.environment, 'production');
    assert.equal(t.config.cookieSecure, true);
    assert.equal(t.config.seedDemoData, false);
  });

  test('sends HSTS and asks browsers to upgrade insecure requests', async () => {
    const response = await t.browser().get('/sign-in');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.ok(directive(String(response.headers['content-security-policy']), 'upgrade-insecure-requests'));
  });

  test('the session and CSRF cookies are Secure, HttpOnly and SameSite=Lax', async () => {
    const user = await t.user(organisationId, 'practitioner');
    const browser = t.browser();
    const response = await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    assert.equal(response.statusCode, 302);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    for (const name of ['tg_session', 'tg_csrf']) {
      const cookie = setCookie.find((value) => value.startsWith(`${name}=`));
      assert.ok(cookie, `${name} is set: ${setCookie.join('\n')}`);
      assert.match(cookie, /; Secure/i, name);
      assert.match(cookie, /; HttpOnly/i, name);
      assert.match(cookie, /; SameSite=Lax/i, name);
    }
  });
});
