import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonToday } from '../../src/platform/london-time.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { episodeRow, personWithEpisode } from '../support/journey.ts';

function daysFromToday(days: number): string {
  return new Date(Date.parse(`${londonToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe(`jobs API (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let token: string;
  let employerId: string;
  let otherEmployerId: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Jobs API Org');
    otherOrg = await t.organisation('Other Jobs API Org');
    token = await apiTokenFor(t, org.id, 'practitioner');
    const employer = (organisationId: string, name: string) =>
      t.deps.db.insertInto('employer').values({ organisation_id: organisationId, name }).returning('id').executeTakeFirstOrThrow();
    employerId = (await employer(org.id, 'Canal Café')).id;
    otherEmployerId = (await employer(otherOrg.id, 'Not Yours Ltd')).id;
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });
  const body = (overrides: Record<string, unknown> = {}) => ({
    employerId,
    title: 'Barista',
    jobType: 'sales_customer_service',
    startsOn: '2025-06-01',
    hoursPerWeek: 25,
    hourlyPay: 12.21,
    permanent: false,
    openToAnyone: true,
    ...overrides,
  });
  const jobCount = async (episodeId: string) => (await t.deps.db.selectFrom('job').select('id').where('episode_id', '=', episodeId).execute()).length;

  test('creating a job derives competitive, and a counted start puts the episode in work', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const created = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ countedStartOn: '2025-06-02' }));
    assert.equal(created.statusCode, 201, created.body);
    const answer = created.json();
    assert.equal(answer.job.competitive, true);
    assert.equal(answer.job.minimumHourlyRate, 12.21);
    assert.equal(answer.job.employerName, 'Canal Café');
    assert.deepEqual(answer.episode, { id: episodeId, stage: 'in_work', inWorkOn: '2025-06-02' });
    assert.deepEqual(answer.job.checkpoints.map((c: { weeks: number; dueOn: string }) => [c.weeks, c.dueOn]), [
      [13, '2025-09-01'],
      [26, '2025-12-01'],
      [52, '2026-06-01'],
    ]);
    assert.equal(answer.job.benefitsCounsellingFlag, 'No benefits counselling in the 30 days before the start');

    const list = await call('GET', `/api/v1/episodes/${episodeId}/jobs`);
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().items.length, 1);
    assert.match(list.json().items[0].explanation, /^Competitive: open to anyone/);
  });

  test('a competitive field in the body is refused: competitive is derived, never ticked', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const response = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ competitive: true }));
    assert.equal(response.statusCode, 400);
    assert.equal(await jobCount(episodeId), 0);
  });

  test('£12.20 on 1 June 2025, and £12.21 on 1 April 2026, are below the adult rate: saved, not competitive, explained', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const penny = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ hourlyPay: 12.2 }));
    assert.equal(penny.statusCode, 201);
    assert.equal(penny.json().job.competitive, false);
    assert.equal(penny.json().job.explanation, 'Not competitive: £12.20 an hour is below the National Living Wage (21 and over) of £12.21 on 1 June 2025');
    const april = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ startsOn: '2026-04-01' }));
    assert.equal(april.json().job.competitive, false);
    assert.equal(april.json().job.minimumHourlyRate, 12.71);
    assert.equal(await jobCount(episodeId), 2);
  });

  test('an unknown date of birth compares with the highest band and says so', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id);
    await t.deps.db.updateTable('person').set({ date_of_birth: null }).where('id', '=', personId).execute();
    const response = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ hourlyPay: 11 }));
    assert.equal(response.json().job.competitive, false);
    assert.match(response.json().job.explanation, /of £12.21 on 1 June 2025 \(date of birth not recorded, so compared with the highest age band\)/);
  });

  test('bad input: unknown or another organisation’s employer, ending before the start, negative hours or pay; nothing written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const unknown = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ employerId: otherEmployerId }));
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(unknown.json().errors.map((e: { pointer: string }) => e.pointer), ['/employerId']);
    const malformed = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ employerId: 'nope' }));
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().errors[0].pointer, '/employerId');

    const endsFirst = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ endsOn: '2025-05-01', endReason: 'resigned', helpedWithNextJob: false }));
    assert.equal(endsFirst.statusCode, 400);
    assert.match(endsFirst.json().detail, /The end date cannot be before the job started/);

    for (const bad of [{ hoursPerWeek: -1 }, { hoursPerWeek: 0 }, { hourlyPay: -0.01 }]) {
      const response = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body(bad));
      assert.equal(response.statusCode, 400, JSON.stringify(bad));
    }
    const future = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ startsOn: daysFromToday(-2), countedStartOn: daysFromToday(3) }));
    assert.equal(future.statusCode, 400);
    assert.equal(future.json().errors[0].pointer, '/countedStartOn');
    assert.equal(await jobCount(episodeId), 0);
    assert.notEqual((await episodeRow(t, episodeId)).stage, 'in_work');
  });

  test('a job already ended can be recorded whole', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const response = await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ endsOn: '2025-07-01', endReason: 'dismissed', helpedWithNextJob: true }));
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().job.endsOn, '2025-07-01');
    assert.equal(response.json().job.endReason, 'dismissed');
  });

  test('changing needs the current version; ending and confirming a checkpoint', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const counted = daysFromToday(-95);
    const created = (await call('POST', `/api/v1/episodes/${episodeId}/jobs`, body({ startsOn: counted, countedStartOn: counted }))).json();
    const jobUrl = `/api/v1/episodes/${episodeId}/jobs/${created.job.id}`;

    const changed = await call('PUT', jobUrl, { ...body({ startsOn: counted, countedStartOn: counted, hourlyPay: 14 }), version: 1 });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().job.hourlyPay, 14);
    assert.equal(changed.json().job.version, 2);
    const stale = await call('PUT', jobUrl, { ...body({ startsOn: counted, hourlyPay: 9 }), version: 1 });
    assert.equal(stale.statusCode, 409);
    const row = await t.deps.db.selectFrom('job').selectAll().where('id', '=', created.job.id).executeTakeFirstOrThrow();
    assert.equal(Number(row.hourly_pay), 14);

    const checkpoint = await call('POST', `${jobUrl}/checkpoints`, { weeks: 13, stillInWork: true, confirmedOn: londonToday() });
    assert.equal(checkpoint.statusCode, 200, checkpoint.body);
    assert.equal(checkpoint.json().job.checkpoints[0].status, 'sustained');
    const early = await call('POST', `${jobUrl}/checkpoints`, { weeks: 26, stillInWork: true, confirmedOn: londonToday() });
    assert.equal(early.statusCode, 400);
    assert.match(early.json().detail, /not due until/);

    const badEnd = await call('POST', `${jobUrl}/end`, { endsOn: daysFromToday(-200), endReason: 'resigned', helpedWithNextJob: false, version: 2 });
    assert.equal(badEnd.statusCode, 400);
    const ended = await call('POST', `${jobUrl}/end`, { endsOn: daysFromToday(-1), endReason: 'resigned_better_job', helpedWithNextJob: true, version: 2 });
    assert.equal(ended.statusCode, 200, ended.body);
    assert.equal(ended.json().job.endsOn, daysFromToday(-1));
    assert.equal(ended.json().job.helpedWithNextJob, true);
    assert.ok(ended.json().job.followAlong.some((e: { key: string }) => e.key === 'after-end'));
  });

  test('another organisation’s episode or job is not found', async () => {
    const theirs = await personWithEpisode(t, otherOrg.id);
    assert.equal((await call('GET', `/api/v1/episodes/${theirs.episodeId}/jobs`)).statusCode, 404);
    assert.equal((await call('POST', `/api/v1/episodes/${theirs.episodeId}/jobs`, body())).statusCode, 404);
    assert.equal(await jobCount(theirs.episodeId), 0);
  });
});
