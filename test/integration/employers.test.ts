import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`employers (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  let token: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Employers Org');
    otherOrg = await t.organisation('Other Employers Org');
    worker = await t.signedIn(org.id, 'practitioner');
    token = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  const db = () => t.deps.db;
  const employerRows = (organisationId: string) => db().selectFrom('employer').selectAll().where('organisation_id', '=', organisationId).execute();
  const auditFor = (subjectId: string, action: string) =>
    db().selectFrom('audit_event').selectAll().where('subject_id', '=', subjectId).where('action', '=', action).execute();

  async function employer(organisationId: string, values: Record<string, unknown> = {}): Promise<string> {
    const row = await db()
      .insertInto('employer')
      .values({ organisation_id: organisationId, name: 'Some Employer', ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  test('adding an employer saves every field, audits it and shows it on its page', async () => {
    const response = await worker.browser.submit('/employers/new', '/employers/new', {
      name: 'Harbour Kitchens',
      sector: 'hospitality',
      size: 'small',
      locations: 'Leeds, Bradford',
      jobTypes: ['elementary', 'caring_leisure_service'],
      workFeatures: ['evening_or_night_work'],
      openToConvictions: 'case_by_case',
      convictionsNote: 'Not for theft',
      placementsOffered: 'Two-week kitchen trial',
      note: 'Ask for Sam',
    });
    assert.equal(response.statusCode, 302);
    const id = /^\/employers\/([0-9a-f-]{36})\?done=created$/.exec(String(response.headers.location))?.[1];
    assert.ok(id, String(response.headers.location));
    const row = await db().selectFrom('employer').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.organisation_id, org.id);
    assert.deepEqual(row.job_types, ['elementary', 'caring_leisure_service']);
    assert.deepEqual(row.work_features, ['evening_or_night_work']);
    assert.equal(row.open_to_convictions, 'case_by_case');
    assert.equal(row.locations, 'Leeds, Bradford');
    const audits = await auditFor(id, 'employer.created');
    assert.equal(audits.length, 1);
    assert.equal(audits[0].subject_type, 'employer');

    const page = await worker.browser.get(`/employers/${id}?done=created`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Employer added/);
    assert.match(page.body, /Hospitality and catering/);
    assert.match(page.body, /Case by case/);
    assert.match(page.body, /9 Elementary occupations, 6 Caring, leisure and other service occupations/);
    assert.match(page.body, /Evening, night or early-morning shifts/);
  });

  test('an employer without a name is refused with an error and nothing is saved', async () => {
    const before = (await employerRows(org.id)).length;
    const response = await worker.browser.submit('/employers/new', '/employers/new', { name: '   ', sector: 'retail', locations: 'York' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#name">Enter the employer’s name/);
    assert.match(response.body, /value="York"|>York</, 'what was typed is kept');
    assert.equal((await employerRows(org.id)).length, before);
  });

  test('search by name, sector, area and openness; filters survive paging', async () => {
    const searchOrg = await t.organisation('Search Org');
    const searcher = await t.signedIn(searchOrg.id, 'practitioner');
    for (let n = 1; n <= 27; n += 1) {
      await employer(searchOrg.id, { name: `Paged Retailer ${String(n).padStart(2, '0')}`, sector_code: 'retail', locations: 'Sheffield', open_to_convictions: 'yes' });
    }
    await employer(searchOrg.id, { name: 'Paged Builder', sector_code: 'construction', locations: 'SHEFFIELD centre', open_to_convictions: 'yes' });
    await employer(searchOrg.id, { name: 'Closed Shop', sector_code: 'retail', locations: 'Hull', open_to_convictions: 'no' });

    const first = await searcher.browser.get('/employers?q=paged&sector=retail&area=sheffield&openness=yes');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Showing 1 to 25 of 27 employers/);
    assert.doesNotMatch(first.body, /Paged Builder/);
    assert.doesNotMatch(first.body, /Closed Shop/);
    assert.match(first.body, /href="\/employers\?q=paged&amp;sector=retail&amp;area=sheffield&amp;openness=yes&amp;page=2"/);
    const second = await searcher.browser.get('/employers?q=paged&sector=retail&area=sheffield&openness=yes&page=2');
    assert.match(second.body, /Showing 26 to 27 of 27 employers/);
    assert.match(second.body, /Paged Retailer 27/);

    const area = await searcher.browser.get('/employers?area=Sheffield%20CENTRE');
    assert.match(area.body, /Showing 1 to 1 of 1 employer\b/);
    assert.match(area.body, /Paged Builder/);
    const closed = await searcher.browser.get('/employers?openness=no');
    assert.match(closed.body, /Closed Shop/);
    assert.doesNotMatch(closed.body, /Paged Retailer/);
    const wildcard = await searcher.browser.get('/employers?q=%25');
    assert.match(wildcard.body, /No employers match/, 'a % in the search is a literal character, not a wildcard');
  });

  test('searching for a person warns about licence-condition conflicts and marks preferred job types', async () => {
    const { personId, episodeId } = await personWithEpisode(t, org.id, { givenName: 'Lena', familyName: 'Licence', keyWorkerId: worker.userId });
    await db()
      .insertInto('vocational_profile')
      .values({ organisation_id: org.id, person_id: personId, version: 1, preferred_job_types: ['elementary'], licence_conditions: ['curfew'] })
      .execute();
    await db()
      .insertInto('vocational_profile')
      .values({ organisation_id: org.id, person_id: personId, version: 2, preferred_job_types: ['skilled_trades'], licence_conditions: ['no_contact_children'] })
      .execute();
    const nursery = await employer(org.id, { name: 'Conflict Nursery Cafe', work_features: ['works_with_children', 'evening_or_night_work'], job_types: ['elementary'] });
    const joinery = await employer(org.id, { name: 'Conflict Joinery', work_features: ['driving'], job_types: ['skilled_trades'] });

    const page = await worker.browser.get(`/employers?q=conflict&forEpisode=${episodeId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Employers for Lena Licence<\/h1>/);
    const nurseryItem = page.body.slice(page.body.indexOf(`id="employer-${nursery}"`), page.body.indexOf(`id="employer-${joinery}"`) > page.body.indexOf(`id="employer-${nursery}"`) ? page.body.indexOf(`id="employer-${joinery}"`) : undefined);
    assert.match(nurseryItem, /Licence conflict: No unsupervised contact with children – Contact with children or young people/);
    assert.doesNotMatch(nurseryItem, /Curfew/, 'only the current profile’s conditions count');
    assert.doesNotMatch(nurseryItem, /Matches preferences/);
    const joineryItem = page.body.slice(page.body.indexOf(`id="employer-${joinery}"`));
    assert.match(joineryItem.slice(0, joineryItem.indexOf('</li>')), /Matches preferences/);
    assert.doesNotMatch(joineryItem.slice(0, joineryItem.indexOf('</li>')), /Licence conflict/);
    assert.match(page.body, /name="forEpisode" value="/, 'the search form keeps whose search it is');
    assert.equal((await auditFor(episodeId, 'employer.searched-for-episode')).length, 1);

    const plain = await worker.browser.get('/employers?q=conflict');
    assert.doesNotMatch(plain.body, /Licence conflict|Matches preferences/);

    const api = await t.app.inject({ method: 'GET', url: `/api/v1/employers?q=nursery&forEpisode=${episodeId}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 200);
    const body = api.json();
    assert.equal(body.total, 1);
    assert.deepEqual(body.items[0].warnings.map((w: { licenceCondition: string; workFeature: string }) => [w.licenceCondition, w.workFeature]), [['no_contact_children', 'works_with_children']]);

    const other = await personWithEpisode(t, otherOrg.id);
    assert.equal((await worker.browser.get(`/employers?forEpisode=${other.episodeId}`)).statusCode, 404);
    assert.equal((await worker.browser.get('/employers?forEpisode=not-a-uuid')).statusCode, 404);
  });

  test('changing an employer checks the version: a stale save is a 409 and changes nothing', async () => {
    const id = await employer(org.id, { name: 'Versioned Ltd', locations: 'Derby' });
    const saved = await worker.browser.submit(`/employers/${id}/edit`, `/employers/${id}/edit`, { name: 'Versioned Limited', locations: 'Derby', openToConvictions: 'yes', version: '1' });
    assert.equal(saved.statusCode, 302);
    assert.equal(saved.headers.location, `/employers/${id}?done=updated`);
    let row = await db().selectFrom('employer').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.name, 'Versioned Limited');
    assert.equal(row.version, 2);
    assert.equal(row.open_to_convictions, 'yes');
    const audits = await auditFor(id, 'employer.updated');
    assert.deepEqual(audits[0].detail, { changed: ['name', 'open_to_convictions'] });

    const stale = await worker.browser.submit(`/employers/${id}/edit`, `/employers/${id}/edit`, { name: 'Overwritten', version: '1' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This employer was changed by someone else/);
    assert.match(stale.body, /Versioned Limited/);
    row = await db().selectFrom('employer').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.name, 'Versioned Limited');
    assert.equal(row.version, 2);
  });

  test('an unknown, malformed or other organisation’s employer is not found, on pages and the API', async () => {
    const theirs = await employer(otherOrg.id, { name: 'Their Employer' });
    for (const url of [`/employers/${theirs}`, '/employers/0190a000-0000-7000-8000-000000000000', '/employers/nope', `/employers/${theirs}/edit`, `/employers/${theirs}/vacancies/new`]) {
      assert.equal((await worker.browser.get(url)).statusCode, 404, url);
    }
    const edit = await worker.browser.submit('/employers/new', `/employers/${theirs}/edit`, { name: 'Hijack', version: '1' });
    assert.equal(edit.statusCode, 404);
    assert.equal((await db().selectFrom('employer').select('name').where('id', '=', theirs).executeTakeFirstOrThrow()).name, 'Their Employer');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/employers/0190a000-0000-7000-8000-000000000000', headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 404);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('contact people: a bad email is refused and nothing saved; a good one is listed and audited', async () => {
    const id = await employer(org.id, { name: 'People Co' });
    const url = `/employers/${id}/people/new`;
    const bad = await worker.browser.submit(url, url, { name: 'Rita Reception', email: 'rita-at-example' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#email">Enter an email address in the correct format/);
    const missing = await worker.browser.submit(url, url, { name: '', email: 'x@example.org' });
    assert.match(missing.body, /href="#name">Enter the contact’s name/);
    assert.equal((await db().selectFrom('employer_person').selectAll().where('employer_id', '=', id).execute()).length, 0);

    const good = await worker.browser.submit(url, url, { name: 'Rita Reception', role: 'HR', phone: '0113 496 0000', email: 'rita@example.org' });
    assert.equal(good.headers.location, `/employers/${id}?done=person`);
    const page = await worker.browser.get(`/employers/${id}`);
    assert.match(page.body, /Rita Reception/);
    assert.match(page.body, /rita@example.org/);
    assert.equal((await auditFor(id, 'employer.person-added')).length, 1);
  });

  test('vacancies: negative hours or pay are refused; a vacancy is listed, and marking it filled asks first', async () => {
    const id = await employer(org.id, { name: 'Vacancy Co' });
    const url = `/employers/${id}/vacancies/new`;
    const fields = { kind: 'job', title: 'Warehouse operative', jobType: 'process_plant_machine', hoursPerWeek: '37.5', hourlyPay: '12.50', 'closesOn-day': '31', 'closesOn-month': '12', 'closesOn-year': '2026' };
    const hours = await worker.browser.submit(url, url, { ...fields, hoursPerWeek: '-4' });
    assert.equal(hours.statusCode, 400);
    assert.match(hours.body, /href="#hoursPerWeek">Hours a week must be a number more than 0 and no more than 100/);
    const pay = await worker.browser.submit(url, url, { ...fields, hourlyPay: '-1' });
    assert.equal(pay.statusCode, 400);
    assert.match(pay.body, /href="#hourlyPay">Hourly pay must be an amount from £0 to £1,000/);
    const noTitle = await worker.browser.submit(url, url, { ...fields, title: '', 'closesOn-day': '31', 'closesOn-month': '2' });
    assert.match(noTitle.body, /Enter the job title/);
    assert.match(noTitle.body, /Closing date must be a real date/);
    assert.equal((await db().selectFrom('vacancy').selectAll().where('employer_id', '=', id).execute()).length, 0);

    const saved = await worker.browser.submit(url, url, fields);
    assert.equal(saved.headers.location, `/employers/${id}?done=vacancy`);
    const vacancy = await db().selectFrom('vacancy').selectAll().where('employer_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Number(vacancy.hours_per_week), 37.5);
    assert.equal(Number(vacancy.hourly_pay), 12.5);
    assert.equal(vacancy.closes_on, '2026-12-31');
    const page = await worker.browser.get(`/employers/${id}`);
    assert.match(page.body, /Warehouse operative/);
    assert.match(page.body, /£12.50/);
    assert.match(page.body, /31 December 2026/);

    const filledUrl = `/employers/${id}/vacancies/${vacancy.id}/filled`;
    const ask = await worker.browser.get(filledUrl);
    assert.match(ask.body, /Mark “Warehouse operative” at Vacancy Co as filled\?/);
    assert.equal((await db().selectFrom('vacancy').select('filled').where('id', '=', vacancy.id).executeTakeFirstOrThrow()).filled, false);
    const done = await worker.browser.submit(filledUrl, filledUrl, {});
    assert.equal(done.headers.location, `/employers/${id}?done=filled`);
    assert.equal((await db().selectFrom('vacancy').select('filled').where('id', '=', vacancy.id).executeTakeFirstOrThrow()).filled, true);
    assert.equal((await auditFor(id, 'employer.vacancy-filled')).length, 1);

    const otherEmployer = await employer(org.id, { name: 'Not Its Employer' });
    assert.equal((await worker.browser.get(`/employers/${otherEmployer}/vacancies/${vacancy.id}/filled`)).statusCode, 404);
  });

  test('the API adds and reads employers with the same rules', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/employers',
      headers,
      payload: { name: 'Api Logistics', sector: 'warehousing_logistics', jobTypes: ['elementary'], openToConvictions: 'yes', locations: 'Wakefield' },
    });
    assert.equal(created.statusCode, 201);
    const employerJson = created.json();
    assert.equal(employerJson.name, 'Api Logistics');
    assert.equal(employerJson.version, 1);
    assert.equal((await auditFor(employerJson.id, 'employer.created')).length, 1);

    const blank = await t.app.inject({ method: 'POST', url: '/api/v1/employers', headers, payload: { name: '  ' } });
    assert.equal(blank.statusCode, 400);
    assert.deepEqual(blank.json().errors, [{ pointer: '/name', detail: 'Enter the employer’s name' }]);
    const badSector = await t.app.inject({ method: 'POST', url: '/api/v1/employers', headers, payload: { name: 'X', sector: 'space' } });
    assert.equal(badSector.statusCode, 400);
    assert.equal(badSector.json().errors[0].pointer, '/sector');

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/employers?area=wakefield&openness=yes', headers });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().items.map((item: { employer: { name: string } }) => item.employer.name), ['Api Logistics']);

    const details = await t.app.inject({ method: 'GET', url: `/api/v1/employers/${employerJson.id}`, headers });
    assert.equal(details.statusCode, 200);
    assert.deepEqual(details.json().vacancies, []);
  });
});
