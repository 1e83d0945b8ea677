/**
 * Concurrency: two people editing the same record, and many contacts saved
 * at once on one episode. On PGlite the requests queue behind its single
 * connection; on PostgreSQL (the second pass of `npm test`) they really run
 * side by side, which is where a missing lock or version check would show.
 *
 * Each stale save must get the conflict page (or a 409 problem) and leave
 * the first save's values in place. Parallel contact entry must store every
 * acknowledged contact, and leave the episode's derived stage dates exactly
 * what a recompute from scratch gives.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { recomputeEpisodes } from '../../src/modules/engagement/service.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { episodeRow, personWithEpisode } from '../support/journey.ts';

const PARALLEL_CONTACTS = 20;

/** The value of a hidden input on a form page, as the browser would send it back. */
function hidden(page: LightMyRequestResponse, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)?.[1];
  if (value === undefined) throw new Error(`No ${name} field on the page (status ${page.statusCode})`);
  return value;
}

/** Posts a form the browser already loaded, with the CSRF token from that load: what a second tab does. */
function post(browser: Browser, page: LightMyRequestResponse, url: string, fields: Record<string, string>) {
  return browser.request({ method: 'POST', url, form: { _csrf: hidden(page, '_csrf'), ...fields } });
}

function contactForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'date-day': '1',
    'date-month': '7',
    'date-year': '2026',
    time: '14:30',
    type: 'face_to_face',
    setting: 'community',
    with: 'person',
    attended: 'yes',
    durationMinutes: '45',
    note: 'First note',
    pathway: 'education_skills_work',
    ...overrides,
  };
}

