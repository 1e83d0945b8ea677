import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { type CohortSpec, cohortCte, inOrganisations } from '../outcomes/queries/cohort.ts';

/**
 * Reporting is a read model across the employment tables (job,
 * job_search_activity, employer_contact and its participants,
 * benefits_session, vocational_profile, employment_plan) and the journey's
 * (episode, person, release, contact). These queries only read; the modules
 * that own those tables keep their rules. Every query filters by organisation.
 * The definitions live in docs/metrics.md.
 */

export type Cohort = Omit<CohortSpec, 'organisationIds'>;

function cohortOf(organisationIds: readonly string[], cohort: Cohort, asAt: string, options: { release?: boolean } = {}): RawBuilder<unknown> {
  return cohortCte({ ...cohort, organisationIds }, asAt, options);
}

/** The instant the London day of a date expression begins, so a timestamp column is compared as stored (and its index can serve the range). */
function londonMidnight(day: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`((${day})::timestamp at time zone 'Europe/London')`;
}

/** Counted job starts (4 hours of paid work) of the cohort by asAt, not deleted, as a CTE named "starts". */
function startsCte(organisationIds: readonly string[], asAt: string): RawBuilder<unknown> {
  return sql`starts as (
    select j.id, j.episode_id, c.person_id, j.counted_start_on, j.job_type_code, j.employer_id, j.competitive
      from job j
      join cohort c on c.episode_id = j.episode_id
     where ${inOrganisations('j.organisation_id', organisationIds)} and j.deleted_at is null and j.counted_start_on <= ${asAt}::date
  )`;
}

export interface EmploymentFiguresRow {
  /** Job-search activities by kind: people and total. */
  activities: Array<{ kind: string; people: number; total: number }>;
  trained_into_work: number;
  /** Counted starts: people with one, all of them, people with two or more, competitive ones. */
  start_people: number;
  start_total: number;
  start_people_with_two_or_more: number;
  start_competitive: number;
  by_job_type: Array<{ code: string; jobs: number }>;
  by_employer: Array<{ employer_id: string; jobs: number }>;
  /** Counted starts whose follow-along window had ended by asAt, and how many had a contact in it. */
  follow_along_starts: number;
  follow_along_followed: number;
}

/**
 * Every job-search and job-start figure of the cohort by asAt in one
 * statement, so the cohort and its counted starts are built once for the
 * activity table and the IPS measures alike.
 *
 * Trained into work: people with a training course who had a counted start
 * on or after a course's start date; such a pair exists exactly when the
 * person's latest start is on or after their first course. Follow-along: a
 * counted start whose window (start day plus windowDays) had ended by asAt,
 * followed when an attended contact with the person or the employer, or an
 * in-work-support employer contact on the person's behalf, fell in it. Trained
 * into work is a join; follow-along is a semi-join on the contact's
 * timestamp, which the planner may serve from the contact index per start.
 */
