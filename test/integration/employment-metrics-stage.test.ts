import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { employmentStages } from '../../src/modules/employment-metrics/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

const TODAY = '2026-06-30';

describe(`employment stage (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let employerId: string;
  let specialistId: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Stage Org');
    specialistId = (await t.user(org.id, 'practitioner')).id;
    employerId = (await t.deps.db.insertInto('employer').values({ organisation_id: org.id, name: 'Stage Ltd' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  interface Setup {
    profile?: boolean;
    benefitsSession?: boolean;
    jobSearchStartedOn?: string;
    activities?: Array<{ kind: 'cv' | 'application' | 'interview' | 'work_trial'; on: string; outcome?: string; deleted?: boolean }>;
    employerContact?: boolean;
    jobs?: Array<{ startsOn: string; countedStartOn?: string; endsOn?: string; deleted?: boolean }>;
  }

  /** An episode with exactly the records described, and its stage on TODAY. */
  async function stageOf(setup: Setup): Promise<string | undefined> {
    const db = t.deps.db;
    const owned = { organisation_id: org.id };
    const { personId, episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-02' });
    if (setup.profile) await db.insertInto('vocational_profile').values({ ...owned, person_id: personId, version: 1 }).execute();
    if (setup.benefitsSession) await db.insertInto('benefits_session').values({ ...owned, episode_id: episodeId, held_on: '2026-02-01', adviser: 'B' }).execute();
    if (setup.jobSearchStartedOn) {
      await db.insertInto('employment_plan').values({ ...owned, episode_id: episodeId, job_search_started_on: setup.jobSearchStartedOn }).execute();
    }
    for (const activity of setup.activities ?? []) {
      await db
        .insertInto('job_search_activity')
        .values({
          ...owned,
          episode_id: episodeId,
          kind: activity.kind,
          occurred_on: activity.on,
          outcome_code: activity.outcome ?? null,
          deleted_at: activity.deleted ? new Date() : null,
        })
        .execute();
    }
    if (setup.employerContact) {
      const contact = await db
        .insertInto('employer_contact')
        .values({ ...owned, employer_id: employerId, specialist_id: specialistId, occurred_on: '2026-03-01', method_code: 'phone', purpose_code: 'presenting_candidate' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('employer_contact_participant').values({ ...owned, employer_contact_id: contact.id, episode_id: episodeId }).execute();
    }
    for (const job of setup.jobs ?? []) {
      await db
        .insertInto('job')
        .values({
          ...owned,
          episode_id: episodeId,
          employer_id: employerId,
          title: 'Cook',
          job_type_code: 'skilled_trades',
          starts_on: job.startsOn,
          counted_start_on: job.countedStartOn ?? null,
          ends_on: job.endsOn ?? null,
          hours_per_week: 20,
          hourly_pay: 13,
          permanent: true,
          open_to_anyone: true,
          competitive: true,
          deleted_at: job.deleted ? new Date() : null,
        })
        .execute();
    }
    return (await employmentStages(db, [org.id], [episodeId], TODAY)).get(episodeId);
  }

  const ready = { profile: true, benefitsSession: true };

  test('profile: no vocational profile and nothing further', async () => {
    assert.equal(await stageOf({}), 'profile');
    assert.equal(await stageOf({ benefitsSession: true }), 'profile', 'a benefits session without a profile is still at profile');
  });

  test('benefits counselling: a profile but no benefits session', async () => {
    assert.equal(await stageOf({ profile: true }), 'benefits_counselling');
    assert.equal(await stageOf({ profile: true, activities: [{ kind: 'application', on: '2026-06-01', deleted: true }] }), 'benefits_counselling', 'a deleted application does not count');
  });

  test('job search: profile and benefits counselling done, or job search started, or a CV, application or employer contact', async () => {
    assert.equal(await stageOf(ready), 'job_search');
    assert.equal(await stageOf({ jobSearchStartedOn: '2026-03-01' }), 'job_search');
    assert.equal(await stageOf({ activities: [{ kind: 'cv', on: '2026-03-01' }] }), 'job_search');
    assert.equal(await stageOf({ activities: [{ kind: 'application', on: '2026-03-01' }] }), 'job_search');
    assert.equal(await stageOf({ employerContact: true }), 'job_search');
  });

  test('interviewing: an interview or work trial in the last 30 days, or one with its outcome pending', async () => {
    assert.equal(await stageOf({ ...ready, activities: [{ kind: 'interview', on: '2026-05-31' }] }), 'interviewing', '30 days ago counts');
    assert.equal(await stageOf({ ...ready, activities: [{ kind: 'interview', on: '2026-05-30', outcome: 'unsuccessful' }] }), 'job_search', '31 days ago does not');
    assert.equal(await stageOf({ ...ready, activities: [{ kind: 'work_trial', on: '2026-06-20' }] }), 'interviewing');
    assert.equal(await stageOf({ ...ready, activities: [{ kind: 'interview', on: '2026-01-10', outcome: 'pending' }] }), 'interviewing', 'an old interview still waiting to hear');
    assert.equal(await stageOf({ ...ready, activities: [{ kind: 'interview', on: '2026-06-20', deleted: true }] }), 'job_search', 'a deleted interview does not count');
  });

  test('in work: a current job not yet counted, or counted within the last 28 days', async () => {
    assert.equal(await stageOf({ ...ready, jobs: [{ startsOn: '2026-06-25' }] }), 'in_work', 'started, 4 hours not yet reached');
    assert.equal(await stageOf({ jobs: [{ startsOn: '2026-06-01', countedStartOn: '2026-06-02' }] }), 'in_work', 'counted 28 days ago');
    assert.equal(
      await stageOf({ ...ready, activities: [{ kind: 'interview', on: '2026-06-20' }], jobs: [{ startsOn: '2026-06-28', countedStartOn: '2026-06-29' }] }),
      'in_work',
      'work wins over interviewing',
    );
  });

  test('in-work support: a current job counted more than 28 days ago', async () => {
    assert.equal(await stageOf({ jobs: [{ startsOn: '2026-06-01', countedStartOn: '2026-06-01' }] }), 'in_work_support', 'counted 29 days ago');
    assert.equal(await stageOf({ jobs: [{ startsOn: '2026-01-05', countedStartOn: '2026-01-06', endsOn: TODAY }] }), 'in_work_support', 'a job ending today is current');
    assert.equal(
      await stageOf({ jobs: [{ startsOn: '2026-01-05', countedStartOn: '2026-01-06' }, { startsOn: '2026-06-29' }] }),
      'in_work_support',
      'a second, newer job does not reset support',
    );
  });

  test('ended and deleted jobs are not current', async () => {
    assert.equal(await stageOf({ ...ready, jobs: [{ startsOn: '2026-01-05', countedStartOn: '2026-01-06', endsOn: '2026-06-29' }] }), 'job_search');
    assert.equal(await stageOf({ profile: true, jobs: [{ startsOn: '2026-06-01', countedStartOn: '2026-06-01', deleted: true }] }), 'benefits_counselling');
  });

  test("another organisation's episode gets no stage", async () => {
    const other = await t.organisation('Stage Other');
    const { episodeId } = await personWithEpisode(t, other.id);
    assert.equal((await employmentStages(t.deps.db, [org.id], [episodeId], TODAY)).size, 0);
  });
});
