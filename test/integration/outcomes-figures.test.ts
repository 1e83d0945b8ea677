import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recomputeEpisodes } from '../../src/modules/engagement/service.ts';
import { DAY_BANDS } from '../../src/modules/employment-metrics/service.ts';
import { METRIC_DEFINITIONS } from '../../src/modules/outcomes/definitions.ts';
import { figureSections, PERIOD_MEASURES, periodActivity } from '../../src/modules/outcomes/figures/index.ts';
import type { CohortSpec } from '../../src/modules/outcomes/queries/cohort.ts';
import type { Cell, ReportSection, ReportTable } from '../../src/modules/outcomes/report-table.ts';
import { createTeam } from '../../src/modules/organisations/service.ts';
import { SYSTEM_ACTOR } from '../../src/platform/audit/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

/**
 * A hand-made cohort. Organisation X, referral period Q1 2026 (1 January to
 * 31 March), as at 30 June 2026:
 *   A  referred 10 Jan, probation, team 1, HMP Leeds; male, born 1 May 1990 (35), acquisitive, depression, White British.
 *      Met in prison 15 Jan; released 1 Feb; community contacts 3 Feb, 10 Feb (engaged), 2 Mar.
 *      Jobs counted 1 Mar (competitive, elementary, employer 1), 1 May (not competitive, skilled trades, employer 2),
 *      15 Mar (deleted), 10 Jul (after the as-at date). Face-to-face employer contact 20 Feb.
 *   B  referred 5 Feb, self-referral, team 1, HMP Leeds; female, born 1 Mar 2000 (25), violent (low), psychosis, White British.
 *      A missed prison meeting 10 Feb; released 15 Feb; community contacts 20 Feb, 1 Mar (engaged); phone call 20 Mar.
 *      No job; exited 15 May, disengaged. Recalled for breach 25 Feb (before engaging: not counted) and 10 Apr.
 *   C  referred 1 Mar, probation, team 2, HMP Durham; male, born 1 Jan 1970 (56), acquisitive, depression, Black African.
 *      Met in prison 5 Mar; no release recorded; community contacts 1 Apr, 5 Apr (engaged). Still open, no job.
 *      Remanded (alleged new offence) 1 May, new sentence 10 Jun, recalled 5 Jul (after the as-at date).
 *      Face-to-face employer contact 10 Apr.
 *   D  referred 20 Mar, no source, no team, no prison; nothing recorded about the person (no sex, diagnosis, birth date,
 *      ethnicity or offence). Released 1 May. A deleted community contact 1 Apr. Job counted 1 Jun (competitive,
 *      elementary, employer 1): into work without being engaged.
 *   E  referred 20 Jan, probation, team 2, HMP Leeds; male, born 1 Jun 1980 (45), drug supply, anxiety, White British.
 *      Released 18 Jan. Already in a job at referral (started 1 Jan, counted 2 Jan, sales, employer 2, no end).
 *      Community contacts 25 Jan, 1 Feb (engaged). Second job counted 12 Mar (elementary, employer 1), followed by
 *      an in-work-support phone call to the employer 14 Mar.
 *   F  referred 15 Dec 2025 (before the period), team 1: engaged 12 Jan, job counted 15 Feb, exited 20 Mar (goals met).
 *   G  referred 10 Apr 2026 (after the period), team 1: a community contact 15 Apr.
 * Organisation Y: H referred 1 Feb, engaged 10 Feb, job counted 1 Mar, recalled for breach 15 Mar.
 * Employer contacts in Q1 on X's people: A 20 Feb (face to face), B 5 Mar (phone), E 14 Mar, and one 20 Mar on behalf
 * of both A and B.
 */
const PERIOD = { from: '2026-01-01', to: '2026-03-31', asAt: '2026-06-30' };

function table(sections: ReportSection[], id: string): ReportTable {
  for (const section of sections) {
    const found = section.tables.find((candidate) => candidate.id === id);
    if (found) return found;
  }
  throw new Error(`no table ${id}`);
}

