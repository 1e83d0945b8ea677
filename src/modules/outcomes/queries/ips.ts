import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import { type CohortSpec, cohortCte, inOrganisations } from './cohort.ts';

export interface WorkAtReferralRow {
  episodes: number;
  in_work_at_referral: number;
  out_of_work: number;
  out_of_work_started: number;
}

/**
 * In work at referral: a job of the person (in any of their episodes in the
 * same organisation), not deleted, current on the referral date (started on
 * or before it, and not ended before it). Everyone else is out of work; of
 * those, how many had a counted start (the episode's in-work date) by asAt.
 */
export async function workAtReferral(db: Db, spec: CohortSpec, asAt: string): Promise<WorkAtReferralRow> {
  const result = await sql<WorkAtReferralRow>`
    with ${cohortCte(spec, asAt)},
    in_work as (
      select distinct c.episode_id
        from cohort c
        join episode je on je.organisation_id = c.organisation_id and je.person_id = c.person_id
        join job j on j.organisation_id = je.organisation_id and j.episode_id = je.id
       where ${inOrganisations('j.organisation_id', spec.organisationIds)} and j.deleted_at is null
         and j.starts_on <= c.referred_on and (j.ends_on is null or j.ends_on >= c.referred_on)
    ),
    flagged as (
      select c.in_work_on is not null as started, w.episode_id is not null as in_work
        from cohort c left join in_work w on w.episode_id = c.episode_id
    )
    select count(*)::int as episodes,
           count(*) filter (where in_work)::int as in_work_at_referral,
           count(*) filter (where not in_work)::int as out_of_work,
           count(*) filter (where not in_work and started)::int as out_of_work_started
      from flagged
  `.execute(db);
  const row = result.rows[0];
  return {
    episodes: Number(row.episodes),
    in_work_at_referral: Number(row.in_work_at_referral),
    out_of_work: Number(row.out_of_work),
    out_of_work_started: Number(row.out_of_work_started),
  };
}