export async function employmentFigures(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string, windowDays: number): Promise<EmploymentFiguresRow> {
  const result = await sql<EmploymentFiguresRow>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)},
    activity_people as (
      select a.kind, c.person_id, count(*) as n, min(a.occurred_on) as first_on
        from job_search_activity a
        join cohort c on c.episode_id = a.episode_id
       where ${inOrganisations('a.organisation_id', organisationIds)} and a.deleted_at is null and a.occurred_on <= ${asAt}::date
       group by a.kind, c.person_id
    ),
    per_person as (select person_id, count(*) as n, max(counted_start_on) as last_start_on from starts group by person_id),
    due as (select id, episode_id, counted_start_on from starts where counted_start_on + ${windowDays}::int <= ${asAt}::date),
    followed as (
      select d.id from due d
       where exists (
         select 1 from contact k
          where ${inOrganisations('k.organisation_id', organisationIds)} and k.episode_id = d.episode_id
            and k.deleted_at is null and k.attended and k.with_code in ('person', 'employer')
            and k.occurred_at >= ${londonMidnight(sql`d.counted_start_on`)} and k.occurred_at < ${londonMidnight(sql`d.counted_start_on + ${windowDays + 1}::int`)}
       )
      union
      select d.id from due d
       where exists (
         select 1 from employer_contact_participant p
           join employer_contact ec on ec.id = p.employer_contact_id and ec.organisation_id = p.organisation_id
          where ${inOrganisations('ec.organisation_id', organisationIds)} and ${inOrganisations('p.organisation_id', organisationIds)} and p.episode_id = d.episode_id
            and ec.purpose_code = 'in_work_support'
            and ec.occurred_on between d.counted_start_on and d.counted_start_on + ${windowDays}::int
       )
    )
    select coalesce((select json_agg(k) from (
             select kind, count(*)::int as people, sum(n)::int as total from activity_people group by kind
           ) k), '[]') as activities,
           (select count(*) from activity_people ap join per_person pp on pp.person_id = ap.person_id
             where ap.kind = 'training_course' and pp.last_start_on >= ap.first_on)::int as trained_into_work,
           (select count(*) from per_person)::int as start_people,
           (select count(*) from starts)::int as start_total,
           (select count(*) from per_person where n >= 2)::int as start_people_with_two_or_more,
           (select count(*) from starts where competitive)::int as start_competitive,
           coalesce((select json_agg(t order by t.jobs desc, t.code) from (
             select job_type_code as code, count(*)::int as jobs from starts group by job_type_code
           ) t), '[]') as by_job_type,
           coalesce((select json_agg(e order by e.jobs desc, e.employer_id) from (
             select employer_id, count(*)::int as jobs from starts group by employer_id
           ) e), '[]') as by_employer,
           (select count(*) from due)::int as follow_along_starts,
           (select count(*) from followed)::int as follow_along_followed
  `.execute(db);
  return result.rows[0];
}

export type FirstEvent = 'employer_contact' | 'job';
export type StartPoint = 'referral' | 'release';

export interface DaysRow {
  eligible: number;
  n: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  band_0_30: number;
  band_31_60: number;
  band_61_90: number;
  band_91_180: number;
  band_181_365: number;
  band_over_365: number;
}

export type DaysRows = Record<FirstEvent, Record<StartPoint, DaysRow>>;

const DAYS_MEASURES = [
  { event: 'employer_contact', from: 'referral', first: 'first_contact_on', start: 'referred_on' },
  { event: 'employer_contact', from: 'release', first: 'first_contact_on', start: 'released_on' },
  { event: 'job', from: 'referral', first: 'first_job_on', start: 'referred_on' },
  { event: 'job', from: 'release', first: 'first_job_on', start: 'released_on' },
] as const;

/** The summary columns of one measure, each named with its prefix, over the days column of that name. */
function daysColumns(prefix: string, start: string): RawBuilder<unknown> {
  const days = sql.ref(prefix);
  const column = (name: string) => sql.ref(`${prefix}_${name}`);
  return sql`count(*) filter (where ${sql.ref(start)} is not null)::int as ${column('eligible')},
           count(${days})::int as ${column('n')},
           percentile_cont(array[0.5, 0.25, 0.75]) within group (order by ${days}) as ${column('quartiles')},
           count(*) filter (where ${days} <= 30)::int as ${column('band_0_30')},
           count(*) filter (where ${days} between 31 and 60)::int as ${column('band_31_60')},
           count(*) filter (where ${days} between 61 and 90)::int as ${column('band_61_90')},
           count(*) filter (where ${days} between 91 and 180)::int as ${column('band_91_180')},
           count(*) filter (where ${days} between 181 and 365)::int as ${column('band_181_365')},
           count(*) filter (where ${days} > 365)::int as ${column('band_over_365')}`;
}

/**
 * Days from referral and from release to the first face-to-face employer
 * contact on the person's behalf, and to the first counted job start, per
 * episode: all four measures in one statement. An event dated before the
 * start point counts as 0 days.
 *
 * Shaped for the planner: the cohort is read once (so it is not materialised
 * and keeps the episode table's statistics) and joined to each episode's
 * firsts, grouped in one pass. A subquery per episode, or grouped subqueries
 * joined to a materialised cohort, made estimates of billions of rows at
 * 100,000 episodes, which switched on JIT compilation: over a second a statement.
 */
export async function daysToFirst(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string): Promise<DaysRows> {
  const days = (first: string, start: string) =>
    sql`case when ${sql.ref(first)} is not null and ${sql.ref(start)} is not null then greatest(0, ${sql.ref(first)} - ${sql.ref(start)}) end`;
  const result = await sql<Record<string, number | number[] | null>>`
    with ${cohortOf(organisationIds, cohort, asAt, { release: true })},
    events as (
      select p.episode_id, 'employer_contact' as event, ec.occurred_on as on_date
        from employer_contact_participant p
        join employer_contact ec on ec.id = p.employer_contact_id and ec.organisation_id = p.organisation_id
       where ${inOrganisations('p.organisation_id', organisationIds)} and ${inOrganisations('ec.organisation_id', organisationIds)}
         and ec.method_code = 'face_to_face' and ec.occurred_on <= ${asAt}::date
      union all
      select j.episode_id, 'job', j.counted_start_on
        from job j
       where ${inOrganisations('j.organisation_id', organisationIds)} and j.deleted_at is null and j.counted_start_on <= ${asAt}::date
    ),
    firsts as (
      select episode_id,
             min(on_date) filter (where event = 'employer_contact') as first_contact_on,
             min(on_date) filter (where event = 'job') as first_job_on
        from events
       group by episode_id
    ),
    measured as (
      select c.referred_on, c.released_on,
             ${sql.join(
               DAYS_MEASURES.map((measure) => sql`${days(measure.first, measure.start)} as ${sql.ref(`${measure.event}_${measure.from}`)}`),
               sql`, `,
             )}
        from cohort c
        left join firsts f on f.episode_id = c.episode_id
    )
    select ${sql.join(
      DAYS_MEASURES.map((measure) => daysColumns(`${measure.event}_${measure.from}`, measure.start)),
      sql`, `,
    )}
      from measured
  `.execute(db);
  const row = result.rows[0];
  const measureOf = (prefix: string): DaysRow => {
    const value = (name: string) => Number(row[`${prefix}_${name}`] ?? 0);
    const quartiles = row[`${prefix}_quartiles`] as Array<number | string | null> | null;
    const quartile = (index: number) => (quartiles?.[index] == null ? null : Number(quartiles[index]));
    return {
      eligible: value('eligible'),
      n: value('n'),
      median: quartile(0),
      q1: quartile(1),
      q3: quartile(2),
      band_0_30: value('band_0_30'),
      band_31_60: value('band_31_60'),
      band_61_90: value('band_61_90'),
      band_91_180: value('band_91_180'),
      band_181_365: value('band_181_365'),
      band_over_365: value('band_over_365'),
    };
  };
  return {
    employer_contact: { referral: measureOf('employer_contact_referral'), release: measureOf('employer_contact_release') },
    job: { referral: measureOf('job_referral'), release: measureOf('job_release') },
  };
}

/** Face-to-face employer contacts per specialist per week, for the given Mondays; specialists who logged any employer contact in those weeks. */
export async function weeklyFaceToFace(db: Db, organisationIds: readonly string[], mondays: string[]) {
  if (mondays.length === 0) return [];
  const result = await sql<{ specialist_id: string; display_name: string; monday: string; n: number }>`
    with weeks as (select unnest(${sql.val(mondays)}::date[]) as monday),
    specialists as (
      select distinct ec.specialist_id from employer_contact ec
       where ${inOrganisations('ec.organisation_id', organisationIds)}
         and ec.occurred_on >= ${mondays[0]}::date and ec.occurred_on < ${mondays[mondays.length - 1]}::date + 7
    )
    select s.specialist_id, u.display_name, w.monday,
           (select count(*) from employer_contact ec
             where ${inOrganisations('ec.organisation_id', organisationIds)} and ec.specialist_id = s.specialist_id
               and ec.method_code = 'face_to_face'
               and ec.occurred_on >= w.monday and ec.occurred_on < w.monday + 7)::int as n
      from specialists s
      join app_user u on ${inOrganisations('u.organisation_id', organisationIds)} and u.id = s.specialist_id
      cross join weeks w
     order by lower(u.display_name), s.specialist_id, w.monday
  `.execute(db);
  return result.rows.map((row) => ({ ...row, n: Number(row.n) }));
}

export async function employmentRate(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await sql<{ episodes: number; started: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)}
    select (select count(*) from cohort)::int as episodes,
           (select count(distinct episode_id) from starts)::int as started
  `.execute(db);
  return { episodes: Number(result.rows[0].episodes), started: Number(result.rows[0].started) };
}

