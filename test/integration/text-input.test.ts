/**
 * A NUL character (U+0000) in a form, an API body or a query is the user's
 * mistake and gets a 400 naming the field; PostgreSQL cannot store it, and the
 * fuzz suite found it reaching the database as a 500 (team names, reference
 * data labels, new organisations, API tokens, referral details, people).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`a NUL character in input (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisation: { id: string; teamId: string };
  let manager: Browser;

  before(async () => {
    t = await createTestApp();
    organisation = await t.organisation('Nul Org');
    manager = (await t.signedIn(organisation.id, 'manager')).browser;
  });
  after(() => t.close());

  test('in a form field: 400 with a clear message, and nothing saved', async () => {
    const teamsBefore = await t.deps.db.selectFrom('team').select('id').where('organisation_id', '=', organisation.id).execute();
    const response = await manager.submit('/admin/teams', '/admin/teams', { name: 'Night\u0000shift' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /must not contain the NUL character/);
    const teamsAfter = await t.deps.db.selectFrom('team').select('id').where('organisation_id', '=', organisation.id).execute();
    assert.equal(teamsAfter.length, teamsBefore.length);

    const person = await manager.submit('/people/new', '/people', { givenName: 'A\u0000', familyName: 'B' });
    assert.equal(person.statusCode, 400);
  });

  test('in an API body: 400 problem naming the field', async () => {
    const token = await apiTokenFor(t, organisation.id, 'manager');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Night\u0000shift' },
    });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /problem\+json/);
    assert.deepEqual(response.json().errors, [{ pointer: '/name', detail: 'Text must not contain the NUL character (U+0000). Remove it and try again' }]);
  });

  test('in a search query: 400, not a server error', async () => {
    const response = await manager.get('/people?name=a%00b');
    assert.equal(response.statusCode, 400);
  });
});
