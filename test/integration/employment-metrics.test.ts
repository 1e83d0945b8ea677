import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as metrics from '../../src/modules/employment-metrics/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, personWithEpisode } from '../support/journey.ts';

/**
 * Hand-made records for four episodes in the cohort (A, B, C, D), one referred
 * after the as-at date (E) and one in another organisation. Every expected
 * figure below is worked out by hand in the comments beside it.
 */
const AS_AT = '2026-06-30';

describe(`employment reporting hooks (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  const ep: Record<string, string> = {};
  let s1: string;
  let s2: string;
  let s3: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Metrics Org');
    const db = t.deps.db;
    const owned = { organisation_id: org.id };
    s1 = (await t.user(org.id, 'practitioner')).id;
    s2 = (await t.user(org.id, 'practitioner')).id;
    s3 = (await t.user(org.id, 'practitioner')).id;
    const employer = async (name: string) => (await db.insertInto('employer').values({ ...owned, name }).returning('id').executeTakeFirstOrThrow()).id;
    const e1 = await employer('One');
    const e2 = await employer('Two');
    const e3 = await employer('Three');

    for (const [key, referredOn] of Object.entries({ A: '2026-01-01', B: '2026-02-01', C: '2026-03-01', D: '2026-04-01', E: '2026-07-10' })) {
      ep[key] = (await personWithEpisode(t, org.id, { referredOn })).episodeId;
    }
    await db.insertInto('release').values([
      { ...owned, episode_id: ep.A, released_on: '2026-01-11', release_type_code: 'conditional_release' },
      { ...owned, episode_id: ep.C, released_on: '2026-03-31', release_type_code: 'conditional_release' },
    ]).execute();

    const activity = (key: string, kind: 'cv' | 'application' | 'interview' | 'work_trial' | 'work_placement' | 'training_course', on: string, deleted = false) => ({
      ...owned,
      episode_id: ep[key],
      kind,
      occurred_on: on,
      deleted_at: deleted ? new Date() : null,
    });
    await db.insertInto('job_search_activity').values([
      activity('A', 'cv', '2026-01-05'),
      activity('A', 'cv', '2026-01-20'),
      activity('A', 'application', '2026-01-22'),
      activity('A', 'application', '2026-02-01'),
      activity('A', 'interview', '2026-02-10'),
      activity('A', 'training_course', '2026-01-15'),
      activity('A', 'work_trial', '2026-02-12'),
      activity('B', 'cv', '2026-02-03'),
      activity('B', 'application', '2026-02-05'),
      activity('B', 'application', '2026-02-06', true),
      activity('B', 'work_placement', '2026-03-01'),
      activity('B', 'training_course', '2026-02-10'),
      activity('C', 'cv', '2026-03-05'),
      activity('C', 'interview', '2026-04-10'),
      activity('C', 'training_course', '2026-06-30'),
      activity('C', 'training_course', '2026-07-05'),
      activity('E', 'cv', '2026-07-11'),
    ]).execute();

    const employerContact = async (specialist: string, on: string, method: string, purpose = 'presenting_candidate', episodes: string[] = []) => {
      const row = await db
        .insertInto('employer_contact')
        .values({ ...owned, employer_id: e1, specialist_id: specialist, occurred_on: on, method_code: method, purpose_code: purpose })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const episodeId of episodes) await db.insertInto('employer_contact_participant').values({ ...owned, employer_contact_id: row.id, episode_id: episodeId }).execute();
    };
    await employerContact(s1, '2026-01-12', 'phone', 'presenting_candidate', [ep.A]);
    await employerContact(s1, '2026-01-21', 'face_to_face', 'presenting_candidate', [ep.A]);
    await employerContact(s1, '2026-04-12', 'face_to_face', 'presenting_candidate', [ep.B]);
    await employerContact(s1, '2026-03-02', 'face_to_face', 'presenting_candidate', [ep.C]);
    await employerContact(s1, '2026-04-04', 'phone', 'in_work_support', [ep.B]);

    const job = (key: string, employerId: string, type: string, startsOn: string, counted: string | null, competitive: boolean, deleted = false) => ({
      ...owned,
      episode_id: ep[key],
      employer_id: employerId,
      title: 'Job',
      job_type_code: type,
      starts_on: startsOn,
      counted_start_on: counted,
      hours_per_week: 16,
      hourly_pay: 13,
      permanent: true,
      open_to_anyone: true,
      competitive,
      deleted_at: deleted ? new Date() : null,
    });
    await db.insertInto('job').values([
      job('A', e1, 'elementary', '2026-03-01', '2026-03-02', true),
      job('A', e2, 'skilled_trades', '2026-05-01', '2026-05-01', false),
      job('B', e1, 'elementary', '2026-04-01', '2026-04-01', true),
      job('C', e1, 'elementary', '2026-06-28', '2026-06-29', true),
      job('C', e3, 'sales_customer_service', '2026-05-01', '2026-05-01', true, true),
      job('D', e3, 'elementary', '2026-06-20', null, true),
      job('E', e3, 'elementary', '2026-07-14', '2026-07-15', true),
    ]).execute();

    // Follow-along. A's first job (counted 2 March): attended contact with the person 4 March, day 2: followed.
    await contactFor(t, org.id, ep.A, { at: '2026-03-04T10:00:00Z' });
    // A's second job (counted 1 May): a missed appointment (day 1), a deleted contact (day 2), a probation contact
    // (day 2) and a contact on day 5 do not count: not followed.
    await contactFor(t, org.id, ep.A, { at: '2026-05-02T10:00:00Z', attended: false });
    await contactFor(t, org.id, ep.A, { at: '2026-05-03T10:00:00Z', deleted: true });
    await contactFor(t, org.id, ep.A, { at: '2026-05-03T10:00:00Z', with: 'probation' });
    await contactFor(t, org.id, ep.A, { at: '2026-05-06T10:00:00Z' });
    // B's job (counted 1 April): the in-work-support employer contact on 4 April (day 3) counts: followed.

    // Another organisation's counted job: never counted here.
    const other = await t.organisation('Metrics Other');
    const otherEmployer = (await db.insertInto('employer').values({ organisation_id: other.id, name: 'X' }).returning('id').executeTakeFirstOrThrow()).id;
    const stranger = await personWithEpisode(t, other.id, { referredOn: '2026-01-01' });
    await db.insertInto('job').values({ ...job('A', otherEmployer, 'elementary', '2026-02-01', '2026-02-01', true), organisation_id: other.id, episode_id: stranger.episodeId }).execute();
  });
  after(() => t.close());

  const db = () => t.deps.db;
  const all = {};

  test('(a) activity counts: people and totals up to the as-at date, deleted records excluded', async () => {
    const counts = await metrics.activityCounts(db(), [org.id], all, AS_AT);
    // CVs: A 2, B 1, C 1 (E's is after the as-at date and E is not in the cohort).
    assert.deepEqual(counts.cvs, { people: 3, total: 4 });
    // Applications: A 2, B 1 (B's deleted one does not count).
    assert.deepEqual(counts.applications, { people: 2, total: 3 });
    assert.deepEqual(counts.interviews, { people: 2, total: 2 });
    // Courses: A 15 Jan, B 10 Feb, C 30 June (C's 5 July course is after the as-at date). A and B had a counted start
    // after their course; C's only counted start (29 June) was before the course, so C is not "trained into work".
    assert.deepEqual(counts.trainingCourses, { people: 3, total: 3, trainedPeopleIntoWork: 2 });
    assert.deepEqual(counts.workTrials, { people: 1, total: 1 });
    assert.deepEqual(counts.workPlacements, { people: 1, total: 1 });
    // Counted starts: A 2, B 1, C 1; C's deleted job, D's uncounted job and E's later job are left out.
    assert.deepEqual(counts.jobs, { people: 3, total: 4 });

    const onlyB = await metrics.activityCounts(db(), [org.id], { episodeIds: [ep.B] }, AS_AT);
    assert.deepEqual(onlyB.cvs, { people: 1, total: 1 });
    assert.deepEqual(onlyB.jobs, { people: 1, total: 1 });
    const early = await metrics.activityCounts(db(), [org.id], all, '2026-01-31');
    // By 31 January only A is referred: CVs on 5 and 20 Jan, one application (22 Jan), no jobs.
    assert.deepEqual(early.cvs, { people: 1, total: 2 });
    assert.deepEqual(early.applications, { people: 1, total: 1 });
    assert.deepEqual(early.jobs, { people: 0, total: 0 });
  });

  test('(b) people with two or more counted job starts', async () => {
    assert.deepEqual(await metrics.peopleWithSeveralJobs(db(), [org.id], all, AS_AT), { peopleWithAJob: 3, peopleWithTwoOrMoreJobs: 1 });
    // On 30 April A had only one counted start (2 March) and B one (1 April).
    assert.deepEqual(await metrics.peopleWithSeveralJobs(db(), [org.id], all, '2026-04-30'), { peopleWithAJob: 2, peopleWithTwoOrMoreJobs: 0 });
  });

  test('(c) days to the first face-to-face employer contact and the first job, from referral and from release', async () => {
    const result = await metrics.timeToFirst(db(), [org.id], all, AS_AT);
    const bands = (counts: number[]) => metrics.DAY_BANDS.map((band, index) => ({ label: band.label, count: counts[index] }));
    // Contact from referral: A 1 Jan → 21 Jan = 20 (the 12 Jan phone call is not face to face); B 1 Feb → 12 Apr = 70;
    // C 1 Mar → 2 Mar = 1; D none. Sorted 1, 20, 70: median 20; percentile_cont(0.25) = 1 + 0.5 × 19 = 10.5;
    // percentile_cont(0.75) = 20 + 0.5 × 50 = 45.
    assert.deepEqual(result.firstEmployerContact.fromReferral, {
      eligible: 4,
      reached: 3,
      median: 20,
      lowerQuartile: 10.5,
      upperQuartile: 45,
      bands: bands([2, 0, 1, 0, 0, 0]),
    });
    // From release (A 11 Jan, C 31 Mar; B and D have none): A 10 days; C's contact (2 Mar) came before release: 0.
    // 0, 10: median 5, quartiles 2.5 and 7.5.
    assert.deepEqual(result.firstEmployerContact.fromRelease, { eligible: 2, reached: 2, median: 5, lowerQuartile: 2.5, upperQuartile: 7.5, bands: bands([2, 0, 0, 0, 0, 0]) });
    // First job from referral: A 1 Jan → 2 Mar = 60; B 1 Feb → 1 Apr = 59; C 1 Mar → 29 Jun = 120.
    // 59, 60, 120: median 60; lower quartile 59 + 0.5 × 1 = 59.5; upper 60 + 0.5 × 60 = 90.
    assert.deepEqual(result.firstJob.fromReferral, { eligible: 4, reached: 3, median: 60, lowerQuartile: 59.5, upperQuartile: 90, bands: bands([0, 2, 0, 1, 0, 0]) });
    // From release: A 11 Jan → 2 Mar = 50; C 31 Mar → 29 Jun = 90. Median 70, quartiles 60 and 80.
    assert.deepEqual(result.firstJob.fromRelease, { eligible: 2, reached: 2, median: 70, lowerQuartile: 60, upperQuartile: 80, bands: bands([0, 1, 1, 0, 0, 0]) });

    const none = await metrics.timeToFirst(db(), [org.id], { episodeIds: [ep.D] }, AS_AT);
    assert.deepEqual(none.firstJob.fromReferral, { eligible: 1, reached: 0, median: null, lowerQuartile: null, upperQuartile: null, bands: bands([0, 0, 0, 0, 0, 0]) });
  });

  test('(d) diversity of job types and employers among counted starts', async () => {
    const diversity = await metrics.jobDiversity(db(), [org.id], all, AS_AT);
    // Starts: elementary at One (A), skilled trades at Two (A), elementary at One (B), elementary at One (C).
    assert.equal(diversity.jobs, 4);
    assert.equal(diversity.jobTypes, 2);
    assert.deepEqual(
      diversity.byJobType.map((row) => [row.code, row.jobs, row.share]),
      [['elementary', 3, 0.75], ['skilled_trades', 1, 0.25]],
    );
    assert.equal(diversity.byJobType[0].label, '9 Elementary occupations');
    assert.equal(diversity.employers, 2);
    assert.equal(diversity.largestEmployerJobs, 3);
    assert.equal(diversity.largestEmployerShare, 0.75);
  });

  test('(e) the share of competitive counted starts', async () => {
    // Competitive: A's first, B's, C's; A's second is not: 3 of 4.
    assert.deepEqual(await metrics.competitiveShare(db(), [org.id], all, AS_AT), { jobs: 4, competitive: 3, share: 0.75 });
    assert.deepEqual(await metrics.competitiveShare(db(), [org.id], { episodeIds: [ep.D] }, AS_AT), { jobs: 0, competitive: 0, share: null });
  });

  test('(f) follow-along: a contact within 3 days after the counted start', async () => {
    // Due by 30 June: A 2 Mar (followed), A 1 May (not), B 1 Apr (followed by the employer contact);
    // C's start on 29 June has a window ending 2 July, after the as-at date, so it is left out. 2 of 3.
    const result = await metrics.followAlongTiming(db(), [org.id], all, AS_AT);
    assert.equal(result.jobs, 3);
    assert.equal(result.contactedWithin3Days, 2);
    assert.equal(result.share, 2 / 3);
  });

  test('(g) face-to-face employer contacts per specialist per whole week', async () => {
    const owned = { organisation_id: org.id };
    const employerId = (await db().selectFrom('employer').select('id').where('organisation_id', '=', org.id).where('name', '=', 'Two').executeTakeFirstOrThrow()).id;
    const contacts = (specialist: string, on: string, method: string, count: number) =>
      Array.from({ length: count }, () => ({ ...owned, employer_id: employerId, specialist_id: specialist, occurred_on: on, method_code: method, purpose_code: 'learning_needs' }));
    await db().insertInto('employer_contact').values([
      // S1: week of 1 June 6 face to face (meets), week of 8 June 3 plus 2 calls, week of 15 June 7 (meets);
      // 31 May and 22 June fall outside the whole weeks of the period.
      ...contacts(s1, '2026-06-01', 'face_to_face', 4),
      ...contacts(s1, '2026-06-07', 'face_to_face', 2),
      ...contacts(s1, '2026-06-09', 'face_to_face', 3),
      ...contacts(s1, '2026-06-10', 'phone', 2),
      ...contacts(s1, '2026-06-15', 'face_to_face', 7),
      ...contacts(s1, '2026-05-31', 'face_to_face', 5),
      ...contacts(s1, '2026-06-22', 'face_to_face', 5),
      // S2: one in the week of 8 June. S3: only an email.
      ...contacts(s2, '2026-06-12', 'face_to_face', 1),
      ...contacts(s3, '2026-06-03', 'email', 1),
    ]).execute();
    // 30 May (Saturday) to 23 June (Tuesday): the whole weeks start 1, 8 and 15 June.
    assert.deepEqual(metrics.wholeWeeks('2026-05-30', '2026-06-23'), ['2026-06-01', '2026-06-08', '2026-06-15']);
    const result = await metrics.specialistWeeklyContacts(db(), [org.id], { from: '2026-05-30', to: '2026-06-23' });
    assert.equal(result.weeks, 3);
    assert.equal(result.standard, 6);
    const by = (id: string) => result.specialists.find((row) => row.specialistId === id);
    assert.deepEqual(
      [s1, s2, s3].map((id) => {
        const row = by(id);
        return row && [row.faceToFace, row.weeks, row.meanPerWeek, row.weeksMeetingStandard];
      }),
      [
        [16, 3, 16 / 3, 2],
        [1, 3, 1 / 3, 0],
        [0, 3, 0, 0],
      ],
    );
    assert.equal(result.specialists.length, 3, 'only specialists who logged an employer contact in those weeks');
  });

  test('(h) IPS Grow employment rate: episodes with a counted start over all episodes in the cohort', async () => {
    // A, B, C started work; D did not; E was referred after the as-at date: 3 of 4.
    assert.deepEqual(await metrics.employmentRate(db(), [org.id], all, AS_AT), { outOfWork: 4, startedWork: 3, rate: 0.75 });
    // Referred from 1 February: B, C, D: 2 of 3.
    assert.deepEqual(await metrics.employmentRate(db(), [org.id], { referredFrom: '2026-02-01' }, AS_AT), { outOfWork: 3, startedWork: 2, rate: 2 / 3 });
    // Listed A and D, but referred up to 1 February: only A, who started work: 1 of 1.
    assert.deepEqual(await metrics.employmentRate(db(), [org.id], { episodeIds: [ep.A, ep.D], referredTo: '2026-02-01' }, AS_AT), { outOfWork: 1, startedWork: 1, rate: 1 });
  });
});
