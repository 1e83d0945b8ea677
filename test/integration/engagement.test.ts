import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recomputeOrganisation, stagesOnDate } from '../../src/modules/engagement/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`engagement is derived from the records (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: string;

  before(async () => {
    t = await createTestApp();
    org = (await t.organisation('Engagement Org')).id;
  });
  after(() => t.close());

  test('a referral with no contacts is at referred', async () => {
    const { episodeId } = await personWithEpisode(t, org);
    await contactFor(t, org, episodeId, { at: '2026-01-06T10:00:00Z', type: 'phone' });
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'referred');
    assert.equal(row.met_in_custody_on, null);
  });

  test('a face-to-face contact in prison is met in custody, and does not count towards engagement', async () => {
    const { episodeId } = await personWithEpisode(t, org);
    await contactFor(t, org, episodeId, { at: '2026-01-10T10:00:00Z', setting: 'prison' });
    await contactFor(t, org, episodeId, { at: '2026-01-11T10:00:00Z', setting: 'prison' });
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'met_in_custody');
    assert.equal(row.met_in_custody_on, '2026-01-10');
    assert.equal(row.seen_in_community_on, null);
  });

  test('the first community contact is seen in the community; the second is engaged, on its UK date', async () => {
    const { episodeId } = await personWithEpisode(t, org);
    await contactFor(t, org, episodeId, { at: '2026-02-01T10:00:00Z', setting: 'prison' });
    await contactFor(t, org, episodeId, { at: '2026-03-02T09:00:00Z' });
    let row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'seen_in_community');
    assert.equal(row.seen_in_community_on, '2026-03-02');
    // 23:30 UTC on 1 June is 00:30 on 2 June in the UK (BST).
    await contactFor(t, org, episodeId, { at: '2026-06-01T23:30:00Z', setting: 'employer' });
    row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'engaged');
    assert.equal(row.engaged_on, '2026-06-02');
    assert.equal(row.met_in_custody_on, '2026-02-01');
  });

  test('missed, deleted, third-party and non-face-to-face contacts do not count', async () => {
    const { episodeId } = await personWithEpisode(t, org);
    await contactFor(t, org, episodeId, { at: '2026-03-01T10:00:00Z' });
    await contactFor(t, org, episodeId, { at: '2026-03-02T10:00:00Z', attended: false });
    await contactFor(t, org, episodeId, { at: '2026-03-03T10:00:00Z', deleted: true });
    await contactFor(t, org, episodeId, { at: '2026-03-04T10:00:00Z', with: 'probation' });
    await contactFor(t, org, episodeId, { at: '2026-03-05T10:00:00Z', type: 'video' });
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'seen_in_community');
    assert.equal(row.engaged_on, null);
  });

  test('the number of contacts that makes someone engaged is the organisation’s own', async () => {
    const other = (await t.organisation('Three Contacts Org')).id;
    await t.deps.db.insertInto('organisation_setting').values({ organisation_id: other, engaged_after_contacts: 3 }).execute();
    const { episodeId } = await personWithEpisode(t, other);
    await contactFor(t, other, episodeId, { at: '2026-04-01T10:00:00Z' });
    await contactFor(t, other, episodeId, { at: '2026-04-08T10:00:00Z' });
    assert.equal((await episodeRow(t, episodeId)).stage, 'seen_in_community');
    await contactFor(t, other, episodeId, { at: '2026-04-15T10:00:00Z' });
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'engaged');
    assert.equal(row.engaged_on, '2026-04-15');
  });

  test('an exit wins over every other stage, and recomputing a whole organisation matches', async () => {
    const { episodeId } = await personWithEpisode(t, org);
    await contactFor(t, org, episodeId, { at: '2026-05-01T10:00:00Z' });
    await t.deps.db.updateTable('episode').set({ exited_on: '2026-05-20', exit_reason_code: 'disengaged', stage: 'referred' }).where('id', '=', episodeId).execute();
    await recomputeOrganisation(t.deps.db, org);
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'exited');
    assert.equal(row.seen_in_community_on, '2026-05-01');
  });

  test('the stage on a date follows the stage dates', async () => {
    const scoped = (await t.organisation('As-at Org')).id;
    const { episodeId } = await personWithEpisode(t, scoped, { referredOn: '2026-01-05' });
    await contactFor(t, scoped, episodeId, { at: '2026-01-20T10:00:00Z', setting: 'prison' });
    await contactFor(t, scoped, episodeId, { at: '2026-02-10T10:00:00Z' });
    await contactFor(t, scoped, episodeId, { at: '2026-02-17T10:00:00Z' });
    const on = async (date: string) => (await stagesOnDate(t.deps.db, scoped, date)).map((row) => row.stage);
    assert.deepEqual(await on('2026-01-04'), []);
    assert.deepEqual(await on('2026-01-05'), ['referred']);
    assert.deepEqual(await on('2026-01-20'), ['met_in_custody']);
    assert.deepEqual(await on('2026-02-16'), ['seen_in_community']);
    assert.deepEqual(await on('2026-02-17'), ['engaged']);
  });
});
