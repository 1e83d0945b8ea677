import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';
import { dateFields, shift, today } from '../support/dates.ts';


/** A first profile as the form sends it: two work rows (one blank), three qualification rows (two blank). */
function firstProfile(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    basedOnVersion: '0',
    workRows: '2',
    qualificationRows: '3',
    preferredJobTypes: ['skilled_trades', 'elementary'],
    preferredHours: 'Full time, days',
    'work-0-employer': 'Cash in hand',
    'work-0-role': 'Labourer',
    ...dateFields('work-0-startedOn', '2018-03-01'),
    ...dateFields('work-0-endedOn', '2019-06-30'),
    'work-0-informal': 'yes',
    'work-0-howEnded': 'Site closed',
    'qualification-0-kind': 'cscs_card',
    'qualification-0-title': 'Green labourer card',
    convictionDetails: 'Burglary 2019, spent 2026',
    disclosureDecision: 'will_disclose',
    disclosurePlan: 'Tell at interview with a disclosure letter',
    ...dateFields('disclosureReviewedOn', shift(today(), -120)),
    licenceConditions: ['curfew'],
    identityDocuments: ['passport', 'ni_number'],
    ...overrides,
  };
}

describe(`vocational profile (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string };
  let otherOrg: { id: string };
  let worker: { browser: Browser; userId: string };
  let token: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Profile Org');
    otherOrg = await t.organisation('Other Profile Org');
    worker = await t.signedIn(org.id, 'practitioner');
    token = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  const versionsOf = (personId: string) =>
    t.deps.db.selectFrom('vocational_profile').selectAll().where('person_id', '=', personId).orderBy('version').execute();
  const audits = (personId: string) => t.deps.db.selectFrom('audit_event').select(['action', 'detail']).where('subject_id', '=', personId).execute();
  const edit = (personId: string, fields: Record<string, string | string[]>) => {
    const url = `/people/${personId}/vocational-profile/edit`;
    return worker.browser.submit(url, url, fields);
  };

  test('starting a profile saves version 1, ignores blank rows, and shows each section', async () => {
    const { personId } = await personWithEpisode(t, org.id, { givenName: 'Vic', familyName: 'Vocation' });
    const empty = await worker.browser.get(`/people/${personId}/vocational-profile`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No vocational profile has been started/);
    const form = await worker.browser.get(`/people/${personId}/vocational-profile/edit`);
    assert.match(form.body, /Start the vocational profile/);
    assert.match(form.body, /name="workRows" value="2"/);

    const saved = await edit(personId, firstProfile());
    assert.equal(saved.statusCode, 302);
    assert.equal(saved.headers.location, `/people/${personId}/vocational-profile?saved=1`);
    const [row] = await versionsOf(personId);
    assert.equal(row.version, 1);
    assert.equal(row.recorded_by, worker.userId);
    assert.deepEqual(row.work_history, [
      { employer: 'Cash in hand', role: 'Labourer', startedOn: '2018-03-01', endedOn: '2019-06-30', informal: true, howEnded: 'Site closed' },
    ]);
    assert.deepEqual(row.qualifications, [{ kindCode: 'cscs_card', title: 'Green labourer card', obtainedOn: null, expiresOn: null }]);
    assert.deepEqual(row.preferred_job_types, ['skilled_trades', 'elementary']);
    assert.deepEqual(row.licence_conditions, ['curfew']);

    const page = await worker.browser.get(`/people/${personId}/vocational-profile?saved=1`);
    assert.match(page.body, /Vocational profile saved as version 1/);
    for (const text of [
      'Goals and preferences',
      '5 Skilled trades occupations',
      'Informal or cash in hand',
      'Site closed',
      'Construction site card \\(CSCS\\)',
      'Burglary 2019, spent 2026',
      'Will disclose',
      'Due for review',
      'Curfew',
      'National Insurance number',
    ]) {
      assert.match(page.body, new RegExp(text), text);
    }
    assert.match(page.body, /id="versions"[\s\S]*\/vocational-profile\/versions\/1/);
    const actions = (await audits(personId)).map((event) => event.action);
    assert.ok(actions.includes('vocational-profile.saved'));
    assert.ok(actions.includes('vocational-profile.viewed'), 'viewing, conviction details included, is audited');
  });

  test('each save adds a version (never an update) and the version page shows what changed', async () => {
    const { personId } = await personWithEpisode(t, org.id);
    await edit(personId, firstProfile());
    const second = await edit(personId, firstProfile({ basedOnVersion: '1', preferredHours: 'Part time', disclosureDecision: 'undecided' }));
    assert.equal(second.headers.location, `/people/${personId}/vocational-profile?saved=2`);
    const rows = await versionsOf(personId);
    assert.deepEqual(rows.map((row) => [row.version, row.preferred_hours]), [[1, 'Full time, days'], [2, 'Part time']]);

    const page = await worker.browser.get(`/people/${personId}/vocational-profile/versions/2`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /What changed from version 1/);
    assert.match(page.body, /<th scope="row" class="govuk-table__header">Hours<\/th>\s*<td[^>]*>Full time, days<\/td>\s*<td[^>]*>Part time<\/td>/);
    assert.match(page.body, /Disclosure decision[\s\S]*Will disclose[\s\S]*Not decided yet/);
    assert.doesNotMatch(page.body, /<th scope="row" class="govuk-table__header">Skills<\/th>/, 'unchanged fields are not listed');
    assert.equal((await worker.browser.get(`/people/${personId}/vocational-profile/versions/3`)).statusCode, 404);
    assert.equal((await worker.browser.get(`/people/${personId}/vocational-profile/versions/abc`)).statusCode, 404);
    const events = await audits(personId);
    const saved = events.filter((event) => event.action === 'vocational-profile.saved').at(-1);
    assert.ok(saved);
    assert.deepEqual((saved.detail as { changed: string[] }).changed, ['Hours', 'Disclosure decision']);
    assert.ok(events.some((event) => event.action === 'vocational-profile.version-viewed'));
  });

  test('a save based on a stale version gets the conflict page and writes nothing', async () => {
    const { personId } = await personWithEpisode(t, org.id);
    await edit(personId, firstProfile());
    await edit(personId, firstProfile({ basedOnVersion: '1', skills: 'Bricklaying' }));
    const stale = await edit(personId, firstProfile({ basedOnVersion: '1', skills: 'Overwritten?' }));
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /changed by someone else/);
    assert.match(stale.body, /now at version 2/);
    const rows = await versionsOf(personId);
    assert.equal(rows.length, 2);
    assert.equal(rows[1].skills, 'Bricklaying');
    const fresh = await edit(personId, firstProfile({ basedOnVersion: '0' }));
    assert.equal(fresh.statusCode, 409, 'starting again over an existing profile is stale too');
    assert.equal((await versionsOf(personId)).length, 2);
  });

  test('bad rows, impossible dates and unknown codes are refused, and nothing is saved', async () => {
    const { personId } = await personWithEpisode(t, org.id);
    const bad = await edit(
      personId,
      firstProfile({
        'work-1-role': 'Cleaner',
        'qualification-1-title': 'Something',
        'qualification-2-kind': 'wizard_licence',
        'work-0-endedOn-year': '2017',
        'disclosureReviewedOn-day': '31',
        'disclosureReviewedOn-month': '2',
        'disclosureReviewedOn-year': '2026',
        licenceConditions: ['curfew', 'no_such_condition'],
      }),
    );
    assert.equal(bad.statusCode, 400);
    for (const message of [
      'Job 1: the end date must be on or after the start date',
      'Job 2: enter the employer',
      'Qualification 2: select what kind it is',
      'Qualification 3: select a kind from the list',
      'The date the disclosure plan was last reviewed must be a real date',
      'Select licence conditions from the list',
    ]) {
      assert.match(bad.body, new RegExp(message), message);
    }
    assert.match(bad.body, /href="#work-1-employer"/);
    assert.match(bad.body, /value="Cleaner"/, 'what was typed is shown again');
    assert.equal((await versionsOf(personId)).length, 0);

    const future = await edit(personId, firstProfile({ ...dateFields('disclosureReviewedOn', shift(today(), 5)) }));
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /last reviewed must be today or in the past/);
    assert.equal((await versionsOf(personId)).length, 0);
  });

  test("another organisation's person, or a malformed id, is not found", async () => {
    const elsewhere = await personWithEpisode(t, otherOrg.id);
    for (const personId of [elsewhere.personId, 'not-a-uuid']) {
      assert.equal((await worker.browser.get(`/people/${personId}/vocational-profile`)).statusCode, 404);
      assert.equal((await worker.browser.get(`/people/${personId}/vocational-profile/edit`)).statusCode, 404);
    }
    const mine = await personWithEpisode(t, org.id);
    const posted = await worker.browser.submit(`/people/${mine.personId}/vocational-profile/edit`, `/people/${elsewhere.personId}/vocational-profile/edit`, firstProfile());
    assert.equal(posted.statusCode, 404);
    assert.equal((await versionsOf(elsewhere.personId)).length, 0);
  });

  test('the API reads the current profile with its versions and saves whole profiles, refusing a stale one', async () => {
    const { personId } = await personWithEpisode(t, org.id);
    const api = (method: 'GET' | 'PUT', payload?: Record<string, unknown>) =>
      t.app.inject({ method, url: `/api/v1/people/${personId}/vocational-profile`, headers: { authorization: `Bearer ${token}` }, payload });
    assert.equal((await api('GET')).statusCode, 404);

    const body = {
      basedOnVersion: 0,
      preferredJobTypes: ['elementary'],
      workHistory: [{ employer: 'Warehouse Ltd', role: 'Picker', startedOn: '2020-01-06', endedOn: '2020-12-18', informal: false, howEnded: 'Contract ended' }],
      qualifications: [{ kind: 'forklift_licence', title: 'Counterbalance' }],
      licenceConditions: ['no_internet'],
      disclosureReviewedOn: today(),
    };
    const created = await api('PUT', body);
    assert.equal(created.statusCode, 200, created.body);
    assert.equal(created.json().current.version, 1);
    assert.equal(created.json().current.disclosureReviewDue, false);
    assert.deepEqual(created.json().current.qualifications, [{ kind: 'forklift_licence', title: 'Counterbalance', obtainedOn: null, expiresOn: null }]);

    const updated = await api('PUT', { ...body, basedOnVersion: 1, skills: 'Stock control' });
    assert.equal(updated.statusCode, 200);
    assert.deepEqual(updated.json().versions.map((row: { version: number }) => row.version), [2, 1]);

    const stale = await api('PUT', { ...body, basedOnVersion: 1, skills: 'Lost update' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.headers['content-type'] as string, /problem\+json/);
    const badRow = await api('PUT', { ...body, basedOnVersion: 2, workHistory: [{ employer: '', role: 'Picker', startedOn: '2020-02-30' }] });
    assert.equal(badRow.statusCode, 400);
    assert.equal((await versionsOf(personId)).length, 2);

    const read = await api('GET');
    assert.equal(read.json().current.version, 2);
    assert.equal(read.json().current.skills, 'Stock control');
    const elsewhere = await personWithEpisode(t, otherOrg.id);
    const cross = await t.app.inject({ method: 'GET', url: `/api/v1/people/${elsewhere.personId}/vocational-profile`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(cross.statusCode, 404);
  });
});
