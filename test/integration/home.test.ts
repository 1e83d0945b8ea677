import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonToday } from '../../src/platform/london-time.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`the start page (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: string;

  before(async () => {
    t = await createTestApp();
    org = (await t.organisation('Home Org')).id;
  });
  after(() => t.close());

  test('a practitioner sees their active cases and overdue tasks', async () => {
    const worker = await t.signedIn(org, 'practitioner');
    const { episodeId } = await personWithEpisode(t, org, { keyWorkerId: worker.userId });
    await personWithEpisode(t, org, { keyWorkerId: worker.userId });
    const today = londonToday();
    await t.deps.db
      .insertInto('task')
      .values([
        { organisation_id: org, episode_id: episodeId, assignee_id: worker.userId, title: 'Overdue', due_on: '2020-01-01' },
        { organisation_id: org, episode_id: episodeId, assignee_id: worker.userId, title: 'Due today', due_on: today },
        { organisation_id: org, episode_id: episodeId, assignee_id: worker.userId, title: 'Done', due_on: '2020-01-01', completed_at: new Date() },
      ])
      .execute();
    const home = await worker.browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /2 active cases/);
    assert.match(home.body, /1 overdue task</);
  });

  test('an administrator, who sees no case records, gets no work summary', async () => {
    const admin = await t.signedIn(org, 'organisation_admin');
    const home = await admin.browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.doesNotMatch(home.body, /id="your-work"/);
  });
});
