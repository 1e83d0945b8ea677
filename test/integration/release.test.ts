import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, todayInLondon } from '../../src/modules/custody/dates.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`release (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  let prison: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Release Org');
    worker = await t.signedIn(org.id, 'practitioner');
    prison = (await t.deps.db.selectFrom('reference_item').select('code').where('list_code', '=', 'prison').orderBy('code').executeTakeFirstOrThrow()).code;
  });
  after(() => t.close());

  const auditRows = (episodeId: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', episodeId).where('action', '=', action).execute();
  const releaseRow = (episodeId: string) => t.deps.db.selectFrom('release').selectAll().where('episode_id', '=', episodeId).executeTakeFirst();

  async function inPrison(episodeId: string, arrivedOn: string) {
    await t.deps.db.insertInto('prison_stay').values({ organisation_id: org.id, episode_id: episodeId, prison_code: prison, arrived_on: arrivedOn }).execute();
  }

  async function submitRelease(episodeId: string, date: string, fields: Record<string, string> = {}) {
    const url = `/episodes/${episodeId}/release`;
    const page = await worker.browser.get(url);
    const version = /name="version" value="(\d*)"/.exec(page.body)?.[1] ?? '';
    const [year, month, day] = date.split('-');
    return worker.browser.submit(url, url, {
      version,
      'releasedOn-day': day ?? '',
      'releasedOn-month': month ?? '',
      'releasedOn-year': year ?? '',
      typeCode: 'conditional_release',
      note: '',
      ...fields,
    });
  }

  test('recording the release closes the open prison stay on that day, and is audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    await inPrison(episodeId, '2025-11-01');
    const saved = await submitRelease(episodeId, '2026-02-10', { withoutNotice: 'yes', note: 'Let out early' });
    assert.equal(saved.statusCode, 302, saved.body);
    const row = await releaseRow(episodeId);
    assert.deepEqual([row?.released_on, row?.release_type_code, row?.without_notice, row?.note], ['2026-02-10', 'conditional_release', true, 'Let out early']);
    const stay = await t.deps.db.selectFrom('prison_stay').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(stay.left_on, '2026-02-10');
    assert.equal((await auditRows(episodeId, 'release.recorded')).length, 1);
    const page = await worker.browser.get(`/episodes/${episodeId}/custody`);
    assert.match(page.body, /10 February 2026/);

    // One release per episode: saving again edits it, and the stay it closed follows the corrected date.
    const edited = await submitRelease(episodeId, '2026-02-12');
    assert.equal(edited.statusCode, 302);
    assert.equal((await releaseRow(episodeId))?.released_on, '2026-02-12');
    assert.equal((await releaseRow(episodeId))?.version, 2);
    assert.equal((await t.deps.db.selectFrom('prison_stay').select('left_on').where('episode_id', '=', episodeId).executeTakeFirstOrThrow()).left_on, '2026-02-12');
    const updates = await auditRows(episodeId, 'release.updated');
    assert.equal(updates.length, 1);
    assert.equal((updates[0].detail as { from: { releasedOn: string } }).from.releasedOn, '2026-02-10');
  });

  test('a release before the referral is refused with the referral date in the message, and nothing is written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    await inPrison(episodeId, '2025-11-01');
    const refused = await submitRelease(episodeId, '2026-01-04');
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /The release date must be on or after the referral date \(5 January 2026\)/);
    assert.match(refused.body, /govuk-error-summary/);
    assert.equal(await releaseRow(episodeId), undefined);
    assert.equal((await t.deps.db.selectFrom('prison_stay').select('left_on').where('episode_id', '=', episodeId).executeTakeFirstOrThrow()).left_on, null);
    assert.equal((await auditRows(episodeId, 'release.recorded')).length, 0);

    const token = await apiTokenFor(t, org.id, 'practitioner');
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/v1/episodes/${episodeId}/release`,
      headers: { authorization: `Bearer ${token}` },
      payload: { releasedOn: '2025-12-25', releaseType: 'parole' },
    });
    assert.equal(api.statusCode, 400);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(api.json().detail, /on or after the referral date \(5 January 2026\)/);
    assert.equal(api.json().errors[0].pointer, '/releasedOn');
    assert.equal(await releaseRow(episodeId), undefined);
  });

  test('a future release, a missing type and a missing date are refused', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const future = await submitRelease(episodeId, addDays(todayInLondon(), 1));
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The release date must be today or in the past/);
    const noType = await submitRelease(episodeId, '2026-02-01', { typeCode: '' });
    assert.equal(noType.statusCode, 400);
    assert.match(noType.body, /Select the type of release/);
    const noDate = await submitRelease(episodeId, '');
    assert.equal(noDate.statusCode, 400);
    assert.match(noDate.body, /Enter the release date/);
    const badType = await submitRelease(episodeId, '2026-02-01', { typeCode: 'escaped' });
    assert.equal(badType.statusCode, 400);
    assert.equal(await releaseRow(episodeId), undefined);
  });

  test('the API records a release (201), then needs the version to change it; a stale version is 409', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const token = await apiTokenFor(t, org.id, 'manager');
    const post = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/episodes/${episodeId}/release`, headers: { authorization: `Bearer ${token}` }, payload });
    const created = await post({ releasedOn: '2026-03-01', releaseType: 'parole', withoutNotice: true });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().release.releaseType.code, 'parole');
    assert.equal(created.json().release.withoutNotice, true);
    assert.equal((await post({ releasedOn: '2026-03-02', releaseType: 'parole' })).statusCode, 409, 'changing needs the version');
    const changed = await post({ releasedOn: '2026-03-02', releaseType: 'parole', version: 1 });
    assert.equal(changed.statusCode, 200);
    assert.equal((await post({ releasedOn: '2026-03-03', releaseType: 'parole', version: 1 })).statusCode, 409);
    assert.equal((await releaseRow(episodeId))?.released_on, '2026-03-02');
    const unknownField = await post({ releasedOn: '2026-03-03', releaseType: 'parole', version: 2, extra: 1 });
    assert.equal(unknownField.statusCode, 400);
  });

  test('a stale edit of the release on the page gets the conflict page and overwrites nothing', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    assert.equal((await submitRelease(episodeId, '2026-02-01')).statusCode, 302);
    const url = `/episodes/${episodeId}/release`;
    const csrf = await worker.browser.csrfFrom(url);
    assert.equal((await submitRelease(episodeId, '2026-02-02')).statusCode, 302);
    const stale = await worker.browser.request({
      method: 'POST',
      url,
      form: { _csrf: csrf, version: '1', 'releasedOn-day': '3', 'releasedOn-month': '2', 'releasedOn-year': '2026', typeCode: 'parole' },
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /changed by someone else/);
    assert.equal((await releaseRow(episodeId))?.released_on, '2026-02-02');
  });

  test('the release plan saves meet-at-the-gate and each checklist item, is audited, and refuses stale saves', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/release-plan`;
    const page = await worker.browser.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Probation appointment/);
    const form = {
      version: '',
      meetAtGate: 'yes',
      gateWorkerId: worker.userId,
      meetingPoint: 'Main gate',
      meetingTime: '08:30',
      note: '',
      'item-probation_appointment': 'done',
      'note-probation_appointment': 'Seen at 10',
      'item-gp': 'declined',
      'item-bank_account': 'not_needed',
    };
    const saved = await worker.browser.submit(url, url, form);
    assert.equal(saved.statusCode, 302, saved.body);
    const plan = await t.deps.db.selectFrom('release_plan').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.deepEqual([plan.meet_at_gate, plan.gate_worker_id, plan.meeting_point, plan.meeting_time], [true, worker.userId, 'Main gate', '08:30']);
    const items = await t.deps.db.selectFrom('release_checklist').select(['item_code', 'state', 'note']).where('episode_id', '=', episodeId).orderBy('item_code').execute();
    assert.deepEqual(items, [
      { item_code: 'bank_account', state: 'not_needed', note: null },
      { item_code: 'gp', state: 'declined', note: null },
      { item_code: 'probation_appointment', state: 'done', note: 'Seen at 10' },
    ]);
    const audit = await auditRows(episodeId, 'release_plan.saved');
    assert.equal(audit.length, 1);
    assert.equal((audit[0].detail as { checklist: unknown[] }).checklist.length, 3);
    const shown = await worker.browser.get(url);
    assert.match(shown.body, /value="Main gate"/);

    const stale = await worker.browser.submit(url, url, { ...form, version: '' });
    assert.equal(stale.statusCode, 409);
    const badWorker = await worker.browser.submit(url, url, { ...form, version: '1', gateWorkerId: '0190a0a0-0000-7000-8000-000000000000' });
    assert.equal(badWorker.statusCode, 400);
    assert.match(badWorker.body, /Select a worker from the list/);
    const badState = await worker.browser.submit(url, url, { ...form, version: '1', 'item-gp': 'maybe' });
    assert.equal(badState.statusCode, 400);
    assert.match(badState.body, /Select a status for gp registration/);
    const noAnswer = await worker.browser.submit(url, url, { ...form, version: '1', meetAtGate: '' });
    assert.equal(noAnswer.statusCode, 400);
    assert.equal((await t.deps.db.selectFrom('release_plan').select('version').where('episode_id', '=', episodeId).executeTakeFirstOrThrow()).version, 1);
  });
});
