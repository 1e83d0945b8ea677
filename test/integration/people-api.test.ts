import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

describe(`people API (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let practitionerToken: string;
  let managerToken: string;
  let commissionerToken: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('People API Org');
    otherOrg = await t.organisation('Other People API Org');
    practitionerToken = await apiTokenFor(t, org.id, 'practitioner');
    managerToken = await apiTokenFor(t, org.id, 'manager');
    commissionerToken = await apiTokenFor(t, org.id, 'commissioner');
  });
  after(() => t.close());

  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });
  const personCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from person`.execute(t.deps.db)).rows[0].n);
  const auditFor = (id: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', id).where('action', '=', action).execute();

  test('create, then list by name and by identifier, then get (audited)', async () => {
    const created = await call(practitionerToken, 'POST', '/api/v1/people', {
      givenName: 'Aleksander',
      familyName: 'Nowakowski',
      dateOfBirth: '1985-07-21',
      prisonNumber: 'e5678fg',
      nhsNumber: '401 023 2137',
      otherNames: [{ givenName: 'Alex', familyName: 'Novak' }],
      secondaryDiagnoses: ['adhd'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const person = created.json();
    assert.equal(created.headers.location, `/api/v1/people/${person.id}`);
    assert.equal(person.prisonNumber, 'E5678FG');
    assert.equal(person.nhsNumber, '4010232137');
    assert.deepEqual(person.otherNames, [{ givenName: 'Alex', familyName: 'Novak', kind: 'alias' }]);
    assert.equal('riskNotes' in person, false);
    assert.equal((await auditFor(person.id, 'person.created')).length, 1);

    const byName = await call(practitionerToken, 'GET', '/api/v1/people?search=nowakowsky+aleksander');
    assert.equal(byName.statusCode, 200);
    assert.deepEqual(byName.json().items.map((item: { id: string }) => item.id), [person.id]);
    const byAlias = await call(practitionerToken, 'GET', '/api/v1/people?search=Alex+Novak');
    assert.equal(byAlias.json().total, 1);
    const byIdentifier = await call(practitionerToken, 'GET', '/api/v1/people?search=E5678FG&limit=5');
    assert.deepEqual(byIdentifier.json(), {
      items: [{ id: person.id, givenName: 'Aleksander', familyName: 'Nowakowski', preferredName: null, dateOfBirth: '1985-07-21', prisonNumber: 'E5678FG', crn: null }],
      total: 1,
      limit: 5,
      offset: 0,
    });

    const got = await call(practitionerToken, 'GET', `/api/v1/people/${person.id}`);
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().familyName, 'Nowakowski');
    const views = await auditFor(person.id, 'person.viewed');
    assert.equal(views.length, 1);
    assert.match(views[0].actor_label, /^api-token:/);
  });

  test('bad identifiers give a 400 problem naming each field, and nothing is written', async () => {
    const before = await personCount();
    const response = await call(practitionerToken, 'POST', '/api/v1/people', {
      givenName: 'Bad',
      familyName: 'Identifiers',
      prisonNumber: 'A12BC',
      nhsNumber: '943 476 5918',
      niNumber: 'GB123456A',
      pncId: '12/34567F',
      crn: '123456',
      dateOfBirth: '2999-01-01',
    });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    const pointers = response.json().errors.map((error: { pointer: string }) => error.pointer).sort();
    assert.deepEqual(pointers, ['/crn', '/dateOfBirth', '/nhsNumber', '/niNumber', '/pncId', '/prisonNumber']);
    assert.equal(await personCount(), before);
  });

  test('unknown fields and a missing name are refused by the schema', async () => {
    const before = await personCount();
    const unknown = await call(practitionerToken, 'POST', '/api/v1/people', { givenName: 'A', familyName: 'B', favouriteColour: 'blue' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /unknown field \\"favouriteColour\\"/);
    const missing = await call(practitionerToken, 'POST', '/api/v1/people', { givenName: 'A' });
    assert.equal(missing.statusCode, 400);
    assert.equal(await personCount(), before);
  });

  test('restricted fields: a practitioner may not write or read them; a manager may, and reading is audited', async () => {
    const refused = await call(practitionerToken, 'POST', '/api/v1/people', { givenName: 'Risky', familyName: 'Writer', riskNotes: 'secret' });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().errors.map((e: { pointer: string }) => e.pointer), ['/riskNotes']);

    const created = await call(managerToken, 'POST', '/api/v1/people', { givenName: 'Risky', familyName: 'Record', riskNotes: 'API-RISK-789' });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;

    const asPractitioner = await call(practitionerToken, 'GET', `/api/v1/people/${id}`);
    assert.equal(asPractitioner.statusCode, 200);
    assert.equal('riskNotes' in asPractitioner.json(), false);
    assert.doesNotMatch(asPractitioner.body, /API-RISK-789/);
    assert.equal((await auditFor(id, 'person.restricted-viewed')).length, 0);

    const asManager = await call(managerToken, 'GET', `/api/v1/people/${id}`);
    assert.equal(asManager.json().riskNotes, 'API-RISK-789');
    assert.equal(asManager.json().sexualOffenceDetails, null);
    assert.equal((await auditFor(id, 'person.restricted-viewed')).length, 1);
  });

  test('another organisation’s person and malformed ids are 404; a commissioner is 403', async () => {
    const theirs = await t.deps.db
      .insertInto('person')
      .values({ organisation_id: otherOrg.id, given_name: 'Elsewhere', family_name: 'Person' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const url of [`/api/v1/people/${theirs.id}`, '/api/v1/people/not-a-uuid']) {
      const response = await call(practitionerToken, 'GET', url);
      assert.equal(response.statusCode, 404, url);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    }
    const list = await call(practitionerToken, 'GET', '/api/v1/people?search=Elsewhere+Person');
    assert.equal(list.json().total, 0);
    assert.equal((await call(commissionerToken, 'GET', '/api/v1/people')).statusCode, 403);
  });

  test('the people routes are in the OpenAPI document under the people tag', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = response.json();
    assert.deepEqual(doc.paths['/api/v1/people'].get.tags, ['people']);
    assert.deepEqual(doc.paths['/api/v1/people'].post.tags, ['people']);
    assert.deepEqual(doc.paths['/api/v1/people/{id}'].get.tags, ['people']);
  });
});
