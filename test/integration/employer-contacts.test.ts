import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { weeklyEmployerContacts } from '../../src/modules/employers/service.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

const FUTURE = new Date(Date.now() + 3 * 86_400_000);

describe(`employer contacts (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  let token: string;
  let employerId: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Contact Log Org');
    otherOrg = await t.organisation('Other Contact Log Org');
    worker = await t.signedIn(org.id, 'practitioner');
    token = await apiTokenFor(t, org.id, 'practitioner');
    employerId = await employer(org.id, { name: 'Log Employer' });
  });
  after(() => t.close());

  const db = () => t.deps.db;
  const contactsBy = (specialistId: string) => db().selectFrom('employer_contact').selectAll().where('specialist_id', '=', specialistId).execute();
  const participantCount = async (organisationId: string) =>
    (await db().selectFrom('employer_contact_participant').select('episode_id').where('organisation_id', '=', organisationId).execute()).length;

  async function employer(organisationId: string, values: Record<string, unknown> = {}): Promise<string> {
    const row = await db().insertInto('employer').values({ organisation_id: organisationId, name: 'Employer', ...values }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async function contact(specialistId: string, on: string, method: string, employer: string, episodeIds: string[] = [], organisationId = org.id) {
    const row = await db()
      .insertInto('employer_contact')
      .values({ organisation_id: organisationId, employer_id: employer, specialist_id: specialistId, occurred_on: on, method_code: method, purpose_code: 'follow_up' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const episodeId of episodeIds) {
      await db().insertInto('employer_contact_participant').values({ organisation_id: organisationId, employer_contact_id: row.id, episode_id: episodeId }).execute();
    }
    return row.id;
  }

  const form = (overrides: Record<string, string | string[]> = {}) => ({
    employerId,
    'date-day': '10',
    'date-month': '11',
    'date-year': '2026',
    method: 'face_to_face',
    purpose: 'presenting_candidate',
    note: 'Took CV in',
    ...overrides,
  });

  test('the form offers the user’s own open caseload, and prefills employer and person from the link', async () => {
    const mine = await personWithEpisode(t, org.id, { givenName: 'Mina', familyName: 'Mine', keyWorkerId: worker.userId });
    const exited = await personWithEpisode(t, org.id, { givenName: 'Ezra', familyName: 'Exited', keyWorkerId: worker.userId });
    await db().updateTable('episode').set({ exited_on: '2026-02-01' }).where('id', '=', exited.episodeId).execute();
    const colleague = await t.user(org.id, 'practitioner');
    await personWithEpisode(t, org.id, { givenName: 'Cora', familyName: 'Colleague', keyWorkerId: colleague.id });

    const page = await worker.browser.get('/employer-contacts/new');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Mina Mine/);
    assert.doesNotMatch(page.body, /Ezra Exited/);
    assert.doesNotMatch(page.body, /Cora Colleague/);
    for (const label of ['Face to face', 'Phone', 'Email', 'Presenting a candidate', 'In-work support']) assert.match(page.body, new RegExp(label));

    const prefilled = await worker.browser.get(`/employer-contacts/new?employer=${employerId}&episode=${mine.episodeId}`);
    assert.match(prefilled.body, new RegExp(`<option value="${employerId}" selected>Log Employer</option>`));
    assert.match(prefilled.body, new RegExp(`name="episodeIds" type="checkbox" value="${mine.episodeId}" checked`));
  });

  test('recording a contact writes it with its participants, audited on the employer and each episode', async () => {
    const a = await personWithEpisode(t, org.id, { givenName: 'Ada', familyName: 'Alpha', keyWorkerId: worker.userId });
    const b = await personWithEpisode(t, org.id, { givenName: 'Ben', familyName: 'Beta', keyWorkerId: worker.userId });
    const response = await worker.browser.submit('/employer-contacts/new', '/employer-contacts/new', form({ episodeIds: [a.episodeId, b.episodeId] }));
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/employer-contacts?done=recorded');
    const rows = await contactsBy(worker.userId);
    const saved = rows.find((row) => row.note === 'Took CV in');
    assert.ok(saved);
    assert.equal(saved.occurred_on, '2026-11-10');
    assert.equal(saved.method_code, 'face_to_face');
    const participants = await db().selectFrom('employer_contact_participant').select('episode_id').where('employer_contact_id', '=', saved.id).execute();
    assert.deepEqual(participants.map((p) => p.episode_id).sort(), [a.episodeId, b.episodeId].sort());
    const employerAudit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'employer.contact-recorded').where('subject_id', '=', employerId).execute();
    assert.equal(employerAudit.length, 1);
    assert.equal(employerAudit[0].subject_type, 'employer');
    for (const episodeId of [a.episodeId, b.episodeId]) {
      const onEpisode = await db().selectFrom('audit_event').selectAll().where('action', '=', 'employer.contact-on-behalf').where('subject_id', '=', episodeId).execute();
      assert.equal(onEpisode.length, 1);
      assert.equal(onEpisode[0].subject_type, 'episode');
    }

    const list = await worker.browser.get('/employer-contacts?done=recorded');
    assert.match(list.body, /Employer contact recorded/);
    assert.match(list.body, /Your employer contacts/);
    assert.match(list.body, /Ada Alpha<\/a>, <a class="govuk-link" href="\/episodes\/[0-9a-f-]+">Ben Beta/);
    assert.match(list.body, /10 November 2026/);
  });

  test('a future date, an unknown employer or another organisation’s episode is refused and nothing is written', async () => {
    const before = (await contactsBy(worker.userId)).length;
    const participantsBefore = await participantCount(org.id);
    const future = await worker.browser.submit(
      '/employer-contacts/new',
      '/employer-contacts/new',
      form({ 'date-day': String(FUTURE.getUTCDate()), 'date-month': String(FUTURE.getUTCMonth() + 1), 'date-year': String(FUTURE.getUTCFullYear()) }),
    );
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /href="#date-day">The date of the contact must be today or in the past/);

    const unknown = await worker.browser.submit('/employer-contacts/new', '/employer-contacts/new', form({ employerId: '0190a000-0000-7000-8000-000000000000' }));
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /href="#employerId">No employer with this id was found in your organisation/);
    const theirEmployer = await employer(otherOrg.id, { name: 'Their Employer' });
    const theirs = await worker.browser.submit('/employer-contacts/new', '/employer-contacts/new', form({ employerId: theirEmployer }));
    assert.equal(theirs.statusCode, 400);

    const outsider = await personWithEpisode(t, otherOrg.id);
    const mine = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId });
    const cross = await worker.browser.submit('/employer-contacts/new', '/employer-contacts/new', form({ episodeIds: [mine.episodeId, outsider.episodeId] }));
    assert.equal(cross.statusCode, 400);
    assert.match(cross.body, /Each person the contact was on behalf of must be someone your organisation supports/);

    const missing = await worker.browser.submit('/employer-contacts/new', '/employer-contacts/new', { employerId: '', method: '', purpose: '' });
    assert.match(missing.body, /Select the employer/);
    assert.match(missing.body, /Select how you contacted the employer/);
    assert.match(missing.body, /Enter the date of the contact/);

    assert.equal((await contactsBy(worker.userId)).length, before);
    assert.equal(await participantCount(org.id), participantsBefore);
  });

  test('the API records contacts with the same rules, naming the field at fault', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const person = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId });
    const outsider = await personWithEpisode(t, otherOrg.id);
    const body = { employerId, occurredOn: '2026-11-02', method: 'phone', purpose: 'follow_up', episodeIds: [person.episodeId], specialistId: worker.userId };
    const before = (await contactsBy(worker.userId)).length;
    const participantsBefore = await participantCount(org.id);

    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/employer-contacts', headers, payload: { ...body, employerId: '0190a000-0000-7000-8000-000000000000' } });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(unknown.json().errors, [{ pointer: '/employerId', detail: 'No employer with this id was found in your organisation' }]);
    const cross = await t.app.inject({ method: 'POST', url: '/api/v1/employer-contacts', headers, payload: { ...body, episodeIds: [person.episodeId, outsider.episodeId] } });
    assert.equal(cross.statusCode, 400);
    assert.equal(cross.json().errors[0].pointer, '/episodeIds');
    const future = await t.app.inject({ method: 'POST', url: '/api/v1/employer-contacts', headers, payload: { ...body, occurredOn: FUTURE.toISOString().slice(0, 10) } });
    assert.equal(future.statusCode, 400);
    assert.equal(future.json().errors[0].pointer, '/occurredOn');
    const noSpecialist = await t.app.inject({ method: 'POST', url: '/api/v1/employer-contacts', headers, payload: { ...body, specialistId: undefined } });
    assert.equal(noSpecialist.statusCode, 400);
    assert.equal(noSpecialist.json().errors[0].pointer, '/specialistId');
    assert.equal((await contactsBy(worker.userId)).length, before);
    assert.equal(await participantCount(org.id), participantsBefore);

    const created = await t.app.inject({ method: 'POST', url: '/api/v1/employer-contacts', headers, payload: body });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json().episodeIds, [person.episodeId]);
    assert.equal((await contactsBy(worker.userId)).length, before + 1);
  });

  test('the log shows the user’s own contacts; a manager may choose a specialist, a practitioner may not', async () => {
    const logOrg = await t.organisation('Log Choice Org');
    const ann = await t.signedIn(logOrg.id, 'practitioner');
    const bob = await t.signedIn(logOrg.id, 'practitioner');
    const manager = await t.signedIn(logOrg.id, 'manager');
    const place = await employer(logOrg.id, { name: 'Choice Employer' });
    await contact(ann.userId, '2026-11-02', 'face_to_face', place, [], logOrg.id);
    await contact(ann.userId, '2026-11-16', 'email', place, [], logOrg.id);
    await contact(bob.userId, '2026-11-03', 'phone', place, [], logOrg.id);

    const own = await ann.browser.get('/employer-contacts');
    assert.match(own.body, /Showing 1 to 2 of 2 contacts/);
    const week = await ann.browser.get('/employer-contacts?week=2026-11-04');
    assert.match(week.body, /Week of Monday 2 November 2026/);
    assert.match(week.body, /Showing 1 to 1 of 1 contact\b/);
    assert.equal((await ann.browser.get(`/employer-contacts?specialist=${bob.userId}`)).statusCode, 403);

    const managed = await manager.browser.get(`/employer-contacts?specialist=${bob.userId}`);
    assert.equal(managed.statusCode, 200);
    assert.match(managed.body, /Employer contacts: Test practitioner/);
    assert.match(managed.body, /Showing 1 to 1 of 1 contact\b/);
    assert.match(managed.body, /3 November 2026/);
    const outsider = await t.user(otherOrg.id, 'practitioner');
    assert.equal((await manager.browser.get(`/employer-contacts?specialist=${outsider.id}`)).statusCode, 404);
  });

  test('weeklyEmployerContacts counts contacts, face-to-face against 6 and preference matches per Monday-to-Sunday week', async () => {
    const weeklyOrg = await t.organisation('Weekly Org');
    const specialist = await t.user(weeklyOrg.id, 'practitioner');
    const colleague = await t.user(weeklyOrg.id, 'practitioner');
    const withProfile = async (name: string) => personWithEpisode(t, weeklyOrg.id, { givenName: name, keyWorkerId: specialist.id });
    const a = await withProfile('Ann');
    const b = await withProfile('Bea');
    const c = await withProfile('Cal');
    const addProfile = (personId: string, version: number, preferred: string[]) =>
      db().insertInto('vocational_profile').values({ organisation_id: weeklyOrg.id, person_id: personId, version, preferred_job_types: preferred }).execute();
    await addProfile(a.personId, 1, ['skilled_trades']);
    await addProfile(b.personId, 1, ['elementary']);
    await addProfile(b.personId, 2, ['sales_customer_service']); // current: Bea no longer wants elementary work
    // Cal has no profile.
    const trades = await employer(weeklyOrg.id, { name: 'Trades', job_types: ['skilled_trades', 'elementary'] });
    const shop = await employer(weeklyOrg.id, { name: 'Shop', job_types: ['sales_customer_service'] });
    const blank = await employer(weeklyOrg.id, { name: 'Blank', job_types: [] });
    const log = (on: string, method: string, place: string, people: string[], who = specialist.id) => contact(who, on, method, place, people, weeklyOrg.id);

    // Week of Monday 2 March 2026.
    await log('2026-03-02', 'face_to_face', trades, [a.episodeId]); // matches: Ann prefers skilled trades
    await log('2026-03-03', 'face_to_face', trades, [b.episodeId]); // no: Bea's current profile prefers sales
    await log('2026-03-04', 'face_to_face', shop, [b.episodeId, c.episodeId]); // matches through Bea
    await log('2026-03-05', 'face_to_face', blank, [a.episodeId]); // no: the employer offers no job types
    await log('2026-03-06', 'face_to_face', trades, []); // no: on no one's behalf
    await log('2026-03-08', 'face_to_face', trades, [c.episodeId]); // Sunday, same week; no: Cal has no profile
    await log('2026-03-07', 'phone', trades, [a.episodeId]); // matches
    // Week of 9 March.
    await log('2026-03-09', 'face_to_face', shop, [a.episodeId]); // no
    await log('2026-03-15', 'email', trades, [a.episodeId]); // Sunday; matches
    // Not counted: the Sunday before the first week, and a colleague's contact.
    await log('2026-03-01', 'face_to_face', trades, [a.episodeId]);
    await log('2026-03-03', 'face_to_face', trades, [a.episodeId], colleague.id);

    const weeks = await weeklyEmployerContacts(db(), weeklyOrg.id, specialist.id, '2026-03-02', '2026-03-16');
    assert.deepEqual(weeks, [
      // 7 contacts, 6 face to face (meets the standard of 6), 3 matching: 3/7.
      { weekStart: '2026-03-02', contacts: 7, faceToFace: 6, matchingPreferences: 3, meetsStandard: true, matchingShare: 3 / 7 },
      // 2 contacts, 1 face to face, 1 matching: 1/2.
      { weekStart: '2026-03-09', contacts: 2, faceToFace: 1, matchingPreferences: 1, meetsStandard: false, matchingShare: 0.5 },
      { weekStart: '2026-03-16', contacts: 0, faceToFace: 0, matchingPreferences: 0, meetsStandard: false, matchingShare: null },
    ]);
    const midweek = await weeklyEmployerContacts(db(), weeklyOrg.id, specialist.id, '2026-03-04', '2026-03-04');
    assert.equal(midweek[0].weekStart, '2026-03-02', 'a date mid-week is read as its Monday');
    assert.equal(midweek[0].contacts, 7);
    assert.deepEqual(await weeklyEmployerContacts(db(), otherOrg.id, specialist.id, '2026-03-02', '2026-03-02'), [
      { weekStart: '2026-03-02', contacts: 0, faceToFace: 0, matchingPreferences: 0, meetsStandard: false, matchingShare: null },
    ]);

    const headers = { authorization: `Bearer ${await apiTokenFor(t, weeklyOrg.id, 'manager')}` };
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/employer-contacts/weekly?specialistId=${specialist.id}&from=2026-03-04&to=2026-03-10`, headers });
    assert.equal(api.statusCode, 200);
    const json = api.json();
    assert.equal(json.from, '2026-03-02');
    assert.equal(json.to, '2026-03-09');
    assert.equal(json.standard, 6);
    assert.deepEqual(json.weeks.map((w: { faceToFace: number; meetsStandard: boolean }) => [w.faceToFace, w.meetsStandard]), [[6, true], [1, false]]);
    const backwards = await t.app.inject({ method: 'GET', url: `/api/v1/employer-contacts/weekly?specialistId=${specialist.id}&from=2026-03-10&to=2026-03-02`, headers });
    assert.equal(backwards.statusCode, 400);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/employer-contacts/weekly?specialistId=0190a000-0000-7000-8000-000000000000', headers });
    assert.equal(unknown.statusCode, 404);
  });

  test('the weekly page shows the last 12 weeks with met and not met against the standard', async () => {
    const weekOrg = await t.organisation('Weekly Page Org');
    const me = await t.signedIn(weekOrg.id, 'practitioner');
    const place = await employer(weekOrg.id, { name: 'Weekly Place' });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = new Date(Date.parse(`${today}T00:00:00Z`) - weekday * 86_400_000).toISOString().slice(0, 10);
    for (let n = 0; n < 6; n += 1) await contact(me.userId, monday, 'face_to_face', place, [], weekOrg.id);
    const page = await me.browser.get('/employer-contacts/weekly');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Your employer contacts by week/);
    assert.equal((page.body.match(/<tr class="govuk-table__row" id="week-/g) ?? []).length, 12);
    const thisWeek = page.body.slice(page.body.indexOf(`id="week-${monday}"`));
    assert.match(thisWeek.slice(0, thisWeek.indexOf('</tr>')), /Met/);
    assert.match(page.body, /Not met/);
  });
});
