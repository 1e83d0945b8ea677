import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, todayInLondon } from '../../src/modules/custody/dates.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`custody (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Custody Org');
    otherOrg = await t.organisation('Other Custody Org');
    worker = await t.signedIn(org.id, 'practitioner');
  });
  after(() => t.close());

  const auditRows = (episodeId: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', episodeId).where('action', '=', action).execute();
  const stays = (episodeId: string) =>
    t.deps.db.selectFrom('prison_stay').selectAll().where('episode_id', '=', episodeId).orderBy('arrived_on').execute();

  function detailsForm(overrides: Record<string, string> = {}) {
    return {
      statusCode: 'sentenced',
      sentenceYears: '',
      sentenceMonths: '',
      sentenceDays: '',
      expectedReleaseArea: '',
      releaseAddressStatus: 'unknown',
      releaseAddress: '',
      localAuthority: '',
      ...overrides,
    };
  }

  async function saveDetails(episodeId: string, overrides: Record<string, string> = {}) {
    const url = `/episodes/${episodeId}/custody/details`;
    const page = await worker.browser.get(url);
    const episodeVersion = /name="episodeVersion" value="(\d*)"/.exec(page.body)?.[1] ?? '';
    const spellVersion = /name="spellVersion" value="(\d*)"/.exec(page.body)?.[1] ?? '';
    return worker.browser.submit(url, url, { episodeVersion, spellVersion, ...detailsForm(overrides) });
  }

  test('the custody page shows status, a short-sentence flag derived from the length, and audits the view', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { givenName: 'Cora', familyName: 'Custody' });
    const empty = await worker.browser.get(`/episodes/${episodeId}/custody`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /Cora Custody/);
    assert.match(empty.body, /No prison recorded/);

    const saved = await saveDetails(episodeId, { sentenceMonths: '6', expectedReleaseArea: 'Leeds', releaseAddressStatus: 'known', releaseAddress: '1 High Street', localAuthority: 'Leeds City Council' });
    assert.equal(saved.statusCode, 302, saved.body);
    const spell = await t.deps.db.selectFrom('custody_spell').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(spell.status_code, 'sentenced');
    assert.equal(spell.sentence_length_days, 183);
    const episode = await episodeRow(t, episodeId);
    assert.equal(episode.expected_release_area, 'Leeds');
    assert.equal(episode.release_address, '1 High Street');
    assert.equal(episode.release_address_status, 'known');
    assert.equal(episode.local_authority, 'Leeds City Council');
    assert.equal(episode.version, 2);

    const page = await worker.browser.get(`/episodes/${episodeId}/custody`);
    assert.match(page.body, /6 months/);
    assert.match(page.body, /Short sentence/);
    assert.match(page.body, /Known: 1 High Street/);
    assert.ok((await auditRows(episodeId, 'custody.viewed')).length >= 2);
    const updated = await auditRows(episodeId, 'custody.updated');
    assert.equal(updated.length, 1);
    assert.deepEqual((updated[0].detail as { to: { sentenceLengthDays: number } }).to.sentenceLengthDays, 183);

    // A year is not a short sentence; days alone work too.
    assert.equal((await saveDetails(episodeId, { sentenceYears: '1' })).statusCode, 302);
    assert.doesNotMatch((await worker.browser.get(`/episodes/${episodeId}/custody`)).body, /Short sentence/);
    assert.equal((await saveDetails(episodeId, { sentenceDays: '364' })).statusCode, 302);
    assert.match((await worker.browser.get(`/episodes/${episodeId}/custody`)).body, /Short sentence/);
  });

  test('bad custody details are refused with the error summary and nothing is written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const remandWithSentence = await saveDetails(episodeId, { statusCode: 'remand', sentenceMonths: '3' });
    assert.equal(remandWithSentence.statusCode, 400);
    assert.match(remandWithSentence.body, /Select sentenced, or remove the sentence length/);
    const knownWithoutAddress = await saveDetails(episodeId, { releaseAddressStatus: 'known' });
    assert.equal(knownWithoutAddress.statusCode, 400);
    assert.match(knownWithoutAddress.body, /Enter the release address/);
    const notANumber = await saveDetails(episodeId, { sentenceMonths: 'six' });
    assert.equal(notANumber.statusCode, 400);
    assert.match(notANumber.body, /Months must be a whole number/);
    assert.equal((await t.deps.db.selectFrom('custody_spell').selectAll().where('episode_id', '=', episodeId).execute()).length, 0);
    assert.equal((await episodeRow(t, episodeId)).version, 1);
  });

  test('a stale edit of custody details gets the conflict page and overwrites nothing', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/custody/details`;
    const page = await worker.browser.get(url);
    const episodeVersion = /name="episodeVersion" value="(\d*)"/.exec(page.body)?.[1] ?? '';
    assert.equal((await saveDetails(episodeId, { expectedReleaseArea: 'Bradford' })).statusCode, 302);
    const stale = await worker.browser.submit(url, url, { episodeVersion, spellVersion: '', ...detailsForm({ expectedReleaseArea: 'Hull' }) });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /changed by someone else/);
    assert.equal((await episodeRow(t, episodeId)).expected_release_area, 'Bradford');
  });

  test('recording a new prison closes the open stay on the transfer date and opens the next', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/custody/prison`;
    const move = async (prisonCode: string, date: string) => {
      const page = await worker.browser.get(url);
      const currentStayId = /name="currentStayId" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
      const [year, month, day] = date.split('-');
      return worker.browser.submit(url, url, { currentStayId, prisonCode, 'arrivedOn-day': day, 'arrivedOn-month': month, 'arrivedOn-year': year });
    };
    const prisons = await t.deps.db.selectFrom('reference_item').select('code').where('list_code', '=', 'prison').orderBy('code').limit(2).execute();
    const [first, second] = prisons.map((p) => p.code);
    assert.equal((await move(first, '2025-06-01')).statusCode, 302);
    assert.equal((await move(second, '2025-09-15')).statusCode, 302);
    const rows = await stays(episodeId);
    assert.equal(rows.length, 2);
    assert.deepEqual([rows[0].prison_code, rows[0].arrived_on, rows[0].left_on], [first, '2025-06-01', '2025-09-15']);
    assert.deepEqual([rows[1].prison_code, rows[1].arrived_on, rows[1].left_on], [second, '2025-09-15', null]);
    assert.equal((await auditRows(episodeId, 'custody.prison_recorded')).length, 2);
    const page = await worker.browser.get(`/episodes/${episodeId}/custody`);
    assert.match(page.body, /Still there/);

    const sameAgain = await move(second, '2025-10-01');
    assert.equal(sameAgain.statusCode, 400, sameAgain.body.slice(0, 3000));
    assert.match(sameAgain.body, /They are already at/);
    const beforeArrival = await move(first, '2025-09-01');
    assert.equal(beforeArrival.statusCode, 400, beforeArrival.body.replace(/\s+/g, " ").slice(0, 4000));
    assert.match(beforeArrival.body, /must be on or after they arrived at/);
    const future = await move(first, addDays(todayInLondon(), 3));
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /must be today or in the past/);
    const noPrison = await move('', '2025-10-01');
    assert.equal(noPrison.statusCode, 400);
    assert.match(noPrison.body, /Select the prison/);
    assert.equal((await stays(episodeId)).length, 2, 'refused moves write nothing');
  });

  test('release dates: set, change and clear each kind; changes are audited with old and new values', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/release-dates`;
    const save = async (dates: Record<string, string>) => {
      const page = await worker.browser.get(url);
      const token = /name="token" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
      const fields: Record<string, string> = { token };
      for (const kind of ['conditional_release', 'hdc_eligibility', 'parole_eligibility', 'licence_end']) {
        const [year, month, day] = (dates[kind] ?? '').split('-');
        Object.assign(fields, { [`${kind}-day`]: day ?? '', [`${kind}-month`]: month ?? '', [`${kind}-year`]: year ?? '' });
      }
      return worker.browser.submit(url, url, fields);
    };
    assert.equal((await save({ conditional_release: '2027-03-01', licence_end: '2028-03-01' })).statusCode, 302);
    assert.equal((await save({ conditional_release: '2027-04-01', hdc_eligibility: '2027-01-15' })).statusCode, 302);
    const rows = await t.deps.db.selectFrom('release_date').select(['kind_code', 'on_date']).where('episode_id', '=', episodeId).orderBy('kind_code').execute();
    assert.deepEqual(rows, [
      { kind_code: 'conditional_release', on_date: '2027-04-01' },
      { kind_code: 'hdc_eligibility', on_date: '2027-01-15' },
    ]);
    const changes = (await auditRows(episodeId, 'release_dates.changed')).map((row) => (row.detail as { changes: unknown }).changes);
    assert.deepEqual(changes[1], [
      { kind: 'conditional_release', from: '2027-03-01', to: '2027-04-01' },
      { kind: 'hdc_eligibility', from: null, to: '2027-01-15' },
      { kind: 'licence_end', from: '2028-03-01', to: null },
    ]);
    const page = await worker.browser.get(`/episodes/${episodeId}/custody`);
    assert.match(page.body, /Expected release date[\s\S]*?15 January 2027/);

    const bad = await save({ conditional_release: '2027-02-30' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Conditional release date must be a real date/);
  });

  test('a stale save of release dates is a conflict and nothing is overwritten', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/release-dates`;
    const page = await worker.browser.get(url);
    const token = /name="token" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    const api = await apiTokenFor(t, org.id, 'practitioner');
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers: { authorization: `Bearer ${api}` }, payload: { conditional_release: '2027-05-05' } });
    assert.equal(put.statusCode, 200, put.body);
    const stale = await worker.browser.submit(url, url, { token, 'conditional_release-day': '6', 'conditional_release-month': '6', 'conditional_release-year': '2027' });
    assert.equal(stale.statusCode, 409);
    const row = await t.deps.db.selectFrom('release_date').select('on_date').where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(row.on_date, '2027-05-05');
  });

  test('the API shows custody and sets release dates with a strict body', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const token = await apiTokenFor(t, org.id, 'practitioner');
    const headers = { authorization: `Bearer ${token}` };
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers, payload: { conditional_release: '2027-06-01', parole_eligibility: '2027-05-01' } });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().expectedReleaseOn, '2027-05-01');
    const clear = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers, payload: { parole_eligibility: null } });
    assert.equal(clear.json().expectedReleaseOn, '2027-06-01');
    assert.equal(clear.json().releaseDates.conditional_release, '2027-06-01', 'kinds left out are untouched');
    assert.equal(clear.json().releaseDates.parole_eligibility, null);
    const unknown = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers, payload: { release_day: '2027-06-01' } });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.headers['content-type'], 'application/problem+json; charset=utf-8');
    const notADate = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers, payload: { licence_end: '2027-02-31' } });
    assert.equal(notADate.statusCode, 400);
    assert.match(notADate.body, /real date/);

    const get = await t.app.inject({ method: 'GET', url: `/api/v1/episodes/${episodeId}/custody`, headers });
    assert.equal(get.statusCode, 200);
    assert.equal(get.json().release, null);
    assert.deepEqual(get.json().prisonHistory, []);
    const openapi = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.ok(openapi.json().paths['/api/v1/episodes/{id}/custody'].get.tags.includes('custody'));
  });

  test("another organisation's episode, or a malformed id, is not found on pages and the API", async () => {
    const { episodeId } = await personWithEpisode(t, otherOrg.id);
    for (const path of ['custody', 'custody/details', 'custody/prison', 'release-dates', 'release', 'release-plan', 'tasks']) {
      assert.equal((await worker.browser.get(`/episodes/${episodeId}/${path}`)).statusCode, 404, path);
    }
    assert.equal((await worker.browser.get('/episodes/not-a-uuid/custody')).statusCode, 404);
    const token = await apiTokenFor(t, org.id, 'practitioner');
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/episodes/${episodeId}/custody`, headers })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/episodes/nope/custody', headers })).statusCode, 404);
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers, payload: { licence_end: '2027-01-01' } });
    assert.equal(put.statusCode, 404);
    const release = await t.app.inject({ method: 'POST', url: `/api/v1/episodes/${episodeId}/release`, headers, payload: { releasedOn: '2026-02-01', releaseType: 'parole' } });
    assert.equal(release.statusCode, 404);
    assert.equal((await t.deps.db.selectFrom('release_date').selectAll().where('episode_id', '=', episodeId).execute()).length, 0);
    assert.equal((await t.deps.db.selectFrom('release').selectAll().where('episode_id', '=', episodeId).execute()).length, 0);
  });
});
