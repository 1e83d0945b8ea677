import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import { type CohortSpec, cohortCte, inOrganisations } from './cohort.ts';

export interface PeriodCountsRow {
  referrals: number;
  met_in_custody: number;
  seen_in_community: number;
  engaged: number;
  people_starting_work: number;
  job_starts: number;
  contacts: number;
  employer_contacts: number;
  exits: number;
}

/**
 * Events dated from..to, for the episodes of the scope whatever their referral
 * date: the cohort is taken as at `to` with no referral period, so an episode
 * referred years ago still counts for a job start in the period.
 */
/**
 * The instant a London day begins (days after the given date), so a contact's
 * timestamp is compared as it is stored: the planner can then estimate the
 * range from the column's statistics, and no row is converted to a date.
 */
function londonMidnight(day: string, daysAfter = 0) {
  return sql`((${day}::date + ${daysAfter}::int)::timestamp at time zone 'Europe/London')`;
}

export async function periodCounts(db: Db, spec: CohortSpec, from: string, to: string): Promise<PeriodCountsRow> {
  const scope: CohortSpec = { ...spec, referredFrom: undefined, referredTo: undefined };
  const orgs = spec.organisationIds;
  const within = (column: string) => sql`${sql.ref(column)} between ${from}::date and ${to}::date`;
  const result = await sql<PeriodCountsRow>`
    with ${cohortCte(scope, to)}
    select count(*) filter (where ${within('c.referred_on')})::int as referrals,
           count(*) filter (where ${within('c.met_in_custody_on')})::int as met_in_custody,
           count(*) filter (where ${within('c.seen_in_community_on')})::int as seen_in_community,
           count(*) filter (where ${within('c.engaged_on')})::int as engaged,
           count(*) filter (where ${within('c.in_work_on')})::int as people_starting_work,
           count(*) filter (where ${within('c.exited_on')})::int as exits,
           (select count(*) from job j join cohort jc on jc.episode_id = j.episode_id
             where ${inOrganisations('j.organisation_id', orgs)} and j.deleted_at is null and ${within('j.counted_start_on')})::int as job_starts,
           (select count(*) from contact k join cohort kc on kc.episode_id = k.episode_id
             where ${inOrganisations('k.organisation_id', orgs)} and k.deleted_at is null and k.attended and k.with_code = 'person'
               and k.occurred_at >= ${londonMidnight(from)} and k.occurred_at < ${londonMidnight(to, 1)})::int as contacts,
           (select count(distinct ec.id) from employer_contact ec
              join employer_contact_participant p on p.employer_contact_id = ec.id and p.organisation_id = ec.organisation_id
              join cohort pc on pc.episode_id = p.episode_id
             where ${inOrganisations('ec.organisation_id', orgs)} and ${within('ec.occurred_on')})::int as employer_contacts
      from cohort c
  `.execute(db);
  return result.rows[0];
}
