import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonToday } from '../../src/platform/london-time.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`job search API (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let token: string;
  let employerId: string;
  let otherEmployerId: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Job Search API Org');
    otherOrg = await t.organisation('Other Job Search API Org');
    token = await apiTokenFor(t, org.id, 'practitioner');
    employerId = (await t.deps.db.insertInto('employer').values({ organisation_id: org.id, name: 'Acme Warehousing' }).returning('id').executeTakeFirstOrThrow()).id;
    otherEmployerId = (await t.deps.db.insertInto('employer').values({ organisation_id: otherOrg.id, name: 'Elsewhere Ltd' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });
  const activityRows = async (episodeId: string) => (await t.deps.db.selectFrom('job_search_activity').select('id').where('episode_id', '=', episodeId).execute()).length;
  const activitiesUrl = (episodeId: string) => `/api/v1/episodes/${episodeId}/job-search-activities`;

  test('activities are recorded and listed newest first, filtered by kind; a CV may be recorded without its file', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const application = await call('POST', activitiesUrl(episodeId), { kind: 'application', occurredOn: '2026-02-01', employerId, title: 'Picker', outcome: 'pending' });
    assert.equal(application.statusCode, 201, application.body);
    assert.equal(application.json().employer, 'Acme Warehousing');
    assert.equal(application.json().outcome, 'pending');
    const cv = await call('POST', activitiesUrl(episodeId), { kind: 'cv', occurredOn: '2026-02-03', note: 'Paper copy given to the person' });
    assert.equal(cv.statusCode, 201, cv.body);
    assert.equal(cv.json().fileId, null);
    const course = await call('POST', activitiesUrl(episodeId), {
      kind: 'training_course',
      occurredOn: '2026-01-20',
      endsOn: '2026-01-22',
      provider: 'City College',
      completed: true,
      employerName: 'Sponsored by a builder',
    });
    assert.equal(course.statusCode, 201, course.body);
    assert.deepEqual([course.json().provider, course.json().endsOn, course.json().completed], ['City College', '2026-01-22', true]);

    const all = (await call('GET', activitiesUrl(episodeId))).json();
    assert.equal(all.total, 3);
    assert.deepEqual(all.items.map((item: { kind: string }) => item.kind), ['cv', 'application', 'training_course']);
    const cvs = (await call('GET', `${activitiesUrl(episodeId)}?kind=cv&limit=10`)).json();
    assert.equal(cvs.total, 1);
    assert.equal(cvs.items[0].note, 'Paper copy given to the person');
    const audit = await t.deps.db.selectFrom('audit_event').select(['action', 'actor_label']).where('subject_id', '=', episodeId).where('action', '=', 'job_search.activity_created').execute();
    assert.equal(audit.length, 3);
    assert.ok(audit[0].actor_label.startsWith('api-token:'));
  });

  test('an unknown employer id is a 400 problem naming employerId, and nothing is written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    for (const id of [otherEmployerId, '0190aaaa-0000-7000-8000-000000000000', 'nonsense']) {
      const response = await call('POST', activitiesUrl(episodeId), { kind: 'interview', occurredOn: '2026-02-01', employerId: id });
      assert.equal(response.statusCode, 400, id);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.deepEqual(response.json().errors.map((error: { pointer: string }) => error.pointer), ['/employerId']);
    }
    assert.equal(await activityRows(episodeId), 0);
  });

  test('impossible dates, a course ending before it starts, a future application and unknown fields are 400 with nothing written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const impossible = await call('POST', activitiesUrl(episodeId), { kind: 'application', occurredOn: '2026-02-30' });
    assert.equal(impossible.statusCode, 400);
    assert.deepEqual(impossible.json().errors, [{ pointer: '/occurredOn', detail: 'occurredOn must be a real date' }]);
    const backwards = await call('POST', activitiesUrl(episodeId), { kind: 'training_course', occurredOn: '2026-03-10', endsOn: '2026-03-01', provider: 'College' });
    assert.equal(backwards.statusCode, 400);
    assert.deepEqual(backwards.json().errors.map((error: { pointer: string }) => error.pointer), ['/endsOn']);
    const [year, month, day] = londonToday().split('-').map(Number);
    const nextYear = `${year + 1}-${String(month).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`;
    const future = await call('POST', activitiesUrl(episodeId), { kind: 'application', occurredOn: nextYear });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /today or in the past/);
    const unknown = await call('POST', activitiesUrl(episodeId), { kind: 'application', occurredOn: '2026-01-01', fileId: employerId });
    assert.equal(unknown.statusCode, 400);
    const badKind = await call('POST', activitiesUrl(episodeId), { kind: 'lottery', occurredOn: '2026-01-01' });
    assert.equal(badKind.statusCode, 400);
    assert.equal(await activityRows(episodeId), 0);
  });

  test('another organisation’s episode is not found', async () => {
    const stranger = await personWithEpisode(t, otherOrg.id);
    assert.equal((await call('GET', activitiesUrl(stranger.episodeId))).statusCode, 404);
    assert.equal((await call('POST', activitiesUrl(stranger.episodeId), { kind: 'application', occurredOn: '2026-02-01' })).statusCode, 404);
    assert.equal((await call('PUT', `/api/v1/episodes/${stranger.episodeId}/job-search-dates`, { jobSearchStartedOn: '2026-01-10' })).statusCode, 404);
    assert.equal(await activityRows(stranger.episodeId), 0);
  });

  test('job search dates: the first save creates them, later saves need the current version, stale ones are 409', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const url = `/api/v1/episodes/${episodeId}/job-search-dates`;
    const first = await call('PUT', url, { jobSearchStartedOn: '2026-01-12' });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().version, 1);
    assert.equal(first.json().jobSearchStartedOn, '2026-01-12');
    assert.equal(first.json().firstEmployerContactOn, null);
    assert.equal(first.json().overdue, true, 'no employer contact since 5 January');
    const second = await call('PUT', url, { jobSearchStartedOn: '2026-01-13', version: 1 });
    assert.equal(second.json().version, 2);
    const stale = await call('PUT', url, { jobSearchStartedOn: '2026-01-01', version: 1 });
    assert.equal(stale.statusCode, 409);
    const missingVersion = await call('PUT', url, { jobSearchStartedOn: '2026-01-01' });
    assert.equal(missingVersion.statusCode, 409);
    const hugeVersion = await call('PUT', url, { jobSearchStartedOn: '2026-01-01', version: 99_999_999_999 });
    assert.equal(hugeVersion.statusCode, 400, 'a version past the database’s integers is refused at the edge');
    const impossible = await call('PUT', url, { jobSearchStartedOn: '2026-13-01', version: 2 });
    assert.equal(impossible.statusCode, 400);
    assert.deepEqual(impossible.json().errors.map((error: { pointer: string }) => error.pointer), ['/jobSearchStartedOn']);
    const plan = await t.deps.db.selectFrom('employment_plan').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(String(plan.job_search_started_on), '2026-01-13');
  });
});
