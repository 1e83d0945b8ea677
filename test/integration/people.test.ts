import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as people from '../../src/modules/people/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';
import { directPrincipal } from '../../src/platform/http/context.ts';

describe(`people (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let practitioner: { browser: Browser; userId: string };
  let manager: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('People Org');
    otherOrg = await t.organisation('Other People Org');
    practitioner = await t.signedIn(org.id, 'practitioner');
    manager = await t.signedIn(org.id, 'manager');
  });
  after(() => t.close());

  async function insertPerson(organisationId: string, values: Record<string, unknown> & { given_name: string; family_name: string }) {
    const row = await t.deps.db
      .insertInto('person')
      .values({ organisation_id: organisationId, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const personCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from person`.execute(t.deps.db)).rows[0].n);
  const auditFor = (id: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', id).where('action', '=', action).execute();
  const personRow = (id: string) => t.deps.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  const validPerson = {
    givenName: 'Valerie',
    familyName: 'Okonkwo',
    'dateOfBirth-day': '4',
    'dateOfBirth-month': '11',
    'dateOfBirth-year': '1988',
    prisonNumber: 'b2345cd',
    crn: 'X123456',
    pncId: '12/34567E',
    nhsNumber: '943 476 5919',
    niNumber: 'AB 12 34 56 C',
    postcode: 'sw1a1aa',
    sex: 'female',
    consents: 'texts',
    secondaryDiagnoses: ['anxiety', 'ptsd'],
  };

  test('search finds people despite misspelling, reversed order and by their other names', async () => {
    const searchOrg = await t.organisation('Search Org');
    const searcher = await t.signedIn(searchOrg.id, 'practitioner');
    const john = await insertPerson(searchOrg.id, { given_name: 'Jonathan', family_name: 'Smithson' });
    await insertPerson(searchOrg.id, { given_name: 'Unrelated', family_name: 'Person' });
    const aliased = await insertPerson(searchOrg.id, { given_name: 'Maria', family_name: 'Kowalska' });
    await t.deps.db
      .insertInto('person_alias')
      .values({ organisation_id: searchOrg.id, person_id: aliased, given_name: 'Marie', family_name: 'Cole' })
      .execute();

    const misspelt = await searcher.browser.get('/people?name=Jonathon+Smithsen');
    assert.equal(misspelt.statusCode, 200);
    assert.match(misspelt.body, new RegExp(`/people/${john}`));
    assert.doesNotMatch(misspelt.body, /Unrelated/);

    const reversed = await searcher.browser.get('/people?name=smithson+jonathan');
    assert.match(reversed.body, new RegExp(`/people/${john}`));

    const byAlias = await searcher.browser.get('/people?name=Marie+Cole');
    assert.match(byAlias.body, new RegExp(`/people/${aliased}`));
    assert.doesNotMatch(byAlias.body, new RegExp(`/people/${john}`));

    const nothing = await searcher.browser.get('/people?name=Zebedee+Quartermain');
    assert.match(nothing.body, /No people match your search/);
  });

  test('search by identifier and date of birth, with paging that keeps the search', async () => {
    const pagingOrg = await t.organisation('Paging People Org');
    const searcher = await t.signedIn(pagingOrg.id, 'practitioner');
    for (let n = 1; n <= 27; n += 1) {
      await insertPerson(pagingOrg.id, { given_name: `Pat${n}`, family_name: 'Pager', date_of_birth: '1990-02-03' });
    }
    const target = await insertPerson(pagingOrg.id, { given_name: 'Ida', family_name: 'Ident', prison_number: 'C3456DE', pnc_id: '2012/0034567E' });

    const first = await searcher.browser.get('/people?dateOfBirth-day=3&dateOfBirth-month=2&dateOfBirth-year=1990');
    assert.match(first.body, /Showing 1 to 25 of 27 people/);
    assert.match(first.body, /href="\/people\?dateOfBirth-day=3&amp;dateOfBirth-month=2&amp;dateOfBirth-year=1990&amp;page=2"/);
    const second = await searcher.browser.get('/people?dateOfBirth-day=3&dateOfBirth-month=2&dateOfBirth-year=1990&page=2');
    assert.match(second.body, /Showing 26 to 27 of 27 people/);

    const byPrisonNumber = await searcher.browser.get('/people?identifier=c3456de');
    assert.match(byPrisonNumber.body, new RegExp(`/people/${target}`));
    assert.match(byPrisonNumber.body, /Showing 1 to 1 of 1 person/);
    // The PNC ID matches whether the year is written with two digits or four.
    const byPnc = await searcher.browser.get(`/people?identifier=${encodeURIComponent('12/34567E')}`);
    assert.match(byPnc.body, new RegExp(`/people/${target}`));

    const badDate = await searcher.browser.get('/people?dateOfBirth-day=31&dateOfBirth-month=2&dateOfBirth-year=1990');
    assert.equal(badDate.statusCode, 200);
    assert.match(badDate.body, /There is a problem/);
    assert.match(badDate.body, /Date of birth must be a real date/);
  });

  test('adding a person shows likely duplicates first, then carries the search into the form and creates', async () => {
    const existing = await insertPerson(org.id, {
      given_name: 'Dmitri',
      family_name: 'Volkov',
      date_of_birth: '1979-06-15',
      prison_number: 'D4567EF',
    });
    const search = await practitioner.browser.submit('/people/new', '/people/new', {
      givenName: 'Dimitri',
      familyName: 'Volkov',
      'dateOfBirth-day': '15',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '1979',
      prisonNumber: 'd4567ef',
    });
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /Is this person already recorded\?/);
    assert.match(search.body, new RegExp(`href="/people/${existing}"`));
    assert.match(search.body, /Same prison number/);
    assert.match(search.body, /Same date of birth/);
    assert.match(search.body, /Similar name/);
    assert.match(search.body, /None of these – create a new record/);

    // The continue button carries the search values as hidden fields into the full form.
    const hidden = Object.fromEntries([...search.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    assert.equal(hidden.givenName, 'Dimitri');
    assert.equal(hidden.prisonNumber, 'd4567ef');
    const form = await practitioner.browser.request({ method: 'POST', url: '/people/new/details', form: hidden });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /id="givenName" name="givenName" type="text" spellcheck="false" value="Dimitri"/);
    assert.match(form.body, /id="dateOfBirth-year" name="dateOfBirth-year" type="text" value="1979"/);

    const before = await personCount();
    const created = await practitioner.browser.submit('/people/new', '/people', { ...validPerson });
    assert.equal(created.statusCode, 302);
    const id = /^\/people\/([0-9a-f-]{36})\?done=created$/.exec(created.headers.location as string)?.[1];
    assert.ok(id, String(created.headers.location));
    assert.equal(await personCount(), before + 1);
    const row = await personRow(id);
    assert.equal(row.prison_number, 'B2345CD');
    assert.equal(row.pnc_id, '12/0034567E');
    assert.equal(row.nhs_number, '9434765919');
    assert.equal(row.ni_number, 'AB123456C');
    assert.equal(row.postcode, 'SW1A 1AA');
    assert.equal(row.date_of_birth, '1988-11-04');
    assert.equal(row.consents_to_texts, true);
    assert.equal(row.consents_to_email, false);
    assert.deepEqual(row.secondary_diagnosis_codes, ['anxiety', 'ptsd']);
    assert.equal((await auditFor(id, 'person.created')).length, 1);

    const page = await practitioner.browser.get(created.headers.location as string);
    assert.match(page.body, /Person record created/);
    assert.match(page.body, /Valerie Okonkwo/);
    assert.match(page.body, /href="\/people\/[0-9a-f-]{36}\/referrals\/new"/);
  });

  test('search with no match says so and still offers to continue', async () => {
    const response = await practitioner.browser.submit('/people/new', '/people/new', { givenName: 'Quentin', familyName: 'Xylophone' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /No existing record found/);
    assert.match(response.body, /Continue to add a new record/);
  });

  const badIdentifiers: Array<[string, string, RegExp]> = [
    ['prisonNumber', '1234ABC', /Enter a prison number in the correct format, like A1234BC/],
    ['nhsNumber', '943 476 5918', /Enter a valid NHS number – the check digit is wrong/],
    ['niNumber', 'QQ 12 34 56 C', /Enter a valid National Insurance number – it cannot start with these letters/],
    ['pncId', '12/34567F', /Enter a valid PNC ID – the check letter is wrong/],
    ['crn', 'X12345', /Enter a CRN in the correct format/],
  ];
  for (const [field, value, message] of badIdentifiers) {
    test(`an invalid ${field} gives the error summary and writes nothing`, async () => {
      const before = await personCount();
      const response = await practitioner.browser.submit('/people/new', '/people', { ...validPerson, [field]: value });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, new RegExp(`href="#${field}">${message.source}`));
      assert.equal(await personCount(), before);
    });
  }

  test('the search-before-create form also refuses a bad identifier', async () => {
    const response = await practitioner.browser.submit('/people/new', '/people/new', { givenName: 'A', familyName: 'B', nhsNumber: '12' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Enter an NHS number in the correct format/);
  });

  test('a date of birth in the future, or an unreal one, is refused', async () => {
    const before = await personCount();
    const year = String(new Date().getFullYear() + 1);
    const future = await practitioner.browser.submit('/people/new', '/people', { ...validPerson, 'dateOfBirth-year': year });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /href="#dateOfBirth-day">Date of birth must be in the past/);
    const unreal = await practitioner.browser.submit('/people/new', '/people', { ...validPerson, 'dateOfBirth-day': '30', 'dateOfBirth-month': '2' });
    assert.equal(unreal.statusCode, 400);
    assert.match(unreal.body, /Date of birth must be a real date/);
    const missingName = await practitioner.browser.submit('/people/new', '/people', { ...validPerson, givenName: '' });
    assert.equal(missingName.statusCode, 400);
    assert.match(missingName.body, /Enter their first name/);
    assert.equal(await personCount(), before);
  });

  test('every view of a person page is audited', async () => {
    const id = await insertPerson(org.id, { given_name: 'Viewed', family_name: 'Person', nhs_number: '4010232137' });
    const first = await practitioner.browser.get(`/people/${id}`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Viewed Person/);
    assert.match(first.body, /4010232137/);
    await practitioner.browser.get(`/people/${id}`);
    const views = await auditFor(id, 'person.viewed');
    assert.equal(views.length, 2);
    assert.equal(views[0].actor_user_id, practitioner.userId);
  });

  test('restricted fields are hidden from a practitioner and revealed, with an audit row, to a manager', async () => {
    const id = await insertPerson(org.id, {
      given_name: 'Restricted',
      family_name: 'Record',
      risk_notes: 'RISK-TEXT-123',
      sexual_offence_details: 'SEXUAL-OFFENCE-TEXT-456',
    });
    const practitionerPage = await practitioner.browser.get(`/people/${id}`);
    assert.doesNotMatch(practitionerPage.body, /RISK-TEXT-123|SEXUAL-OFFENCE-TEXT-456/);
    assert.doesNotMatch(practitionerPage.body, /Show restricted information/);
    const refused = await practitioner.browser.submit(`/people/${id}`, `/people/${id}/restricted`, {});
    assert.equal(refused.statusCode, 403);
    assert.doesNotMatch(refused.body, /RISK-TEXT-123/);
    assert.equal((await auditFor(id, 'person.restricted-viewed')).length, 0);
    const editForm = await practitioner.browser.get(`/people/${id}/edit`);
    assert.doesNotMatch(editForm.body, /RISK-TEXT-123|riskNotes/);

    const managerPage = await manager.browser.get(`/people/${id}`);
    assert.doesNotMatch(managerPage.body, /RISK-TEXT-123/);
    assert.match(managerPage.body, /Show restricted information/);
    const revealed = await manager.browser.submit(`/people/${id}`, `/people/${id}/restricted`, {});
    assert.equal(revealed.statusCode, 200);
    assert.match(revealed.body, /RISK-TEXT-123/);
    assert.match(revealed.body, /SEXUAL-OFFENCE-TEXT-456/);
    const audits = await auditFor(id, 'person.restricted-viewed');
    assert.equal(audits.length, 1);
    assert.equal(audits[0].actor_user_id, manager.userId);
  });

  test('a practitioner’s edit keeps restricted fields and audits the names of changed fields', async () => {
    const id = await insertPerson(org.id, { given_name: 'Edith', family_name: 'Editor', risk_notes: 'KEEP-ME' });
    const form = await practitioner.browser.get(`/people/${id}/edit`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
    assert.equal(version, '1');
    const saved = await practitioner.browser.submit(`/people/${id}/edit`, `/people/${id}/edit`, {
      version: '1',
      givenName: 'Edith',
      familyName: 'Editor-Smith',
      phone: '07700 900982',
      otherGivenName: 'Edie',
      otherFamilyName: 'Smith',
    });
    assert.equal(saved.statusCode, 302);
    const row = await personRow(id);
    assert.equal(row.family_name, 'Editor-Smith');
    assert.equal(row.risk_notes, 'KEEP-ME');
    assert.equal(row.version, 2);
    const [audit] = await auditFor(id, 'person.updated');
    assert.deepEqual((audit.detail as { fields: string[] }).fields.sort(), ['familyName', 'otherNames', 'phone']);
    assert.doesNotMatch(JSON.stringify(audit.detail), /07700|KEEP-ME/);
    const aliases = await t.deps.db.selectFrom('person_alias').selectAll().where('person_id', '=', id).execute();
    assert.deepEqual(aliases.map((a) => `${a.given_name} ${a.family_name}`), ['Edie Smith']);
  });

  test('a manager edits restricted fields: opening the form is an audited view, and the audit names fields, never values', async () => {
    const id = await insertPerson(org.id, { given_name: 'Manny', family_name: 'Restricted', risk_notes: 'OLD-RISK' });
    const form = await manager.browser.get(`/people/${id}/edit`);
    assert.match(form.body, /OLD-RISK/);
    assert.equal((await auditFor(id, 'person.restricted-viewed')).length, 1);
    const saved = await manager.browser.submit(`/people/${id}/edit`, `/people/${id}/edit`, {
      version: '1',
      givenName: 'Manny',
      familyName: 'Restricted',
      riskNotes: 'NEW-RISK',
    });
    assert.equal(saved.statusCode, 302);
    assert.equal((await personRow(id)).risk_notes, 'NEW-RISK');
    const [audit] = await auditFor(id, 'person.updated');
    assert.deepEqual(audit.detail, { fields: ['riskNotes'], restrictedChanged: true });
    // Loading the form for its CSRF token was one more view; the save itself is not.
    assert.equal((await auditFor(id, 'person.restricted-viewed')).length, 2);
  });

  test('colleagues’ entry points: the summary needs people:view, creating joins the caller’s transaction', async () => {
    const id = await insertPerson(org.id, { given_name: 'Summary', family_name: 'Person', prison_number: 'F6789GH' });
    const practitionerPrincipal = await principalFor(practitioner.userId, 'practitioner');
    const summary = await people.getPersonSummary(t.deps.db, practitionerPrincipal, id);
    assert.deepEqual(summary, { id, givenName: 'Summary', familyName: 'Person', preferredName: null, dateOfBirth: null, prisonNumber: 'F6789GH', crn: null });
    const peer = { ...practitionerPrincipal, role: 'peer_advisor' as const };
    await assert.rejects(() => people.getPersonSummary(t.deps.db, peer, id), (error: Error) => error.name === 'Error' && /permission/.test(error.message));
    await assert.rejects(() => people.getPersonSummary(t.deps.db, practitionerPrincipal, 'nope'), /not found/);

    const before = await personCount();
    await assert.rejects(() =>
      t.deps.db.transaction().execute(async (trx) => {
        await people.createPerson(trx, practitionerPrincipal, { givenName: 'Rolled', familyName: 'Back' });
        throw new Error('the caller fails later');
      }),
    );
    assert.equal(await personCount(), before, 'the person and its audit row roll back with the caller');
    await assert.rejects(
      () => people.createPerson(t.deps.db, practitionerPrincipal, { givenName: 'Bad', familyName: 'Nhs', nhsNumber: '1234567890' }),
      (error: { errors?: unknown }) => JSON.stringify(error.errors) === JSON.stringify([{ field: 'nhsNumber', text: 'Enter a valid NHS number – the check digit is wrong' }]),
    );

    const matches = await people.findMatches(t.deps.db, practitionerPrincipal, { name: 'Person Summary', identifiers: { prisonNumber: 'f6789gh' } });
    assert.equal(matches[0].id, id);
    assert.deepEqual(matches[0].reasons, ['Same prison number', 'Same name']);
  });

  test('a stale edit shows the conflict page and overwrites nothing', async () => {
    const id = await insertPerson(org.id, { given_name: 'Stale', family_name: 'Edit' });
    const form = await practitioner.browser.get(`/people/${id}/edit`);
    assert.match(form.body, /name="version" value="1"/);
    // Someone else saves first.
    await people.updatePerson(t.deps.db, await principalFor(manager.userId, 'manager'), id, 1, { givenName: 'Stale', familyName: 'Theirs' });
    const response = await practitioner.browser.submit(`/people/${id}/edit`, `/people/${id}/edit`, {
      version: '1',
      givenName: 'Stale',
      familyName: 'Mine',
    });
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /This record was changed by someone else/);
    const row = await personRow(id);
    assert.equal(row.family_name, 'Theirs');
    assert.equal(row.version, 2);
    assert.equal((await auditFor(id, 'person.updated')).length, 1);
  });

  test('merging moves episodes and other names to the kept record and keeps the history of both', async () => {
    const kept = await personWithEpisode(t, org.id, { givenName: 'Kept', familyName: 'Record' });
    const duplicate = await personWithEpisode(t, org.id, { givenName: 'Kepth', familyName: 'Recorde' });
    await t.deps.db
      .insertInto('person_alias')
      .values({ organisation_id: org.id, person_id: duplicate.personId, given_name: 'KR', family_name: 'Alias' })
      .execute();
    const profile = (personId: string, version: number, skills: string, recordedAt: string) =>
      t.deps.db
        .insertInto('vocational_profile')
        .values({ organisation_id: org.id, person_id: personId, version, skills, recorded_at: new Date(recordedAt) })
        .execute();
    await profile(kept.personId, 1, 'kept v1', '2026-01-01T10:00:00Z');
    await profile(duplicate.personId, 1, 'duplicate v1', '2026-01-02T10:00:00Z');
    await profile(kept.personId, 2, 'kept v2', '2026-01-03T10:00:00Z');
    await t.deps.db.insertInto('benefit_claim').values({ organisation_id: org.id, person_id: duplicate.personId, benefit_code: 'esa' }).execute();

    const practitionerTry = await practitioner.browser.get(`/people/${kept.personId}/merge`);
    assert.equal(practitionerTry.statusCode, 403);

    const search = await manager.browser.get(`/people/${kept.personId}/merge?name=Kepth+Recorde`);
    assert.match(search.body, new RegExp(`/people/${kept.personId}/merge/confirm\\?other=${duplicate.personId}`));
    const confirm = await manager.browser.get(`/people/${kept.personId}/merge/confirm?other=${duplicate.personId}`);
    assert.match(confirm.body, /Merge Kepth Recorde into Kept Record\?/);
    const merged = await manager.browser.submit(`/people/${kept.personId}/merge/confirm?other=${duplicate.personId}`, `/people/${kept.personId}/merge`, {
      otherId: duplicate.personId,
    });
    assert.equal(merged.statusCode, 302);

    const duplicateRow = await personRow(duplicate.personId);
    assert.equal(duplicateRow.merged_into_id, kept.personId);
    assert.equal(duplicateRow.given_name, 'Kepth', 'the duplicate row is kept for history');
    const episodes = await t.deps.db.selectFrom('episode').select(['id', 'person_id']).where('id', 'in', [kept.episodeId, duplicate.episodeId]).execute();
    assert.deepEqual(new Set(episodes.map((e) => e.person_id)), new Set([kept.personId]));
    const aliases = await t.deps.db.selectFrom('person_alias').selectAll().where('person_id', '=', kept.personId).execute();
    assert.deepEqual(aliases.map((a) => `${a.given_name} ${a.family_name}`).sort(), ['KR Alias', 'Kepth Recorde']);
    const profiles = await t.deps.db.selectFrom('vocational_profile').select(['version', 'skills']).where('person_id', '=', kept.personId).orderBy('version').execute();
    assert.deepEqual(
      profiles.map((p) => `${p.version} ${p.skills}`),
      ['1 kept v1', '2 duplicate v1', '3 kept v2'],
      'both profile histories follow the kept person, in the order they were recorded',
    );
    const claims = await t.deps.db.selectFrom('benefit_claim').select('person_id').where('benefit_code', '=', 'esa').where('organisation_id', '=', org.id).execute();
    assert.deepEqual(claims.map((c) => c.person_id), [kept.personId]);
    for (const id of [kept.personId, duplicate.personId]) {
      const [audit] = await auditFor(id, 'person.merged');
      assert.deepEqual(audit.detail, { keptId: kept.personId, duplicateId: duplicate.personId, episodesMoved: 1 });
    }

    const redirected = await manager.browser.get(`/people/${duplicate.personId}`);
    assert.equal(redirected.statusCode, 302);
    assert.equal(redirected.headers.location, `/people/${kept.personId}`);
    const keptPage = await manager.browser.get(`/people/${kept.personId}`);
    assert.match(keptPage.body, /id="episodes"/);
    assert.equal((keptPage.body.match(/href="\/episodes\//g) ?? []).length, 2);
    const list = await manager.browser.get('/people?name=Kepth+Recorde');
    assert.doesNotMatch(list.body, new RegExp(`/people/${duplicate.personId}"`), 'merged records leave the list');
  });

  test('another organisation’s person, and a malformed id, are not found', async () => {
    const theirs = await insertPerson(otherOrg.id, { given_name: 'Other', family_name: 'Org' });
    for (const url of [`/people/${theirs}`, `/people/${theirs}/edit`, '/people/not-a-uuid', '/people/not-a-uuid/edit']) {
      const response = await practitioner.browser.get(url);
      assert.equal(response.statusCode, 404, url);
    }
    const reveal = await manager.browser.submit('/people', `/people/${theirs}/restricted`, {});
    assert.equal(reveal.statusCode, 404);
    assert.equal((await auditFor(theirs, 'person.viewed')).length, 0);
    const list = await practitioner.browser.get('/people?name=Other+Org');
    assert.doesNotMatch(list.body, new RegExp(theirs));
  });

  test('People is in the navigation for those who may view people, and not for a peer advisor', async () => {
    const home = await practitioner.browser.get('/people');
    assert.match(home.body, /class="govuk-service-navigation__link" href="\/people"/);
    const peer = await t.signedIn(org.id, 'peer_advisor');
    const refused = await peer.browser.get('/people');
    assert.equal(refused.statusCode, 403);
  });

  async function principalFor(userId: string, role: 'manager' | 'practitioner') {
    return directPrincipal({ id: org.id, name: 'People Org' }, role, { id: userId, displayName: 'Someone else', email: null });
  }
});