export interface StageFactsRow {
  episode_id: string;
  has_profile: boolean;
  benefits_sessions: number;
  job_search_started_on: string | null;
  search_activities: number;
  employer_contacts: number;
  last_interview_on: string | null;
  pending_interviews: number;
  current_jobs: number;
  earliest_current_counted_start_on: string | null;
}

/** The records the employment stage is derived from, for each of the given episodes, on `today`. */
export async function stageFacts(db: Db, organisationIds: readonly string[], episodeIds: readonly string[], today: string): Promise<StageFactsRow[]> {
  if (episodeIds.length === 0) return [];
  const result = await sql<StageFactsRow>`
    select e.id as episode_id,
           exists (select 1 from vocational_profile v where v.organisation_id = e.organisation_id and v.person_id = e.person_id) as has_profile,
           (select count(*) from benefits_session b where b.organisation_id = e.organisation_id and b.episode_id = e.id)::int as benefits_sessions,
           (select p.job_search_started_on from employment_plan p where p.organisation_id = e.organisation_id and p.episode_id = e.id) as job_search_started_on,
           (select count(*) from job_search_activity a
             where a.organisation_id = e.organisation_id and a.episode_id = e.id and a.deleted_at is null and a.kind in ('cv', 'application'))::int as search_activities,
           (select count(*) from employer_contact_participant ecp
             where ecp.organisation_id = e.organisation_id and ecp.episode_id = e.id)::int as employer_contacts,
           (select max(a.occurred_on) from job_search_activity a
             where a.organisation_id = e.organisation_id and a.episode_id = e.id and a.deleted_at is null and a.kind in ('interview', 'work_trial')) as last_interview_on,
           (select count(*) from job_search_activity a
             where a.organisation_id = e.organisation_id and a.episode_id = e.id and a.deleted_at is null
               and a.kind in ('interview', 'work_trial') and a.outcome_code = 'pending')::int as pending_interviews,
           (select count(*) from job j
             where j.organisation_id = e.organisation_id and j.episode_id = e.id and j.deleted_at is null
               and (j.ends_on is null or j.ends_on >= ${today}::date))::int as current_jobs,
           (select min(j.counted_start_on) from job j
             where j.organisation_id = e.organisation_id and j.episode_id = e.id and j.deleted_at is null
               and (j.ends_on is null or j.ends_on >= ${today}::date)) as earliest_current_counted_start_on
      from episode e
     where ${inOrganisations('e.organisation_id', organisationIds)} and e.id = any(${sql.val([...episodeIds])}::uuid[])
  `.execute(db);
  return result.rows;
}
