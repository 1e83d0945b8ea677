import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import { type CohortSpec, cohortCte, inOrganisations } from './cohort.ts';

/** The cohort's counted job starts (4 hours of paid work) by asAt, not deleted, as a CTE named "starts". Needs "cohort". */
export function countedStartsCte(organisationIds: readonly string[], asAt: string): RawBuilder<unknown> {
  return sql`starts as (
    select j.id, j.episode_id, c.person_id, j.counted_start_on
      from job j
      join cohort c on c.episode_id = j.episode_id
     where ${inOrganisations('j.organisation_id', organisationIds)} and j.deleted_at is null and j.counted_start_on <= ${asAt}::date
  )`;
}

export interface FunnelRow {
  referred: number;
  met_in_custody: number;
  seen_in_community: number;
  engaged: number;
  into_work: number;
  into_work_engaged: number;
  job_starts: number;
  two_or_more_jobs: number;
}

/** Every stage count of the funnel in one statement: episodes by the stage dates as they stood on asAt. */
export async function funnelCounts(db: Db, spec: CohortSpec, asAt: string): Promise<FunnelRow> {
  const result = await sql<FunnelRow>`
    with ${cohortCte(spec, asAt)}, ${countedStartsCte(spec.organisationIds, asAt)},
    per_person as (select person_id, count(*) as n from starts group by person_id)
    select count(*)::int as referred,
           count(c.met_in_custody_on)::int as met_in_custody,
           count(c.seen_in_community_on)::int as seen_in_community,
           count(c.engaged_on)::int as engaged,
           count(c.in_work_on)::int as into_work,
           count(c.in_work_on) filter (where c.engaged_on is not null)::int as into_work_engaged,
           (select count(*) from starts)::int as job_starts,
           (select count(*) from per_person where n >= 2)::int as two_or_more_jobs
      from cohort c
  `.execute(db);
  const row = result.rows[0];
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)])) as unknown as FunnelRow;
}

export interface MonthRow {
  month: string;
  referrals: number;
  engagements: number;
  job_starts: number;
}

/** Per calendar month of from..to: the cohort's referrals, engagements and counted job starts dated in that month. */
export async function monthlyCounts(db: Db, spec: CohortSpec, period: { from: string; to: string; asAt: string }): Promise<MonthRow[]> {
  const result = await sql<MonthRow>`
    with ${cohortCte(spec, period.asAt)}, ${countedStartsCte(spec.organisationIds, period.asAt)},
    months as (
      select to_char(m, 'YYYY-MM') as month
        from generate_series(date_trunc('month', ${period.from}::date), date_trunc('month', ${period.to}::date), interval '1 month') m
    ),
    referrals as (select to_char(referred_on, 'YYYY-MM') as month, count(*) as n from cohort group by 1),
    engagements as (select to_char(engaged_on, 'YYYY-MM') as month, count(*) as n from cohort where engaged_on is not null group by 1),
    job_starts as (select to_char(counted_start_on, 'YYYY-MM') as month, count(*) as n from starts group by 1)
    select m.month,
           coalesce(r.n, 0)::int as referrals,
           coalesce(e.n, 0)::int as engagements,
           coalesce(j.n, 0)::int as job_starts
      from months m
      left join referrals r on r.month = m.month
      left join engagements e on e.month = m.month
      left join job_starts j on j.month = m.month
     order by m.month
  `.execute(db);
  return result.rows.map((row) => ({ month: row.month, referrals: Number(row.referrals), engagements: Number(row.engagements), job_starts: Number(row.job_starts) }));
}