describe(`concurrency (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let first: { browser: Browser; userId: string };
  let second: { browser: Browser; userId: string };
  let employerId: string;
  const figures = { requests: 0, acknowledged: 0, stored: 0, conflicts: 0 };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Concurrency Org');
    first = await t.signedIn(org.id, 'practitioner');
    second = await t.signedIn(org.id, 'manager');
    employerId = (await t.deps.db.insertInto('employer').values({ organisation_id: org.id, name: 'Harbour Kitchens' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(async () => {
    console.log(
      `concurrency (${databaseLabel()}): requests ${figures.requests}, acknowledged ${figures.acknowledged}, stored ${figures.stored}, conflicts seen ${figures.conflicts}`,
    );
    await t.close();
  });

  /** Counts a stale answer for the summary line and checks it is the conflict, not an error or a save. */
  function expectConflict(response: LightMyRequestResponse, words: RegExp) {
    assert.equal(response.statusCode, 409, response.body.slice(0, 500));
    assert.match(response.body, words);
    figures.conflicts += 1;
  }

  const auditCount = async (subjectId: string, action: string) =>
    (await t.deps.db.selectFrom('audit_event').select('id').where('subject_id', '=', subjectId).where('action', '=', action).execute()).length;

  test('a person record: both load the edit form, the first saves, the second gets the conflict page', async () => {
    const { personId } = await personWithEpisode(t, org.id, { givenName: 'Ada', familyName: 'Original' });
    const url = `/people/${personId}/edit`;
    const firstForm = await first.browser.get(url);
    const secondForm = await second.browser.get(url);
    assert.equal(hidden(firstForm, 'version'), '1');
    assert.equal(hidden(secondForm, 'version'), '1');

    const saved = await post(first.browser, firstForm, url, { version: '1', givenName: 'Ada', familyName: 'FirstSave' });
    assert.equal(saved.statusCode, 302, saved.body);
    const stale = await post(second.browser, secondForm, url, { version: '1', givenName: 'Ada', familyName: 'SecondSave' });
    expectConflict(stale, /This record was changed by someone else/);
    assert.match(stale.body, /<h1[^>]*>[\s\S]*?<\/h1>/);

    const row = await t.deps.db.selectFrom('person').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(row.family_name, 'FirstSave');
    assert.equal(row.version, 2);
    assert.equal(await auditCount(personId, 'person.updated'), 1, 'the refused save writes no audit row of a change');
  });

  test('a person record: two saves of the same version sent at once, exactly one wins', async () => {
    const { personId } = await personWithEpisode(t, org.id, { givenName: 'Bo', familyName: 'Original' });
    const url = `/people/${personId}/edit`;
    const [firstForm, secondForm] = [await first.browser.get(url), await second.browser.get(url)];
    const answers = await Promise.all([
      post(first.browser, firstForm, url, { version: '1', givenName: 'Bo', familyName: 'Left' }),
      post(second.browser, secondForm, url, { version: '1', givenName: 'Bo', familyName: 'Right' }),
    ]);
    const statuses = answers.map((answer) => answer.statusCode).sort();
    assert.deepEqual(statuses, [302, 409]);
    const loser = answers.find((answer) => answer.statusCode === 409)!;
    expectConflict(loser, /This record was changed by someone else/);
    const winner = answers[0].statusCode === 302 ? 'Left' : 'Right';
    const row = await t.deps.db.selectFrom('person').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(row.family_name, winner);
    assert.equal(row.version, 2);
  });

  test('a contact: the stale edit shows the conflict page and keeps the first save and one revision', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const created = await first.browser.submit(`/episodes/${episodeId}/contacts/new`, `/episodes/${episodeId}/contacts/new`, contactForm());
    assert.equal(created.statusCode, 302, created.body);
    const contact = await t.deps.db.selectFrom('contact').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    const url = `/episodes/${episodeId}/contacts/${contact.id}/edit`;
    const firstForm = await first.browser.get(url);
    const secondForm = await second.browser.get(url);

    const saved = await post(first.browser, firstForm, url, contactForm({ version: hidden(firstForm, 'version'), note: 'First save' }));
    assert.equal(saved.statusCode, 302, saved.body);
    const stale = await post(second.browser, secondForm, url, contactForm({ version: hidden(secondForm, 'version'), note: 'Second save', setting: 'prison' }));
    expectConflict(stale, /This contact was changed by someone else/);

    const row = await t.deps.db.selectFrom('contact').selectAll().where('id', '=', contact.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.note, row.setting_code, row.version], ['First save', 'community', 2]);
    const revisions = await t.deps.db.selectFrom('contact_revision').select('id').where('contact_id', '=', contact.id).execute();
    assert.equal(revisions.length, 1);
    const episode = await episodeRow(t, episodeId);
    assert.equal(episode.met_in_custody_on, null, 'the refused prison setting did not reach the derived dates');
  });

  test('an episode’s custody details: the stale save gets the conflict page and overwrites nothing', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/custody/details`;
    const details = (area: string) => ({
      statusCode: 'sentenced',
      sentenceYears: '',
      sentenceMonths: '6',
      sentenceDays: '',
      expectedReleaseArea: area,
      releaseAddressStatus: 'unknown',
      releaseAddress: '',
      localAuthority: '',
    });
    const firstForm = await first.browser.get(url);
    const secondForm = await second.browser.get(url);
    const versions = (page: LightMyRequestResponse) => ({ episodeVersion: hidden(page, 'episodeVersion'), spellVersion: hidden(page, 'spellVersion') });

    const saved = await post(first.browser, firstForm, url, { ...versions(firstForm), ...details('Bradford') });
    assert.equal(saved.statusCode, 302, saved.body);
    const stale = await post(second.browser, secondForm, url, { ...versions(secondForm), ...details('Hull') });
    expectConflict(stale, /changed by someone else/);

    const episode = await episodeRow(t, episodeId);
    assert.equal(episode.expected_release_area, 'Bradford');
    assert.equal(episode.version, 2);
    const spells = await t.deps.db.selectFrom('custody_spell').select('id').where('episode_id', '=', episodeId).execute();
    assert.equal(spells.length, 1, 'the stale save did not add a second custody spell');
  });

  test('a job: the stale edit shows the conflict page with the current values', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const job = (title: string) => ({
      employerId,
      title,
      jobType: 'skilled_trades',
      'startsOn-day': '1',
      'startsOn-month': '6',
      'startsOn-year': '2025',
      'countedStartOn-day': '',
      'countedStartOn-month': '',
      'countedStartOn-year': '',
      hoursPerWeek: '30',
      hourlyPay: '12.21',
      permanent: 'permanent',
      selfEmployed: 'employed',
      openToAnyone: 'yes',
    });
    const created = await first.browser.submit(`/episodes/${episodeId}/jobs/new`, `/episodes/${episodeId}/jobs/new`, job('Cook'));
    assert.equal(created.statusCode, 302, created.body);
    const { id: jobId } = await t.deps.db.selectFrom('job').select('id').where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    const url = `/episodes/${episodeId}/jobs/${jobId}/edit`;
    const firstForm = await first.browser.get(url);
    const secondForm = await second.browser.get(url);

    const saved = await post(first.browser, firstForm, url, { ...job('Head cook'), version: hidden(firstForm, 'version') });
    assert.equal(saved.statusCode, 302, saved.body);
    const stale = await post(second.browser, secondForm, url, { ...job('Kitchen porter'), version: hidden(secondForm, 'version') });
    expectConflict(stale, /This job was changed by someone else/);
    assert.match(stale.body, /Head cook/, 'the conflict page shows what is there now');

    const row = await t.deps.db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    assert.deepEqual([row.title, row.version], ['Head cook', 2]);
  });

  test('a job through the API: a stale version is a 409 problem, and of two saves sent at once one wins', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const tokens = [await apiTokenFor(t, org.id, 'practitioner'), await apiTokenFor(t, org.id, 'manager')];
    const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    const body = (title: string, version?: number) => ({
      employerId,
      title,
      jobType: 'skilled_trades',
      startsOn: '2025-06-01',
      hoursPerWeek: 30,
      hourlyPay: 12.21,
      permanent: true,
      openToAnyone: true,
      ...(version === undefined ? {} : { version }),
    });
    const created = await call(tokens[0], 'POST', `/api/v1/episodes/${episodeId}/jobs`, body('Cook'));
    assert.equal(created.statusCode, 201, created.body);
    const jobUrl = `/api/v1/episodes/${episodeId}/jobs/${created.json().job.id}`;
    const readVersion = async (token: string) => (await call(token, 'GET', `/api/v1/episodes/${episodeId}/jobs`)).json().items[0].version as number;

    const [firstRead, secondRead] = [await readVersion(tokens[0]), await readVersion(tokens[1])];
    assert.equal((await call(tokens[0], 'PUT', jobUrl, body('Sous chef', firstRead))).statusCode, 200);
    const stale = await call(tokens[1], 'PUT', jobUrl, body('Porter', secondRead));
    expectConflict(stale, /This job was changed by someone else/);
    assert.equal(stale.headers['content-type'], 'application/problem+json; charset=utf-8');
    const jobRow = () => t.deps.db.selectFrom('job').selectAll().where('id', '=', created.json().job.id).executeTakeFirstOrThrow();
    assert.equal((await jobRow()).title, 'Sous chef');

    const version = await readVersion(tokens[0]);
    const race = await Promise.all([call(tokens[0], 'PUT', jobUrl, body('Left', version)), call(tokens[1], 'PUT', jobUrl, body('Right', version))]);
    assert.deepEqual(race.map((answer) => answer.statusCode).sort(), [200, 409]);
    expectConflict(race.find((answer) => answer.statusCode === 409)!, /changed by someone else/);
    const winner = race.find((answer) => answer.statusCode === 200)!.json().job.title;
    const row = await jobRow();
    assert.deepEqual([row.title, row.version], [winner, version + 1]);
  });

  test(`${PARALLEL_CONTACTS} contacts saved at once on one episode: all stored, derived dates as a recompute gives`, async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const tokens = [await apiTokenFor(t, org.id, 'practitioner'), await apiTokenFor(t, org.id, 'practitioner')];
    // A mix: prison and community, some that do not count (not attended, by phone). Midday UTC keeps the UK date unambiguous.
    const bodies = Array.from({ length: PARALLEL_CONTACTS }, (_, n) => ({
      occurredAt: new Date(Date.UTC(2026, 1, 1 + ((n * 7) % 20), 12, n)).toISOString(),
      type: n % 6 === 5 ? 'phone' : 'face_to_face',
      setting: n % 3 === 0 ? 'prison' : 'community',
      with: 'person',
      attended: n % 5 !== 4,
    }));
    figures.requests += bodies.length;
    const answers = await Promise.all(
      bodies.map((body, n) =>
        t.app.inject({ method: 'POST', url: `/api/v1/episodes/${episodeId}/contacts`, headers: { authorization: `Bearer ${tokens[n % 2]}` }, payload: body }),
      ),
    );
    const acknowledged = answers.filter((answer) => answer.statusCode === 201);
    figures.acknowledged += acknowledged.length;
    figures.conflicts += answers.filter((answer) => answer.statusCode === 409).length;
    for (const answer of answers) assert.equal(answer.statusCode, 201, answer.body);

    const stored = await t.deps.db.selectFrom('contact').select(['id']).where('episode_id', '=', episodeId).execute();
    figures.stored += stored.length;
    assert.equal(stored.length, acknowledged.length);
    assert.deepEqual(
      stored.map((row) => row.id).sort(),
      acknowledged.map((answer) => answer.json().contact.id as string).sort(),
    );

    const derived = (row: Awaited<ReturnType<typeof episodeRow>>) => ({
      met_in_custody_on: row.met_in_custody_on,
      seen_in_community_on: row.seen_in_community_on,
      engaged_on: row.engaged_on,
      stage: row.stage,
    });
    const afterParallel = derived(await episodeRow(t, episodeId));

    // What the rules give from the acknowledged contacts alone, worked out here independently of the SQL.
    const counting = bodies.filter((body) => body.attended && body.type === 'face_to_face' && body.with === 'person');
    const dates = (inPrison: boolean) =>
      counting.filter((body) => (body.setting === 'prison') === inPrison).map((body) => body.occurredAt).sort().map((at) => at.slice(0, 10));
    const expected = {
      met_in_custody_on: dates(true)[0] ?? null,
      seen_in_community_on: dates(false)[0] ?? null,
      engaged_on: dates(false)[1] ?? null,
      stage: 'engaged',
    };
    assert.deepEqual(afterParallel, expected);

    await recomputeEpisodes(t.deps.db, org.id, [episodeId]);
    assert.deepEqual(derived(await episodeRow(t, episodeId)), afterParallel, 'a recompute from scratch changes nothing');
    const audits = await t.deps.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'contact.created')
      .where('subject_id', 'in', stored.map((row) => row.id))
      .execute();
    assert.equal(audits.length, stored.length, 'one audit row per stored contact');
  });
});
