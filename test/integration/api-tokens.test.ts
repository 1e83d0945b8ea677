import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '../../src/platform/auth/secrets.ts';
import type { Browser } from '../support/browser-session.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

describe(`API tokens page (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;
  let admin: Browser;
  let adminUserId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Token Org')).id;
    ({ browser: admin, userId: adminUserId } = await t.signedIn(organisationId, 'organisation_admin'));
  });
  after(() => t.close());

  async function createToken(browser: Browser, name: string, role: string) {
    const response = await browser.submit('/admin/api-tokens/new', '/admin/api-tokens/new', { name, role });
    assert.equal(response.statusCode, 200, response.body);
    const token = /id="api-token">\s*(tg_[A-Za-z0-9_-]+)\s*</.exec(response.body)?.[1];
    assert.ok(token, 'the new token is on the page');
    const row = await t.deps.db.selectFrom('api_token').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirstOrThrow();
    return { response, token, row };
  }

  function me(token: string) {
    return t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  }

  test('creating a token shows it once, uncached, and stores only its SHA-256', async () => {
    const { response, token, row } = await createToken(admin, 'Partner CRM', 'practitioner');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(response.body, /It will not be shown again/);
    assert.match(response.body, /API token created/);
    assert.equal(row.organisation_id, organisationId);
    assert.equal(row.role, 'practitioner');
    assert.equal(row.created_by, adminUserId);
    assert.equal(row.token_hash, sha256(token));
    assert.equal(row.token_prefix, token.slice(0, 10));
    assert.ok(!Object.values(row).some((value) => typeof value === 'string' && value.includes(token)), 'the token itself is never stored');

    const list = await admin.get('/admin/api-tokens');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Partner CRM/);
    assert.match(list.body, new RegExp(`${row.token_prefix}…`));
    assert.match(list.body, /Practitioner/);
    assert.ok(!list.body.includes(token), 'the list never shows the whole token');
    assert.doesNotMatch(list.body, /It will not be shown again/);
  });

  test('the token acts on /api/v1/me with its organisation and role', async () => {
    const { token, row } = await createToken(admin, 'Reporting job', 'commissioner');
    const response = await me(token);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { organisationId, organisationName: 'Token Org', role: 'commissioner', tokenId: row.id });
    const list = await admin.get('/admin/api-tokens');
    assert.doesNotMatch(list.body.split('Reporting job')[1].split('</tr>')[0], /Never/, 'last used is recorded');
  });

  test('a token is revoked only after the confirmation page, and is then refused with 401', async () => {
    const { token, row } = await createToken(admin, 'Old integration', 'manager');
    assert.equal((await me(token)).statusCode, 200);

    const confirm = await admin.get(`/admin/api-tokens/${row.id}/revoke`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Revoke the API token “Old integration”\?/);
    assert.match(confirm.body, new RegExp(`action="/admin/api-tokens/${row.id}/revoke"`));
    const stillThere = await t.deps.db.selectFrom('api_token').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(stillThere.revoked_at, null, 'showing the confirmation changes nothing');

    const revoked = await admin.submit(`/admin/api-tokens/${row.id}/revoke`, `/admin/api-tokens/${row.id}/revoke`, {});
    assert.equal(revoked.statusCode, 302);
    assert.equal(revoked.headers.location, '/admin/api-tokens?done=revoked');
    const after = await t.deps.db.selectFrom('api_token').select(['revoked_at', 'revoked_by']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.ok(after.revoked_at instanceof Date);
    assert.equal(after.revoked_by, adminUserId);

    const list = await admin.get('/admin/api-tokens?done=revoked');
    assert.match(list.body, /The token has been revoked/);
    assert.match(list.body.split('Old integration')[1].split('</tr>')[0], /Revoked/);

    const refused = await me(token);
    assert.equal(refused.statusCode, 401);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.equal(refused.json().status, 401);
  });

  test('creating and revoking are audited against the token', async () => {
    const { row } = await createToken(admin, 'Audited token', 'practitioner');
    await admin.submit(`/admin/api-tokens/${row.id}/revoke`, `/admin/api-tokens/${row.id}/revoke`, {});
    const events = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'organisation_id', 'subject_type', 'detail'])
      .where('subject_id', '=', row.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((event) => [event.action, event.actor_user_id, event.organisation_id, event.subject_type]),
      [
        ['api-token.created', adminUserId, organisationId, 'api_token'],
        ['api-token.revoked', adminUserId, organisationId, 'api_token'],
      ],
    );
    assert.deepEqual(events[0].detail, { name: 'Audited token', role: 'practitioner' });
  });

  test('a missing name and role are named in the error summary and nothing is created', async () => {
    const before = await t.deps.db.selectFrom('api_token').select('id').execute();
    const response = await admin.submit('/admin/api-tokens/new', '/admin/api-tokens/new', { name: '  ' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#name">Enter a name that says what the token is for/);
    assert.match(response.body, /href="#role">Select what the token may do/);
    assert.equal((await t.deps.db.selectFrom('api_token').select('id').execute()).length, before.length);
    const admin_role = await admin.submit('/admin/api-tokens/new', '/admin/api-tokens/new', { name: 'Escalation', role: 'organisation_admin' });
    assert.equal(admin_role.statusCode, 400, 'a token can never be an administrator');
  });

  test('another organisation’s token, or a malformed id, is not found and stays active', async () => {
    const other = await t.organisation('Other Token Org');
    const { browser: otherAdmin } = await t.signedIn(other.id, 'organisation_admin');
    const { token, row } = await createToken(otherAdmin, 'Their token', 'practitioner');

    assert.equal((await admin.get(`/admin/api-tokens/${row.id}/revoke`)).statusCode, 404);
    const csrf = await admin.csrfFrom('/admin/api-tokens');
    const post = await admin.request({ method: 'POST', url: `/admin/api-tokens/${row.id}/revoke`, form: { _csrf: csrf } });
    assert.equal(post.statusCode, 404);
    assert.equal((await me(token)).statusCode, 200, 'their token still works');
    assert.doesNotMatch((await admin.get('/admin/api-tokens')).body, /Their token/);

    assert.equal((await admin.get('/admin/api-tokens/not-a-uuid/revoke')).statusCode, 404);
    const malformed = await admin.request({ method: 'POST', url: '/admin/api-tokens/123/revoke', form: { _csrf: csrf } });
    assert.equal(malformed.statusCode, 404);
  });

  test('only roles that manage API tokens reach the pages', async () => {
    const { browser } = await t.signedIn(organisationId, 'practitioner');
    assert.equal((await browser.get('/admin/api-tokens')).statusCode, 403);
    assert.equal((await browser.get('/admin/api-tokens/new')).statusCode, 403);
    const csrf = await browser.csrfFrom('/');
    const post = await browser.request({ method: 'POST', url: '/admin/api-tokens/new', form: { _csrf: csrf, name: 'x', role: 'practitioner' } });
    assert.equal(post.statusCode, 403);
  });
});
