import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`rectification history (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string };
  let otherOrg: { id: string };
  let practitioner: { browser: Browser; userId: string };
  let manager: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('History Org');
    otherOrg = await t.organisation('Other History Org');
    practitioner = await t.signedIn(org.id, 'practitioner');
    manager = await t.signedIn(org.id, 'manager');
  });
  after(() => t.close());

  const insertPerson = async (organisationId: string, values: Record<string, unknown> & { given_name: string; family_name: string }) =>
    (await t.deps.db.insertInto('person').values({ organisation_id: organisationId, ...values }).returning('id').executeTakeFirstOrThrow()).id;
  const revisionsOf = (personId: string) => t.deps.db.selectFrom('person_revision').selectAll().where('person_id', '=', personId).orderBy('revised_at').execute();
  const auditsOf = (personId: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', personId).where('action', '=', action).execute();

  test('an edit keeps the old values of only the changed fields, with who and why; the page shows old → new', async () => {
    const id = await insertPerson(org.id, { given_name: 'Rita', family_name: 'Rectify', phone: '07700 900111', postcode: 'LS1 1AA' });
    const url = `/people/${id}/edit`;
    const form = await practitioner.browser.get(url);
    assert.match(form.body, /Reason for the change/);
    const saved = await practitioner.browser.submit(url, url, {
      version: '1',
      givenName: 'Rita',
      familyName: 'Rectified',
      phone: '07700 900222',
      postcode: 'LS1 1AA',
      reason: 'She asked us to correct her surname',
    });
    assert.equal(saved.statusCode, 302);
    const [revision] = await revisionsOf(id);
    assert.deepEqual(revision.previous, { family_name: 'Rectify', phone: '07700 900111' });
    assert.equal(revision.reason, 'She asked us to correct her surname');
    assert.equal(revision.revised_by, practitioner.userId);

    const page = await practitioner.browser.get(`/people/${id}/history`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /She asked us to correct her surname/);
    assert.match(page.body, /Last name<\/td>\s*<td[^>]*>Rectify<\/td>\s*<td[^>]*>Rectified<\/td>/);
    assert.match(page.body, /Phone<\/td>\s*<td[^>]*>07700 900111<\/td>\s*<td[^>]*>07700 900222<\/td>/);
    assert.doesNotMatch(page.body, /Postcode/, 'unchanged fields are not listed');
    assert.equal((await auditsOf(id, 'person.history-viewed')).length, 1);
    const personPage = await practitioner.browser.get(`/people/${id}`);
    assert.match(personPage.body, new RegExp(`href="/people/${id}/history"`));
  });

  test('a stale edit keeps nothing, and an over-long reason is refused with nothing saved', async () => {
    const id = await insertPerson(org.id, { given_name: 'Stan', family_name: 'Stale' });
    const url = `/people/${id}/edit`;
    await t.deps.db.updateTable('person').set({ family_name: 'Theirs', version: 2 }).where('id', '=', id).execute();
    const stale = await practitioner.browser.submit(url, url, { version: '1', givenName: 'Stan', familyName: 'Mine', reason: 'Mine' });
    assert.equal(stale.statusCode, 409);
    assert.equal((await revisionsOf(id)).length, 0);
    const long = await practitioner.browser.submit(url, url, { version: '2', givenName: 'Stan', familyName: 'Mine', reason: 'x'.repeat(501) });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Reason for the change must be 500 characters or fewer/);
    assert.equal((await revisionsOf(id)).length, 0);
    const row = await t.deps.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.family_name, 'Theirs');
    const unchanged = await practitioner.browser.submit(url, url, { version: '2', givenName: 'Stan', familyName: 'Theirs' });
    assert.equal(unchanged.statusCode, 302);
    assert.equal((await revisionsOf(id)).length, 0, 'a save that changes nothing keeps no revision');
  });

  test('restricted fields: the manager sees old and new (audited); a practitioner sees only that they changed', async () => {
    const id = await insertPerson(org.id, { given_name: 'Rhea', family_name: 'Restricted', risk_notes: 'OLD-RISK-TEXT' });
    const url = `/people/${id}/edit`;
    await manager.browser.get(url);
    const saved = await manager.browser.submit(url, url, { version: '1', givenName: 'Rhea', familyName: 'Restricted', riskNotes: 'NEW-RISK-TEXT' });
    assert.equal(saved.statusCode, 302);
    assert.deepEqual((await revisionsOf(id))[0].previous, { risk_notes: 'OLD-RISK-TEXT' });

    const restrictedViewsBefore = (await auditsOf(id, 'person.restricted-viewed')).length;
    const managerPage = await manager.browser.get(`/people/${id}/history`);
    assert.match(managerPage.body, /Risk information<\/td>\s*<td[^>]*>OLD-RISK-TEXT<\/td>\s*<td[^>]*>NEW-RISK-TEXT<\/td>/);
    assert.equal((await auditsOf(id, 'person.restricted-viewed')).length, restrictedViewsBefore + 1);

    const practitionerPage = await practitioner.browser.get(`/people/${id}/history`);
    assert.equal(practitionerPage.statusCode, 200);
    assert.doesNotMatch(practitionerPage.body, /OLD-RISK-TEXT|NEW-RISK-TEXT/);
    assert.match(practitionerPage.body, /Risk information<\/td>\s*<td[^>]*>Restricted field changed<\/td>/);
    assert.equal((await auditsOf(id, 'person.restricted-viewed')).length, restrictedViewsBefore + 1, 'the practitioner saw nothing restricted');
  });

  test('another organisation’s person and a malformed id are not found', async () => {
    const elsewhere = await insertPerson(otherOrg.id, { given_name: 'Far', family_name: 'Away' });
    assert.equal((await practitioner.browser.get(`/people/${elsewhere}/history`)).statusCode, 404);
    assert.equal((await practitioner.browser.get('/people/not-a-uuid/history')).statusCode, 404);
  });
});
