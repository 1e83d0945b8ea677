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

function cohortOf(organisationIds: readonly string[], cohort: Cohort, asAt: string): RawBuilder<unknown> {
  return cohortCte({ ...cohort, organisationIds }, asAt);
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

export async function activityCounts(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await sql<{ kind: string; people: number; total: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}
    select a.kind, count(distinct c.person_id)::int as people, count(*)::int as total
      from job_search_activity a
      join cohort c on c.episode_id = a.episode_id
     where ${inOrganisations('a.organisation_id', organisationIds)} and a.deleted_at is null and a.occurred_on <= ${asAt}::date
     group by a.kind
  `.execute(db);
  return result.rows;
}

/**
 * People with a training course by asAt who had a counted start on or after a course's start date:
 * a start on or after the course exists exactly when the person's latest start is. A join, not a
 * correlated exists, so a planner without statistics cannot turn it into a rescan per course.
 */
export async function trainedIntoWork(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string): Promise<number> {
  const result = await sql<{ n: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)},
    last_start as (select person_id, max(counted_start_on) as on_date from starts group by person_id)
    select count(distinct c.person_id)::int as n
      from job_search_activity a
      join cohort c on c.episode_id = a.episode_id
      join last_start l on l.person_id = c.person_id and l.on_date >= a.occurred_on
     where ${inOrganisations('a.organisation_id', organisationIds)} and a.deleted_at is null and a.kind = 'training_course'
       and a.occurred_on <= ${asAt}::date
  `.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function jobStarts(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await sql<{ people: number; total: number; people_with_two_or_more: number; competitive: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)},
    per_person as (select person_id, count(*) as n from starts group by person_id)
    select (select count(*) from per_person)::int as people,
           (select count(*) from starts)::int as total,
           (select count(*) from per_person where n >= 2)::int as people_with_two_or_more,
           (select count(*) from starts where competitive)::int as competitive
  `.execute(db);
  const row = result.rows[0];
  return {
    people: Number(row.people),
    total: Number(row.total),
    peopleWithTwoOrMore: Number(row.people_with_two_or_more),
    competitive: Number(row.competitive),
  };
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

/**
 * Days from referral or release to the first face-to-face employer contact on
 * the person's behalf, or to the first counted job start, per episode. An
 * event dated before the start point counts as 0 days.
 */
export async function daysToFirst(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string, event: FirstEvent, from: StartPoint): Promise<DaysRow> {
  const start = from === 'referral' ? sql.ref('f.referred_on') : sql.ref('f.released_on');
  const first = event === 'employer_contact' ? sql.ref('f.first_contact_on') : sql.ref('f.first_job_on');
  const result = await sql<DaysRow>`
    with ${cohortOf(organisationIds, cohort, asAt)},
    firsts as (
      select c.episode_id, c.referred_on, c.released_on,
             (select min(ec.occurred_on) from employer_contact ec
                join employer_contact_participant p on p.employer_contact_id = ec.id and p.organisation_id = ec.organisation_id
               where p.episode_id = c.episode_id and ${inOrganisations('p.organisation_id', organisationIds)} and ${inOrganisations('ec.organisation_id', organisationIds)}
                 and ec.method_code = 'face_to_face' and ec.occurred_on <= ${asAt}::date) as first_contact_on,
             (select min(j.counted_start_on) from job j
               where j.episode_id = c.episode_id and ${inOrganisations('j.organisation_id', organisationIds)}
                 and j.deleted_at is null and j.counted_start_on <= ${asAt}::date) as first_job_on
        from cohort c
    ),
    measured as (
      select greatest(0, ${first} - ${start}) as days from firsts f where ${first} is not null and ${start} is not null
    )
    select (select count(*) from firsts f where ${start} is not null)::int as eligible,
           count(*)::int as n,
           percentile_cont(0.5) within group (order by days) as median,
           percentile_cont(0.25) within group (order by days) as q1,
           percentile_cont(0.75) within group (order by days) as q3,
           count(*) filter (where days <= 30)::int as band_0_30,
           count(*) filter (where days between 31 and 60)::int as band_31_60,
           count(*) filter (where days between 61 and 90)::int as band_61_90,
           count(*) filter (where days between 91 and 180)::int as band_91_180,
           count(*) filter (where days between 181 and 365)::int as band_181_365,
           count(*) filter (where days > 365)::int as band_over_365
      from measured
  `.execute(db);
  return result.rows[0];
}

export async function startsByJobType(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await sql<{ code: string; jobs: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)}
    select job_type_code as code, count(*)::int as jobs from starts group by job_type_code order by count(*) desc, job_type_code
  `.execute(db);
  return result.rows.map((row) => ({ code: row.code, jobs: Number(row.jobs) }));
}

export async function startsByEmployer(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await sql<{ employer_id: string; jobs: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)}
    select employer_id, count(*)::int as jobs from starts group by employer_id order by count(*) desc, employer_id
  `.execute(db);
  return result.rows.map((row) => ({ employerId: row.employer_id, jobs: Number(row.jobs) }));
}

/** Counted starts whose follow-along window (start day plus 3 days) had ended by asAt, and how many had a contact in it. */
export async function followAlong(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string, windowDays: number) {
  const result = await sql<{ starts: number; followed: number }>`
    with ${cohortOf(organisationIds, cohort, asAt)}, ${startsCte(organisationIds, asAt)},
    due as (select * from starts s where s.counted_start_on + ${windowDays}::int <= ${asAt}::date)
    select count(*)::int as starts,
           count(*) filter (where exists (
             select 1 from contact c
              where ${inOrganisations('c.organisation_id', organisationIds)} and c.episode_id = d.episode_id
                and c.deleted_at is null and c.attended and c.with_code in ('person', 'employer')
                and (c.occurred_at at time zone 'Europe/London')::date between d.counted_start_on and d.counted_start_on + ${windowDays}::int
           ) or exists (
             select 1 from employer_contact ec
               join employer_contact_participant p on p.employer_contact_id = ec.id and p.organisation_id = ec.organisation_id
              where ${inOrganisations('ec.organisation_id', organisationIds)} and ${inOrganisations('p.organisation_id', organisationIds)} and p.episode_id = d.episode_id
                and ec.purpose_code = 'in_work_support'
                and ec.occurred_on between d.counted_start_on and d.counted_start_on + ${windowDays}::int
           ))::int as followed
      from due d
  `.execute(db);
  return { starts: Number(result.rows[0].starts), followed: Number(result.rows[0].followed) };
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
