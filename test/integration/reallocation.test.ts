import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, todayInLondon } from '../../src/modules/custody/dates.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`reallocation carries the work: pending tasks move to the new key worker (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let manager: { browser: Browser; userId: string };
  let token: string;
  let oldWorker: string;
  let newWorker: string;
  const today = todayInLondon();

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Reallocation Org');
    manager = await t.signedIn(org.id, 'manager');
    token = await apiTokenFor(t, org.id, 'manager');
    oldWorker = (await t.user(org.id, 'practitioner')).id;
    newWorker = (await t.user(org.id, 'practitioner')).id;
  });
  after(() => t.close());

  const tasksOf = (episodeId: string) => t.deps.db.selectFrom('task').selectAll().where('episode_id', '=', episodeId).orderBy('due_on').execute();
  const putDates = (episodeId: string, payload: Record<string, string>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/episodes/${episodeId}/release-dates`, headers: { authorization: `Bearer ${token}` }, payload });

  /** An episode held by oldWorker with the release schedule, one task done, one cancelled by hand and one added by hand. */
  async function episodeWithWork() {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: oldWorker });
    assert.equal((await putDates(episodeId, { conditional_release: addDays(today, 60) })).statusCode, 200);
    const [first, second] = await tasksOf(episodeId);
    await t.deps.db.updateTable('task').set({ completed_at: new Date(), completed_by: oldWorker }).where('id', '=', first.id).execute();
    await t.deps.db.updateTable('task').set({ cancelled_at: new Date() }).where('id', '=', second.id).execute();
    const manual = await t.deps.db
      .insertInto('task')
      .values({ organisation_id: org.id, episode_id: episodeId, assignee_id: oldWorker, title: 'Ring the hostel', due_on: today })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { episodeId, completedId: first.id, cancelledId: second.id, manualId: manual.id };
  }

  function assertMoved(rows: Awaited<ReturnType<typeof tasksOf>>, work: Awaited<ReturnType<typeof episodeWithWork>>) {
    const assigneeOf = (id: string) => rows.find((row) => row.id === id)?.assignee_id;
    assert.equal(assigneeOf(work.completedId), oldWorker, 'a completed task keeps who did it');
    assert.equal(assigneeOf(work.cancelledId), oldWorker, 'a cancelled task is history too');
    assert.equal(assigneeOf(work.manualId), newWorker, 'a hand-made pending task moves');
    const pending = rows.filter((row) => row.completed_at === null && row.cancelled_at === null);
    assert.equal(pending.length, 5);
    assert.ok(pending.every((row) => row.assignee_id === newWorker));
  }

  test('changing the key worker on the page moves pending tasks, leaves completed and cancelled ones, and audits how many moved', async () => {
    const work = await episodeWithWork();
    const before = await tasksOf(work.episodeId);
    const url = `/episodes/${work.episodeId}/allocate`;
    const response = await manager.browser.submit(url, url, {
      workerId: newWorker,
      handoverNote: 'Release in two months; hostel place pending',
      version: String((await episodeRow(t, work.episodeId)).version),
    });
    assert.equal(response.statusCode, 302, response.body);
    const rows = await tasksOf(work.episodeId);
    assertMoved(rows, work);
    const manualBefore = before.find((row) => row.id === work.manualId)!;
    assert.equal(rows.find((row) => row.id === work.manualId)?.version, manualBefore.version + 1, 'a moved task is a changed task');
    const audit = await t.deps.db
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', work.episodeId)
      .where('action', '=', 'episode.allocated')
      .executeTakeFirstOrThrow();
    assert.equal((audit.detail as { tasksMoved: number }).tasksMoved, 5);

    // Later schedule changes keep the new worker, and the cancelled task that comes back goes to them too.
    await putDates(work.episodeId, { conditional_release: addDays(today, 70) });
    const moved = (await tasksOf(work.episodeId)).filter((row) => row.completed_at === null && row.cancelled_at === null);
    assert.ok(moved.every((row) => row.assignee_id === newWorker));
  });

  test('changing the key worker through the API moves them too', async () => {
    const work = await episodeWithWork();
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/episodes/${work.episodeId}/allocation`,
      headers: { authorization: `Bearer ${token}` },
      payload: { workerId: newWorker, handoverNote: 'Over to you', version: (await episodeRow(t, work.episodeId)).version },
    });
    assert.equal(response.statusCode, 200, response.body);
    assertMoved(await tasksOf(work.episodeId), work);
  });

  test('a refused reallocation (stale version) moves nothing', async () => {
    const work = await episodeWithWork();
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/episodes/${work.episodeId}/allocation`,
      headers: { authorization: `Bearer ${token}` },
      payload: { workerId: newWorker, handoverNote: 'Over to you', version: (await episodeRow(t, work.episodeId)).version + 1 },
    });
    assert.equal(response.statusCode, 409);
    const pending = (await tasksOf(work.episodeId)).filter((row) => row.completed_at === null && row.cancelled_at === null);
    assert.ok(pending.every((row) => row.assignee_id === oldWorker));
  });

  test('a practitioner accepting an unallocated referral becomes its key worker and takes its tasks', async () => {
    const practitioner = await t.signedIn(org.id, 'practitioner');
    const { episodeId } = await personWithEpisode(t, org.id);
    await t.deps.db.updateTable('referral').set({ status: 'pending' }).where('episode_id', '=', episodeId).execute();
    await putDates(episodeId, { conditional_release: addDays(today, 60) });
    assert.ok((await tasksOf(episodeId)).every((row) => row.assignee_id === null));
    const referral = await t.deps.db.selectFrom('referral').select('version').where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    const accept = await practitioner.browser.submit(`/episodes/${episodeId}`, `/episodes/${episodeId}/accept`, { version: String(referral.version) });
    assert.equal(accept.statusCode, 302, accept.body);
    assert.equal((await episodeRow(t, episodeId)).key_worker_id, practitioner.userId);
    const rows = await tasksOf(episodeId);
    assert.equal(rows.length, 6);
    assert.ok(rows.every((row) => row.assignee_id === practitioner.userId));
  });
});