/** A table as { rowKey: { column: value } }, for whole-table comparisons. */
function cells(sections: ReportSection[], id: string, columns?: string[]): Record<string, Record<string, Cell>> {
  const found = table(sections, id);
  return Object.fromEntries(
    found.rows.map((row) => [row.key, Object.fromEntries(Object.entries(row.cells).filter(([key]) => (columns ? columns.includes(key) : true)))]),
  );
}

function column(sections: ReportSection[], id: string, key: string): Record<string, Cell> {
  return Object.fromEntries(table(sections, id).rows.map((row) => [row.key, row.cells[key]]));
}

describe(`outcomes report figures (${databaseLabel()})`, () => {
  let t: TestApp;
  let x: { id: string; teamId: string };
  let y: { id: string; teamId: string };
  let team2: string;
  let report: ReportSection[];

  before(async () => {
    t = await createTestApp();
    const db = t.deps.db;
    x = await t.organisation('Figures X');
    y = await t.organisation('Figures Y');
    team2 = (await createTeam(db, SYSTEM_ACTOR, x.id, 'Figures X second team')).id;
    const specialist = (await t.user(x.id, 'practitioner')).id;
    const specialistY = (await t.user(y.id, 'practitioner')).id;
    const employer = async (organisationId: string, name: string) =>
      (await db.insertInto('employer').values({ organisation_id: organisationId, name }).returning('id').executeTakeFirstOrThrow()).id;
    const e1 = await employer(x.id, 'Employer one');
    const e2 = await employer(x.id, 'Employer two');
    const ey = await employer(y.id, 'Employer Y');

    const ep: Record<string, { id: string; org: string }> = {};
    const episode = async (
      key: string,
      org: string,
      o: { referredOn: string; source?: string | null; team?: string | null; prison?: string; person?: Record<string, string | null> },
    ) => {
      const person = await db
        .insertInto('person')
        .values({ organisation_id: org, given_name: key, family_name: 'Figures', ...(o.person ?? {}) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await db
        .insertInto('episode')
        .values({ organisation_id: org, person_id: person.id, referred_on: o.referredOn, team_id: o.team ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('referral')
        .values({ episode_id: row.id, organisation_id: org, received_on: o.referredOn, status: 'accepted', source_code: o.source ?? null })
        .execute();
      if (o.prison) await db.insertInto('prison_stay').values({ organisation_id: org, episode_id: row.id, prison_code: o.prison, arrived_on: '2025-01-01' }).execute();
      ep[key] = { id: row.id, org };
    };
    const who = (sex: string, dob: string, offence: string, diagnosis: string, ethnicity: string) => ({
      sex_code: sex,
      date_of_birth: dob,
      offence_category_code: offence,
      primary_diagnosis_code: diagnosis,
      ethnicity_code: ethnicity,
    });
    await episode('A', x.id, { referredOn: '2026-01-10', source: 'probation', team: x.teamId, prison: 'leeds', person: who('male', '1990-05-01', 'acquisitive', 'depression', 'white_british') });
    await episode('B', x.id, { referredOn: '2026-02-05', source: 'self', team: x.teamId, prison: 'leeds', person: who('female', '2000-03-01', 'violent_low', 'psychosis', 'white_british') });
    await episode('C', x.id, { referredOn: '2026-03-01', source: 'probation', team: team2, prison: 'durham', person: who('male', '1970-01-01', 'acquisitive', 'depression', 'black_african') });
    await episode('D', x.id, { referredOn: '2026-03-20' });
    await episode('E', x.id, { referredOn: '2026-01-20', source: 'probation', team: team2, prison: 'leeds', person: who('male', '1980-06-01', 'drug_supply', 'anxiety', 'white_british') });
    await episode('F', x.id, { referredOn: '2025-12-15', source: 'probation', team: x.teamId, person: { sex_code: 'male', date_of_birth: '1985-01-01' } });
    await episode('G', x.id, { referredOn: '2026-04-10', source: 'probation', team: x.teamId });
    await episode('H', y.id, { referredOn: '2026-02-01', source: 'probation', team: y.teamId, prison: 'leeds', person: { sex_code: 'male', date_of_birth: '1995-01-01' } });

    await db
      .insertInto('release')
      .values(
        [
          ['A', '2026-02-01'],
          ['B', '2026-02-15'],
          ['D', '2026-05-01'],
          ['E', '2026-01-18'],
        ].map(([key, on]) => ({ organisation_id: x.id, episode_id: ep[key].id, released_on: on, release_type_code: 'conditional_release' })),
      )
      .execute();

    const contact = (key: string, on: string, o: { setting?: string; type?: string; with?: string; attended?: boolean; deleted?: boolean } = {}) => ({
      organisation_id: ep[key].org,
      episode_id: ep[key].id,
      occurred_at: new Date(`${on}T12:00:00Z`),
      type_code: o.type ?? 'face_to_face',
      setting_code: o.setting ?? 'community',
      with_code: o.with ?? 'person',
      attended: o.attended ?? true,
      deleted_at: o.deleted ? new Date() : null,
      delete_reason: o.deleted ? 'entered in error' : null,
    });
    await db
      .insertInto('contact')
      .values([
        contact('A', '2026-01-15', { setting: 'prison' }),
        contact('A', '2026-02-03'),
        contact('A', '2026-02-05', { with: 'probation' }),
        contact('A', '2026-02-10'),
        contact('A', '2026-03-02'),
        contact('B', '2026-02-10', { setting: 'prison', attended: false }),
        contact('B', '2026-02-20'),
        contact('B', '2026-03-01'),
        contact('B', '2026-03-20', { type: 'phone' }),
        contact('C', '2026-03-05', { setting: 'prison' }),
        contact('C', '2026-04-01'),
        contact('C', '2026-04-05'),
        contact('D', '2026-04-01', { deleted: true }),
        contact('E', '2026-01-25'),
        contact('E', '2026-02-01'),
        contact('F', '2026-01-05'),
        contact('F', '2026-01-12'),
        contact('G', '2026-04-15'),
        contact('H', '2026-02-05'),
        contact('H', '2026-02-10'),
      ])
      .execute();

    const job = (key: string, employerId: string, type: string, startsOn: string, counted: string | null, competitive: boolean, deleted = false) => ({
      organisation_id: ep[key].org,
      episode_id: ep[key].id,
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
    await db
      .insertInto('job')
      .values([
        job('A', e1, 'elementary', '2026-02-28', '2026-03-01', true),
        job('A', e2, 'skilled_trades', '2026-05-01', '2026-05-01', false),
        job('A', e1, 'elementary', '2026-03-15', '2026-03-15', true, true),
        job('A', e1, 'elementary', '2026-07-05', '2026-07-10', true),
        job('D', e1, 'elementary', '2026-06-01', '2026-06-01', true),
        job('E', e2, 'sales_customer_service', '2026-01-01', '2026-01-02', true),
        job('E', e1, 'elementary', '2026-03-10', '2026-03-12', true),
        job('F', e1, 'elementary', '2026-02-15', '2026-02-15', true),
        job('H', ey, 'elementary', '2026-03-01', '2026-03-01', true),
      ])
      .execute();

    const activity = (key: string, kind: 'cv' | 'application' | 'interview' | 'work_trial' | 'work_placement' | 'training_course', on: string, deleted = false) => ({
      organisation_id: ep[key].org,
      episode_id: ep[key].id,
      kind,
      occurred_on: on,
      deleted_at: deleted ? new Date() : null,
    });
    await db
      .insertInto('job_search_activity')
      .values([
        activity('A', 'cv', '2026-02-12'),
        activity('A', 'cv', '2026-02-14', true),
        activity('A', 'application', '2026-02-13'),
        activity('A', 'application', '2026-02-20'),
        activity('A', 'interview', '2026-02-25'),
        activity('A', 'interview', '2026-07-02'),
        activity('A', 'training_course', '2026-02-15'),
        activity('A', 'work_trial', '2026-02-26'),
        activity('B', 'cv', '2026-03-05'),
        activity('B', 'training_course', '2026-03-10'),
        activity('H', 'cv', '2026-02-12'),
      ])
      .execute();

    const employerContact = async (org: string, by: string, employerId: string, on: string, method: string, purpose: string, keys: string[]) => {
      const row = await db
        .insertInto('employer_contact')
        .values({ organisation_id: org, employer_id: employerId, specialist_id: by, occurred_on: on, method_code: method, purpose_code: purpose })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('employer_contact_participant')
        .values(keys.map((key) => ({ organisation_id: org, employer_contact_id: row.id, episode_id: ep[key].id })))
        .execute();
    };
    await employerContact(x.id, specialist, e1, '2026-02-20', 'face_to_face', 'presenting_candidate', ['A']);
    await employerContact(x.id, specialist, e1, '2026-03-05', 'phone', 'presenting_candidate', ['B']);
    await employerContact(x.id, specialist, e1, '2026-03-14', 'phone', 'in_work_support', ['E']);
    await employerContact(x.id, specialist, e2, '2026-03-20', 'phone', 'follow_up', ['A', 'B']);
    await employerContact(x.id, specialist, e1, '2026-04-10', 'face_to_face', 'presenting_candidate', ['C']);
    await employerContact(y.id, specialistY, ey, '2026-02-20', 'face_to_face', 'presenting_candidate', ['H']);

    const custody = (key: string, kind: string, reason: string, on: string) => ({
      organisation_id: ep[key].org,
      episode_id: ep[key].id,
      kind_code: kind,
      reason_code: reason,
      occurred_on: on,
    });
    await db
      .insertInto('custody_event')
      .values([
        custody('B', 'recall', 'breach_of_licence', '2026-02-25'),
        custody('B', 'recall', 'breach_of_licence', '2026-04-10'),
        custody('C', 'remand', 'alleged_new_offence', '2026-05-01'),
        custody('C', 'new_sentence', 'proven_new_offence', '2026-06-10'),
        custody('C', 'recall', 'breach_of_licence', '2026-07-05'),
        custody('H', 'recall', 'breach_of_licence', '2026-03-15'),
      ])
      .execute();

    await db.updateTable('episode').set({ exited_on: '2026-05-15', exit_reason_code: 'disengaged' }).where('id', '=', ep.B.id).execute();
    await db.updateTable('episode').set({ exited_on: '2026-03-20', exit_reason_code: 'goals_met' }).where('id', '=', ep.F.id).execute();
    await recomputeEpisodes(db, x.id, ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((key) => ep[key].id));
    await recomputeEpisodes(db, y.id, [ep.H.id]);

    report = await figureSections(db, { organisationIds: [x.id] }, PERIOD, x.id);
  });
  after(() => t.close());

  test('the funnel counts the cohort A to E as at 30 June, with rates against the stage before and against referrals', () => {
    assert.deepEqual(cells(report, 'funnel'), {
      // A, B, C, D, E: F was referred before the period, G after it, H is another organisation's.
      referred: { stage: 'Referred', count: 5, rate_previous: null, rate_referred: 1 },
      // A and C (B's prison meeting was missed).
      met_in_custody: { stage: 'Met in custody', count: 2, rate_previous: 2 / 5, rate_referred: 2 / 5 },
      // A, B, C (1 April is before the as-at date), E; D's only contact was deleted.
      seen_in_community: { stage: 'Seen at least once in the community', count: 4, rate_previous: 4 / 2, rate_referred: 4 / 5 },
      engaged: { stage: 'Engaged', count: 4, rate_previous: 4 / 4, rate_referred: 4 / 5 },
      // A (1 March), D (1 June), E (2 January).
      into_work: { stage: 'Into work', count: 3, rate_previous: 3 / 4, rate_referred: 3 / 5 },
      into_work_engaged: { stage: 'Into work: engaged', count: 2, rate_previous: 2 / 3, rate_referred: 2 / 5 },
      into_work_not_engaged: { stage: 'Into work: not engaged', count: 1, rate_previous: 1 / 3, rate_referred: 1 / 5 },
      // A 1 March and 1 May (not the deleted one, not 10 July), D 1 June, E 2 January and 12 March.
      job_starts: { stage: 'Total job starts', count: 5, rate_previous: null, rate_referred: null },
      // A and E.
      two_or_more_jobs: { stage: 'People with two or more jobs', count: 2, rate_previous: 2 / 3, rate_referred: 2 / 5 },
    });
    assert.deepEqual(table(report, 'funnel').rowGroups, [{ total: 'into_work', parts: ['into_work_engaged', 'into_work_not_engaged'] }]);
  });

  test('by month: referrals, engagements and job starts of the cohort in each month of the period', () => {
    assert.deepEqual(cells(report, 'monthly'), {
      // Referred A, E; no engagement; E's job 2 January.
      '2026-01': { month: 'Jan 2026', referrals: 2, engagements: 0, job_starts: 1 },
      // Referred B; engaged A (10 Feb) and E (1 Feb); F's job is not the cohort's.
      '2026-02': { month: 'Feb 2026', referrals: 1, engagements: 2, job_starts: 0 },
      // Referred C, D; engaged B; jobs A 1 March, E 12 March (A's deleted 15 March job does not count).
      '2026-03': { month: 'Mar 2026', referrals: 2, engagements: 1, job_starts: 2 },
      total: { month: 'Total', referrals: 5, engagements: 3, job_starts: 3 },
    });
    assert.deepEqual(table(report, 'monthly').additive, ['referrals', 'engagements', 'job_starts']);
  });

  test('breakdowns: referred and engaged side by side, in reference-list order, with not recorded and a total', () => {
    // Engaged: A, B, C, E. D has nothing recorded and is not engaged.
    assert.deepEqual(cells(report, 'offence'), {
      acquisitive: { category: 'Acquisitive', referred: 2, referred_share: 2 / 5, engaged: 2, engaged_share: 2 / 4 },
      violent_low: { category: 'Violent (low)', referred: 1, referred_share: 1 / 5, engaged: 1, engaged_share: 1 / 4 },
      drug_supply: { category: 'Drug supply', referred: 1, referred_share: 1 / 5, engaged: 1, engaged_share: 1 / 4 },
      not_recorded: { category: 'Not recorded', referred: 1, referred_share: 1 / 5, engaged: 0, engaged_share: 0 },
      total: { category: 'Total', referred: 5, referred_share: 1, engaged: 4, engaged_share: 1 },
    });
    const counts = (id: string) => Object.fromEntries(table(report, id).rows.map((row) => [row.key, [row.cells.referred, row.cells.engaged]]));
    assert.deepEqual(counts('diagnosis'), { psychosis: [1, 1], depression: [2, 2], anxiety: [1, 1], not_recorded: [1, 0], total: [5, 4] });
    assert.deepEqual(counts('source'), { probation: [3, 3], self: [1, 1], not_recorded: [1, 0], total: [5, 4] });
    assert.deepEqual(counts('sex'), { female: [1, 1], male: [3, 3], not_recorded: [1, 0], total: [5, 4] });
    // Ages at referral: B 25, A 35, E 45, C 56; D has no birth date.
    assert.deepEqual(counts('age'), { '25_34': [1, 1], '35_44': [1, 1], '45_54': [1, 1], '55_plus': [1, 1], not_recorded: [1, 0], total: [5, 4] });
    assert.equal(table(report, 'age').rows.find((row) => row.key === '55_plus')?.cells.category, '55 and over');
    assert.deepEqual(counts('ethnicity'), { black_african: [1, 1], white_british: [3, 3], not_recorded: [1, 0], total: [5, 4] });
    // The prison list is in label order: HMP Durham before HMP Leeds.
    assert.deepEqual(counts('prison'), { durham: [1, 1], leeds: [3, 3], not_recorded: [1, 0], total: [5, 4] });
    assert.equal(table(report, 'prison').rows[0].cells.category, 'HMP Durham');
    for (const id of ['offence', 'diagnosis', 'source', 'sex', 'age', 'ethnicity', 'prison']) {
      assert.deepEqual(table(report, id).additive, ['referred', 'engaged']);
      assert.equal(table(report, id).rows.at(-1)?.isTotal, true);
    }
  });

  test('age summary: mean to one decimal place and range, over those with a birth date', () => {
    // (35 + 25 + 56 + 45) / 4 = 40.25, shown as 40.3. All four are engaged.
    assert.deepEqual(cells(report, 'age-summary'), {
      referred: { group: 'Referred', people: 4, mean: 40.3, youngest: 25, oldest: 56 },
      engaged: { group: 'Engaged', people: 4, mean: 40.3, youngest: 25, oldest: 56 },
    });
    assert.deepEqual(
      table(report, 'age-summary').rows.map((row) => row.basis),
      [4, 4],
    );
  });

  test('activity: people and totals, deleted and later records left out, mentoring not yet available', () => {
    assert.deepEqual(cells(report, 'activity', ['people', 'total']), {
      // A 12 Feb (not the deleted one), B 5 Mar.
      cvs: { people: 2, total: 2 },
      applications: { people: 1, total: 2 },
      // A's 2 July interview is after the as-at date.
      interviews: { people: 1, total: 1 },
      training_courses: { people: 2, total: 2 },
      // A's course 15 Feb, counted start 1 March; B never started work.
      trained_into_work: { people: 1, total: null },
      work_trials: { people: 1, total: 1 },
      work_placements: { people: 0, total: 0 },
      // A (2), D (1), E (2).
      jobs: { people: 3, total: 5 },
      mentoring: { people: null, total: null },
    });
    assert.deepEqual(table(report, 'activity').notes, [
      'Mentoring matches are not yet recorded in Throughgate: this row will fill in once mentoring exists',
    ]);
  });

  test('exits and returns to custody among the engaged', () => {
    // Engaged without a counted start: B (exited, disengaged) and C (open). A and E are in work.
    assert.deepEqual(cells(report, 'exits'), {
      disengaged: { reason: 'Disengaged', people: 1 },
      still_open: { reason: 'Still open', people: 1 },
      total: { reason: 'Total', people: 2 },
    });
    // B's recall on 10 April (not the one before engaging); C's remand and new sentence (not the July recall).
    assert.deepEqual(cells(report, 'returns-to-custody', ['people', 'events']), {
      recall_breach: { people: 1, events: 1 },
      new_offence_or_remand: { people: 1, events: 2 },
      any: { people: 2, events: 3 },
    });
  });

  test('timing: days to the first employer contact and the first job, from referral and from release', () => {
    // Employer contacts face to face: A 20 Feb (41 days from referral, 19 from release), C 10 Apr (40 from referral, no release).
    // Releases by the as-at date: A, B, D, E.
    assert.deepEqual(cells(report, 'time-to-first-employer-contact'), {
      from_referral: { start: 'Referral', eligible: 5, reached: 2, median: 40.5, lower_quartile: 40.25, upper_quartile: 40.75 },
      from_release: { start: 'Release', eligible: 4, reached: 1, median: 19, lower_quartile: 19, upper_quartile: 19 },
    });
    // First jobs: A 1 Mar (50 days from referral, 28 from release), D 1 Jun (73, 31), E 2 Jan (before both: 0, 0).
    // Quartiles of 0, 50, 73: 25 and 61.5; of 0, 28, 31: 14 and 29.5.
    assert.deepEqual(cells(report, 'time-to-first-job'), {
      from_referral: { start: 'Referral', eligible: 5, reached: 3, median: 50, lower_quartile: 25, upper_quartile: 61.5 },
      from_release: { start: 'Release', eligible: 4, reached: 3, median: 28, lower_quartile: 14, upper_quartile: 29.5 },
    });
    assert.deepEqual(
      table(report, 'time-to-first-job').rows.map((row) => row.basis),
      [3, 3],
    );
    assert.deepEqual(cells(report, 'time-to-first-job-bands', ['from_referral', 'from_release']), {
      band_0_30: { from_referral: 1, from_release: 2 },
      band_31_60: { from_referral: 1, from_release: 1 },
      band_61_90: { from_referral: 1, from_release: 0 },
      band_91_180: { from_referral: 0, from_release: 0 },
      band_181_365: { from_referral: 0, from_release: 0 },
      band_over_365: { from_referral: 0, from_release: 0 },
      // The bands add up to those who reached a job: 3 from referral, 3 from release.
      total: { from_referral: 3, from_release: 3 },
    });
    assert.deepEqual(
      table(report, 'time-to-first-job-bands').rows.map((row) => row.key),
      [...DAY_BANDS.map((band) => band.key), 'total'],
    );
  });

  test('IPS measures, job types and employer diversity', () => {
    assert.deepEqual(cells(report, 'ips-measures', ['numerator', 'denominator', 'value']), {
      // Out of work at referral: A, B, C, D (E had a job current on 20 Jan); A and D started work.
      employment_rate: { numerator: 2, denominator: 4, value: 0.5 },
      in_work_referrals: { numerator: 1, denominator: 5, value: 0.2 },
      // A's 1 May job was not competitive.
      competitive_jobs: { numerator: 4, denominator: 5, value: 0.8 },
      // A 1 Mar (community contact 2 Mar) and E 12 Mar (in-work support 14 Mar) were followed up; A 1 May, D, E 2 Jan were not.
      follow_along: { numerator: 2, denominator: 5, value: 0.4 },
    });
    assert.deepEqual(cells(report, 'job-types', ['jobs', 'share']), {
      skilled_trades: { jobs: 1, share: 0.2 },
      sales_customer_service: { jobs: 1, share: 0.2 },
      elementary: { jobs: 3, share: 0.6 },
      total: { jobs: 5, share: 1 },
    });
    assert.equal(table(report, 'job-types').rows[0].cells.job_type, '5 Skilled trades occupations');
    // Employer 1: A 1 Mar, D, E 12 Mar; employer 2: A 1 May, E 2 Jan.
    assert.deepEqual(column(report, 'employer-diversity', 'value'), { employers: 2, job_types: 3, largest_employer_share: 0.6 });
  });

  test('period activity: events in Q1 whatever the referral date, never another organisation’s', async () => {
    const expected = {
      // A, B, C, D, E (F in December, G in April).
      referrals: 5,
      met_in_custody: 2,
      // A 3 Feb, B 20 Feb, E 25 Jan, F 5 Jan (C's is in April).
      seen_in_community: 4,
      // A, B, E, F.
      engaged: 4,
      // First counted starts: A 1 Mar, E 2 Jan, F 15 Feb.
      people_starting_work: 3,
      // A 1 Mar, E 2 Jan and 12 Mar, F 15 Feb (A's 15 March job was deleted).
      job_starts: 4,
      // A 4 (not the probation contact), B 3 (not the missed one; the phone call counts), C 1, E 2, F 2.
      contacts: 12,
      // A 20 Feb, B 5 Mar, E 14 Mar, and the 20 March contact for A and B once.
      employer_contacts: 4,
      // F 20 March.
      exits: 1,
    };
    assert.deepEqual(await periodActivity(t.deps.db, { organisationIds: [x.id] }, PERIOD.from, PERIOD.to), expected);
    // The referral dates in the spec are ignored.
    assert.deepEqual(await periodActivity(t.deps.db, { organisationIds: [x.id], referredFrom: '2026-03-01', referredTo: '2026-03-31' }, PERIOD.from, PERIOD.to), expected);
    assert.deepEqual(cells(report, 'period-activity', ['count']), Object.fromEntries(PERIOD_MEASURES.map((measure) => [measure, { count: expected[measure] }])));
  });

  test('team, prison and source filters narrow the cohort and the period activity', async () => {
    const referred = async (filters: Partial<CohortSpec>) =>
      table(await figureSections(t.deps.db, { organisationIds: [x.id], ...filters }, PERIOD, x.id), 'funnel').rows[0].cells.count;
    assert.equal(await referred({ teamId: x.teamId }), 2); // A, B
    assert.equal(await referred({ teamId: team2 }), 2); // C, E
    assert.equal(await referred({ prisonCode: 'leeds' }), 3); // A, B, E
    assert.equal(await referred({ sourceCode: 'probation' }), 3); // A, C, E
    assert.equal(await referred({ teamId: y.teamId }), 0); // another organisation's team
    // Team 1 in Q1: referred A, B; engaged A, B, F; job starts A 1 Mar, F 15 Feb; F exited.
    const team1 = await periodActivity(t.deps.db, { organisationIds: [x.id], teamId: x.teamId }, PERIOD.from, PERIOD.to);
    assert.deepEqual([team1.referrals, team1.engaged, team1.job_starts, team1.exits], [2, 3, 2, 1]);
  });

  test('a multi-organisation scope counts both organisations', async () => {
    const both = await figureSections(t.deps.db, { organisationIds: [x.id, y.id] }, PERIOD, x.id);
    // H joins: referred, seen, engaged and into work (engaged) with one job start.
    assert.deepEqual(column(both, 'funnel', 'count'), {
      referred: 6,
      met_in_custody: 2,
      seen_in_community: 5,
      engaged: 5,
      into_work: 4,
      into_work_engaged: 3,
      into_work_not_engaged: 1,
      job_starts: 6,
      two_or_more_jobs: 2,
    });
    // H's recall on 15 March came after engaging on 10 February.
    assert.deepEqual(column(both, 'returns-to-custody', 'people'), { recall_breach: 2, new_offence_or_remand: 1, any: 3 });
    const period = await periodActivity(t.deps.db, { organisationIds: [x.id, y.id] }, PERIOD.from, PERIOD.to);
    assert.deepEqual([period.referrals, period.job_starts, period.employer_contacts], [6, 5, 5]);
  });

  test('an empty cohort gives zeros and null rates, without errors', async () => {
    const empty = await figureSections(t.deps.db, { organisationIds: [x.id] }, { from: '2020-01-01', to: '2020-02-29', asAt: '2020-06-30' }, x.id);
    for (const row of table(empty, 'funnel').rows) {
      assert.equal(row.cells.count, 0);
      assert.equal(row.cells.rate_previous, null);
      assert.equal(row.cells.rate_referred, null);
    }
    assert.deepEqual(cells(empty, 'monthly', ['referrals', 'engagements', 'job_starts']), {
      '2020-01': { referrals: 0, engagements: 0, job_starts: 0 },
      '2020-02': { referrals: 0, engagements: 0, job_starts: 0 },
      total: { referrals: 0, engagements: 0, job_starts: 0 },
    });
    assert.deepEqual(cells(empty, 'sex'), { total: { category: 'Total', referred: 0, referred_share: null, engaged: 0, engaged_share: null } });
    assert.deepEqual(cells(empty, 'age-summary', ['people', 'mean', 'youngest', 'oldest']).referred, { people: 0, mean: null, youngest: null, oldest: null });
    assert.deepEqual(cells(empty, 'exits'), { still_open: { reason: 'Still open', people: 0 }, total: { reason: 'Total', people: 0 } });
    assert.deepEqual(column(empty, 'ips-measures', 'value'), { employment_rate: null, in_work_referrals: null, competitive_jobs: null, follow_along: null });
    assert.deepEqual(column(empty, 'employer-diversity', 'value'), { employers: 0, job_types: 0, largest_employer_share: null });
    assert.equal(table(empty, 'time-to-first-job').rows[0].cells.median, null);
    assert.deepEqual(Object.values(await periodActivity(t.deps.db, { organisationIds: [x.id] }, '2020-01-01', '2020-02-29')), PERIOD_MEASURES.map(() => 0));
  });

  test('every table names a definition, and ids are unique', () => {
    const ids = report.flatMap((section) => section.tables.map((candidate) => candidate.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(
      report.map((section) => section.id),
      ['funnel', 'breakdowns', 'activity', 'exits', 'timing', 'ips', 'period'],
    );
    for (const section of report) for (const candidate of section.tables) assert.ok(METRIC_DEFINITIONS[candidate.metric], `${candidate.id} → ${candidate.metric}`);
  });
});
