import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonToday } from '../../src/platform/london-time.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, episodeRow, personWithEpisode } from '../support/journey.ts';
import { dateFields } from '../support/dates.ts';

/** A date relative to today in the UK, so rules that depend on "today" keep their meaning whenever the tests run. */
function daysFromToday(days: number): string {
  return new Date(Date.parse(`${londonToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}


describe(`jobs and in-work support (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  let employerId: string;

  const newEmployer = async (organisationId: string, name: string) =>
    (await t.deps.db.insertInto('employer').values({ organisation_id: organisationId, name }).returning('id').executeTakeFirstOrThrow()).id;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Jobs Org');
    otherOrg = await t.organisation('Other Jobs Org');
    worker = await t.signedIn(org.id, 'practitioner');
    employerId = await newEmployer(org.id, 'Brightside Bakery');
  });
  after(() => t.close());

  /** A complete job form: an adult at the National Living Wage on 1 June 2025; override any box. */
  function jobForm(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      employerId,
      title: 'Baker',
      jobType: 'skilled_trades',
      ...dateFields('startsOn', '2025-06-01'),
      'countedStartOn-day': '',
      'countedStartOn-month': '',
      'countedStartOn-year': '',
      hoursPerWeek: '30',
      hourlyPay: '12.21',
      permanent: 'permanent',
      selfEmployed: 'employed',
      openToAnyone: 'yes',
      ...overrides,
    };
  }

  const jobsOf = (episodeId: string) => t.deps.db.selectFrom('job').selectAll().where('episode_id', '=', episodeId).orderBy('starts_on').execute();
  const record = (episodeId: string, fields: Record<string, string>) => {
    const url = `/episodes/${episodeId}/jobs/new`;
    return worker.browser.submit(url, url, fields);
  };

  test('the form offers the organisation’s employers, job types and the open-to-anyone hint, with no competitive box', async () => {
    await newEmployer(otherOrg.id, 'Elsewhere Ltd');
    const { episodeId } = await personWithEpisode(t, org.id, { givenName: 'Fran', familyName: 'Form' });
    const page = await worker.browser.get(`/episodes/${episodeId}/jobs/new`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Fran Form/);
    assert.match(page.body, new RegExp(`<option value="${employerId}">Brightside Bakery</option>`));
    assert.doesNotMatch(page.body, /Elsewhere Ltd/);
    assert.match(page.body, /href="\/employers\/new"/);
    assert.match(page.body, /5 Skilled trades occupations/);
    assert.match(page.body, /not ring-fenced for people with convictions or disabilities/);
    assert.doesNotMatch(page.body, /name="competitive"/);
  });

  test('a job without a counted start does not put the episode in work; recording the 4-hour date does, and a second job keeps the first date', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { givenName: 'Sam', familyName: 'Start' });
    const saved = await record(episodeId, jobForm());
    assert.equal(saved.statusCode, 302, saved.body);
    const [job] = await jobsOf(episodeId);
    assert.equal(job.counted_start_on, null);
    assert.equal(job.competitive, true);
    assert.equal(Number(job.minimum_hourly_rate), 12.21);
    assert.notEqual((await episodeRow(t, episodeId)).stage, 'in_work');
    assert.equal((await episodeRow(t, episodeId)).in_work_on, null);

    const list = await worker.browser.get(saved.headers.location as string);
    assert.match(list.body, /Job recorded/);
    assert.match(list.body, /Not yet counted: record when they have done 4 hours of paid work/);
    assert.match(list.body, /Competitive: open to anyone, and £12.21 an hour is at least the National Living Wage \(21 and over\) of £12.21 on 1 June 2025/);

    const editUrl = `/episodes/${episodeId}/jobs/${job.id}/edit`;
    const edited = await worker.browser.submit(editUrl, editUrl, { ...jobForm(dateFields('countedStartOn', '2025-06-03')), version: '1' });
    assert.equal(edited.statusCode, 302, edited.body);
    assert.match(edited.headers.location as string, /done=updated&stage=in_work/);
    let episode = await episodeRow(t, episodeId);
    assert.equal(episode.stage, 'in_work');
    assert.equal(episode.in_work_on, '2025-06-03');
    assert.match((await worker.browser.get(`/episodes/${episodeId}/jobs`)).body, /In work/);

    const second = await record(episodeId, jobForm({ title: 'Driver', ...dateFields('startsOn', '2025-09-01'), ...dateFields('countedStartOn', '2025-09-02') }));
    assert.equal(second.statusCode, 302);
    episode = await episodeRow(t, episodeId);
    assert.equal(episode.in_work_on, '2025-06-03');
    assert.equal((await jobsOf(episodeId)).length, 2, 'both jobs are kept');
    const audit = await t.deps.db.selectFrom('audit_event').select('action').where('subject_id', '=', job.id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['job.created', 'job.updated']);
  });

  test('pay below the minimum wage is saved, shown as not competitive, and explained', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const saved = await record(episodeId, jobForm({ ...dateFields('startsOn', '2026-02-02'), hourlyPay: '10.50' }));
    assert.equal(saved.statusCode, 302);
    const [job] = await jobsOf(episodeId);
    assert.equal(job.competitive, false);
    assert.equal(Number(job.hourly_pay), 10.5);
    const list = await worker.browser.get(`/episodes/${episodeId}/jobs`);
    assert.match(list.body, /Not competitive: £10.50 an hour is below the National Living Wage \(21 and over\) of £12.21 on 2 February 2026/);
  });

  test('a job not open to anyone is not competitive; a 19-year-old at £10.00 is', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id);
    await record(episodeId, jobForm({ openToAnyone: 'no', hourlyPay: '15' }));
    assert.match((await worker.browser.get(`/episodes/${episodeId}/jobs`)).body, /Not competitive: not open to anyone/);
    await t.deps.db.updateTable('person').set({ date_of_birth: '2006-03-15' }).where('id', '=', personId).execute();
    await record(episodeId, jobForm({ title: 'Apprentice', ...dateFields('startsOn', '2025-07-01'), hourlyPay: '10.00' }));
    const young = (await jobsOf(episodeId)).find((job) => job.title === 'Apprentice');
    assert.equal(young?.competitive, true);
    assert.equal(Number(young?.minimum_hourly_rate), 10);
  });

  test('bad input is refused with clear errors and nothing saved', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ hoursPerWeek: '-5' }, /Hours a week must be more than 0 and no more than 100/],
      [{ hoursPerWeek: '101' }, /Hours a week must be more than 0 and no more than 100/],
      [{ hourlyPay: '-1' }, /Hourly pay must be £0 or more/],
      [{ hourlyPay: 'lots' }, /Hourly pay must be a number, like 12.21/],
      [{ employerId: '01890000-0000-7000-8000-000000000000' }, /Select an employer from the list/],
      [dateFields('countedStartOn', '2025-05-31'), /cannot be before the start date/],
      [{ ...dateFields('startsOn', daysFromToday(-1)), ...dateFields('countedStartOn', daysFromToday(1)) }, /cannot be in the future/],
      [{ title: '', jobType: '', permanent: '', openToAnyone: '' }, /Enter the job title[\s\S]*Select the job type/],
    ];
    for (const [overrides, message] of cases) {
      const response = await record(episodeId, jobForm(overrides));
      assert.equal(response.statusCode, 400, JSON.stringify(overrides));
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, message);
    }
    assert.equal((await jobsOf(episodeId)).length, 0);
  });

  test('ending a job: not before it starts; then recorded with its reason', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, jobForm(dateFields('countedStartOn', '2025-06-02')));
    const [job] = await jobsOf(episodeId);
    const endUrl = `/episodes/${episodeId}/jobs/${job.id}/end`;
    const early = await worker.browser.submit(endUrl, endUrl, { ...dateFields('endsOn', '2025-05-20'), endReason: 'resigned', helpedWithNextJob: 'yes', version: '1' });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /The end date cannot be before the job started \(1 June 2025\)/);
    assert.equal((await jobsOf(episodeId))[0].ends_on, null);

    const ended = await worker.browser.submit(endUrl, endUrl, { ...dateFields('endsOn', '2025-08-29'), endReason: 'contract_ended', helpedWithNextJob: 'no', note: 'Seasonal', version: '1' });
    assert.equal(ended.statusCode, 302, ended.body);
    const [row] = await jobsOf(episodeId);
    assert.deepEqual([row.ends_on, row.end_reason_code, row.helped_with_next_job, row.end_note], ['2025-08-29', 'contract_ended', false, 'Seasonal']);
    const list = await worker.browser.get(`/episodes/${episodeId}/jobs`);
    assert.match(list.body, /Temporary contract ended/);
    assert.match(list.body, /Contact within 3 days after the job ended/);
    // The 13-week checkpoint (1 September 2025) fell after the job ended.
    assert.match(list.body, /The job ended on 29 August 2025, before the checkpoint/);
  });

  test('a stale version is a conflict page and overwrites nothing', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, jobForm());
    const [job] = await jobsOf(episodeId);
    const editUrl = `/episodes/${episodeId}/jobs/${job.id}/edit`;
    await worker.browser.submit(editUrl, editUrl, { ...jobForm({ title: 'Head baker' }), version: '1' });
    const stale = await worker.browser.submit(editUrl, editUrl, { ...jobForm({ title: 'Pastry chef' }), version: '1' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This job was changed by someone else/);
    assert.match(stale.body, /Head baker/);
    assert.equal((await jobsOf(episodeId))[0].title, 'Head baker');
  });

  test('checkpoints: due 13 weeks after the counted start, confirmed once due, refused before, 404 for other weeks', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const counted = daysFromToday(-100);
    await record(episodeId, jobForm({ ...dateFields('startsOn', counted), ...dateFields('countedStartOn', counted) }));
    const [job] = await jobsOf(episodeId);
    const list = await worker.browser.get(`/episodes/${episodeId}/jobs`);
    assert.match(list.body, /Confirm 13-week checkpoint/);
    assert.doesNotMatch(list.body, /Confirm 26-week checkpoint/);

    const url13 = `/episodes/${episodeId}/jobs/${job.id}/checkpoints/13`;
    const tooEarly = await worker.browser.submit(url13, url13, { stillInWork: 'yes', ...dateFields('confirmedOn', daysFromToday(-10)) });
    assert.equal(tooEarly.statusCode, 400);
    assert.match(tooEarly.body, /cannot be before the checkpoint/);
    const confirmed = await worker.browser.submit(url13, url13, { stillInWork: 'yes', ...dateFields('confirmedOn', daysFromToday(-5)) });
    assert.equal(confirmed.statusCode, 302, confirmed.body);
    const checkpoint = await t.deps.db.selectFrom('job_checkpoint').selectAll().where('job_id', '=', job.id).executeTakeFirstOrThrow();
    assert.deepEqual([checkpoint.weeks, checkpoint.still_in_work, checkpoint.confirmed_on], [13, true, daysFromToday(-5)]);
    assert.match((await worker.browser.get(`/episodes/${episodeId}/jobs`)).body, /Sustained/);

    const url26 = `/episodes/${episodeId}/jobs/${job.id}/checkpoints/26`;
    const notDue = await worker.browser.submit(url26, url26, { stillInWork: 'yes', ...dateFields('confirmedOn', londonToday()) });
    assert.equal(notDue.statusCode, 400);
    assert.match(notDue.body, /The 26-week checkpoint is not due until/);
    assert.equal((await t.deps.db.selectFrom('job_checkpoint').select('weeks').where('job_id', '=', job.id).execute()).length, 1);
    assert.equal((await worker.browser.get(`/episodes/${episodeId}/jobs/${job.id}/checkpoints/14`)).statusCode, 404);
  });

  test('benefits counselling 31 days before the counted start is flagged; 30 days is not', async () => {
    const flagged = await personWithEpisode(t, org.id);
    const inTime = await personWithEpisode(t, org.id);
    for (const [{ episodeId }, heldOn] of [[flagged, '2025-05-02'], [inTime, '2025-05-03']] as const) {
      await t.deps.db.insertInto('benefits_session').values({ organisation_id: org.id, episode_id: episodeId, held_on: heldOn, adviser: 'Adviser', calculation: null }).execute();
      await record(episodeId, jobForm(dateFields('countedStartOn', '2025-06-02')));
    }
    assert.match((await worker.browser.get(`/episodes/${flagged.episodeId}/jobs`)).body, /No benefits counselling in the 30 days before the start/);
    assert.doesNotMatch((await worker.browser.get(`/episodes/${inTime.episodeId}/jobs`)).body, /No benefits counselling in the 30 days before the start/);
  });

  test('follow-along timing is worked out from contacts with the person and in-work employer contacts', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, jobForm({ ...dateFields('startsOn', '2026-03-02'), ...dateFields('countedStartOn', '2026-03-02') }));
    await contactFor(t, org.id, episodeId, { at: '2026-02-25T10:00:00Z' });
    await contactFor(t, org.id, episodeId, { at: '2026-03-10T10:00:00Z', with: 'employer', type: 'phone' });
    await contactFor(t, org.id, episodeId, { at: '2026-03-03T10:00:00Z', attended: false });
    const contact = await t.deps.db
      .insertInto('employer_contact')
      .values({ organisation_id: org.id, employer_id: employerId, specialist_id: worker.userId, occurred_on: '2026-03-04', method_code: 'phone', purpose_code: 'in_work_support' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.deps.db.insertInto('employer_contact_participant').values({ organisation_id: org.id, employer_contact_id: contact.id, episode_id: episodeId }).execute();

    const { followAlongTiming } = await import('../../src/modules/jobs/service.ts');
    const timing = await followAlongTiming(t.deps.db, org.id, [episodeId], '2026-05-20');
    const statuses = Object.fromEntries(timing.get(episodeId)![0].expectations.map((e) => [e.key, e.status]));
    assert.deepEqual(statuses, {
      'before-start': 'met',
      'after-start': 'met',
      'week-1': 'met',
      'week-2': 'met',
      'week-3': 'missed',
      'week-4': 'missed',
      'month-2026-04': 'missed',
      'month-2026-05': 'not-yet-due',
    });
    assert.equal(timing.get(episodeId)![0].expectations[1].metOn, '2026-03-04', 'the did-not-attend contact on 3 March does not count');
    const page = await worker.browser.get(`/episodes/${episodeId}/jobs`);
    assert.match(page.body, /In-work support: follow-along timing against IPS expectations/);
    assert.match(page.body, /Contact within 3 days after the start/);
  });

  test('another organisation’s episode or job, or a job on another episode, is not found', async () => {
    const mine = await personWithEpisode(t, org.id);
    const theirs = await personWithEpisode(t, otherOrg.id);
    await record(mine.episodeId, jobForm());
    const [job] = await jobsOf(mine.episodeId);
    const other = await personWithEpisode(t, org.id);
    assert.equal((await worker.browser.get(`/episodes/${theirs.episodeId}/jobs`)).statusCode, 404);
    assert.equal((await worker.browser.get(`/episodes/${other.episodeId}/jobs/${job.id}/edit`)).statusCode, 404);
    assert.equal((await worker.browser.get(`/episodes/${mine.episodeId}/jobs/not-a-uuid/edit`)).statusCode, 404);
    const mentor = await t.signedIn(org.id, 'volunteer_mentor');
    assert.equal((await mentor.browser.get(`/episodes/${mine.episodeId}/jobs`)).statusCode, 403);
  });
});
