import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, todayInLondon } from '../../src/modules/custody/dates.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`release-anchored tasks (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  let token: string;
  const today = todayInLondon();

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Tasks Org');
    worker = await t.signedIn(org.id, 'practitioner');
    token = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  const tasksOf = (episodeId: string) =>
    t.deps.db.selectFrom('task').selectAll().where('episode_id', '=', episodeId).orderBy('due_on').orderBy('schedule_code').execute();
  const putDates = (episodeId: string, payload: Record<string, string | null>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers: { authorization: `Bearer ${token}` }, payload });
  const dueOn = (rows: Awaited<ReturnType<typeof tasksOf>>, code: string) => rows.find((row) => row.schedule_code === code)?.due_on;

  async function markDone(episodeId: string, taskId: string, version: string) {
    const url = `/episodes/${episodeId}/tasks`;
    return worker.browser.submit(url, `${url}/${taskId}/done`, { version });
  }

  test('an expected release date creates one task per schedule item for the key worker, due on anchor + offset', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId });
    assert.equal((await putDates(episodeId, { conditional_release: '2027-03-01', licence_end: '2027-01-01' })).statusCode, 200);
    const rows = await tasksOf(episodeId);
    assert.deepEqual(
      rows.map((row) => [row.schedule_code, row.due_on, row.title, row.assignee_id]),
      [
        ['six_weeks_before', '2027-01-18', 'Contact 6 weeks before release', worker.userId],
        ['two_weeks_before', '2027-02-15', 'Contact 2 weeks before release', worker.userId],
        ['release_day', '2027-03-01', 'Release day', worker.userId],
        ['one_day_after', '2027-03-02', 'Contact 1 day after release', worker.userId],
        ['one_week_after', '2027-03-08', 'Contact 1 week after release', worker.userId],
        ['four_weeks_after', '2027-03-29', 'Contact 4 weeks after release', worker.userId],
      ],
    );
    // The earliest expected kind is the anchor.
    await putDates(episodeId, { hdc_eligibility: '2027-02-01' });
    assert.equal(dueOn(await tasksOf(episodeId), 'release_day'), '2027-02-01');
    assert.equal((await tasksOf(episodeId)).length, 6, 'moving never duplicates');
  });

  test('moving the date moves pending tasks but not completed ones; marking done is audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId });
    await putDates(episodeId, { conditional_release: '2027-03-01' });
    const first = (await tasksOf(episodeId)).find((row) => row.schedule_code === 'six_weeks_before')!;
    const done = await markDone(episodeId, first.id, String(first.version));
    assert.equal(done.statusCode, 302);
    assert.equal(done.headers.location, `/episodes/${episodeId}/tasks?done=task`);
    const audit = await t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', episodeId).where('action', '=', 'task.completed').execute();
    assert.equal(audit.length, 1);

    await putDates(episodeId, { conditional_release: '2027-04-01' });
    const rows = await tasksOf(episodeId);
    assert.equal(dueOn(rows, 'six_weeks_before'), '2027-01-18', 'completed tasks stay where they were');
    assert.ok(rows.find((row) => row.schedule_code === 'six_weeks_before')?.completed_at);
    assert.equal(dueOn(rows, 'two_weeks_before'), '2027-03-18');
    assert.equal(dueOn(rows, 'four_weeks_after'), '2027-04-29');
    const changed = await t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', episodeId).where('action', '=', 'release_dates.changed').execute();
    assert.equal((changed[1].detail as { tasks: { moved: number } }).tasks.moved, 5);

    const page = await worker.browser.get(`/episodes/${episodeId}/tasks`);
    assert.match(page.body, /Contact 2 weeks before release/);
    assert.match(page.body, /Done/);
  });

  test('recording the actual release re-anchors the schedule on the actual date', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId, referredOn: '2026-01-05' });
    await putDates(episodeId, { conditional_release: '2027-06-01' });
    const release = await t.app.inject({
      method: 'POST',
      url: `/api/v1/episodes/${episodeId}/release`,
      headers: { authorization: `Bearer ${token}` },
      payload: { releasedOn: '2026-02-10', releaseType: 'conditional_release', withoutNotice: true },
    });
    assert.equal(release.statusCode, 201, release.body);
    const rows = await tasksOf(episodeId);
    assert.equal(dueOn(rows, 'release_day'), '2026-02-10');
    assert.equal(dueOn(rows, 'one_week_after'), '2026-02-17');
    // With a release recorded, a new expected date no longer moves anything.
    await putDates(episodeId, { conditional_release: '2027-07-01' });
    assert.equal(dueOn(await tasksOf(episodeId), 'release_day'), '2026-02-10');
  });

  test('clearing the date cancels pending scheduled tasks; setting it again brings them back', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId });
    await putDates(episodeId, { parole_eligibility: '2027-03-01' });
    const first = (await tasksOf(episodeId))[0];
    assert.equal((await markDone(episodeId, first.id, String(first.version))).statusCode, 302);
    await putDates(episodeId, { parole_eligibility: null });
    const rows = await tasksOf(episodeId);
    assert.equal(rows.filter((row) => row.cancelled_at !== null).length, 5);
    assert.equal(rows.filter((row) => row.completed_at !== null && row.cancelled_at === null).length, 1, 'completed tasks are not cancelled');
    await putDates(episodeId, { parole_eligibility: '2027-05-01' });
    const back = await tasksOf(episodeId);
    assert.equal(back.filter((row) => row.cancelled_at !== null).length, 0);
    assert.equal(dueOn(back, 'release_day'), '2027-05-01');
  });

  test("an organisation's own schedule items make tasks too", async () => {
    const ownOrg = await t.organisation('Own Schedule Org');
    const ownWorker = await t.user(ownOrg.id, 'practitioner');
    await t.deps.db
      .insertInto('reference_item')
      .values({ organisation_id: ownOrg.id, list_code: 'release_contact_schedule', code: 'three_days_before', label: 'Phone 3 days before', sort_order: 10, attributes: JSON.stringify({ offset_days: -3 }) })
      .execute();
    const { episodeId } = await personWithEpisode(t, ownOrg.id, { keyWorkerId: ownWorker.id });
    const ownToken = await apiTokenFor(t, ownOrg.id, 'practitioner');
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers: { authorization: `Bearer ${ownToken}` }, payload: { conditional_release: '2027-03-10' } });
    assert.equal(put.statusCode, 200);
    const rows = await tasksOf(episodeId);
    assert.equal(rows.length, 7);
    assert.equal(dueOn(rows, 'three_days_before'), '2027-03-07');
  });

  test('a stale "mark as done" is a conflict, and another organisation\'s task is not found', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: worker.userId });
    await putDates(episodeId, { conditional_release: '2027-03-01' });
    const task = (await tasksOf(episodeId))[1];
    await putDates(episodeId, { conditional_release: '2027-03-05' });
    const stale = await markDone(episodeId, task.id, String(task.version));
    assert.equal(stale.statusCode, 409);
    assert.equal((await tasksOf(episodeId))[1].completed_at, null);

    const other = await t.organisation('Other Tasks Org');
    const { episodeId: otherEpisode } = await personWithEpisode(t, other.id);
    const otherTask = await t.deps.db
      .insertInto('task')
      .values({ organisation_id: other.id, episode_id: otherEpisode, title: 'Secret', due_on: today })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    const csrf = await worker.browser.csrfFrom(`/episodes/${episodeId}/tasks`);
    const cross = await worker.browser.request({ method: 'POST', url: `/episodes/${otherEpisode}/tasks/${otherTask.id}/done`, form: { _csrf: csrf, version: '1' } });
    assert.equal(cross.statusCode, 404);
    const mixed = await worker.browser.request({ method: 'POST', url: `/episodes/${episodeId}/tasks/${otherTask.id}/done`, form: { _csrf: csrf, version: '1' } });
    assert.equal(mixed.statusCode, 404);
    assert.equal((await t.deps.db.selectFrom('task').select('completed_at').where('id', '=', otherTask.id).executeTakeFirstOrThrow()).completed_at, null);
  });

  test('"your tasks" lists my pending tasks, overdue first, a page at a time', async () => {
    const me = await t.signedIn(org.id, 'practitioner');
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: me.userId, givenName: 'Tess', familyName: 'Tasker' });
    const values = Array.from({ length: 27 }, (_, n) => ({
      organisation_id: org.id,
      episode_id: episodeId,
      assignee_id: me.userId,
      title: `Job ${String(n).padStart(2, '0')}`,
      due_on: addDays(today, n - 2),
    }));
    await t.deps.db.insertInto('task').values(values).execute();
    await t.deps.db.insertInto('task').values({ organisation_id: org.id, episode_id: episodeId, assignee_id: me.userId, title: 'Already done', due_on: today, completed_at: new Date() }).execute();
    const first = await me.browser.get('/tasks');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Showing 1 to 25 of 27 tasks/);
    assert.ok(first.body.indexOf('Job 00') < first.body.indexOf('Job 05'), 'earliest due first');
    assert.equal((first.body.match(/Overdue/g) ?? []).length, 2);
    assert.match(first.body, /Tess Tasker/);
    assert.doesNotMatch(first.body, /Already done/);
    const second = await me.browser.get('/tasks?page=2');
    assert.match(second.body, /Showing 26 to 27 of 27 tasks/);
    assert.match(second.body, /Job 26/);
    const job = await t.deps.db.selectFrom('task').select(['id', 'version']).where('title', '=', 'Job 00').executeTakeFirstOrThrow();
    const done = await me.browser.submit('/tasks', `/episodes/${episodeId}/tasks/${job.id}/done`, { version: String(job.version), returnTo: 'my-tasks' });
    assert.equal(done.headers.location, '/tasks?done=task');
    assert.match((await me.browser.get('/tasks')).body, /of 26 tasks/);
  });
});
