import { sql } from 'kysely';
import type { insertContact } from '../src/modules/contacts/queries.ts';
import type { Db } from '../src/platform/db/database.ts';

/** The funnel counts the benchmark compares: the report's and the hand-written query's must be equal. */
export interface FunnelCounts {
  referred: number;
  met_in_custody: number;
  seen_in_community: number;
  engaged: number;
  into_work: number;
  job_starts: number;
  two_or_more_jobs: number;
}

export const FUNNEL_KEYS = ['referred', 'met_in_custody', 'seen_in_community', 'engaged', 'into_work', 'job_starts', 'two_or_more_jobs'] as const;

/**
 * The limit the outcomes report's funnel is compared with: the same counts
 * in one statement written by hand straight from the journey tables (contacts
 * and jobs), not from the derived stage dates the report reads. Stage rules
 * as in docs/metrics.md: a contact counts when attended, face to face and with
 * the person; engaged is the organisation's Nth such contact outside prison.
 */
export async function handWrittenFunnel(db: Db, organisationId: string, from: string, to: string, asAt: string): Promise<FunnelCounts> {
  const result = await sql<FunnelCounts>`
    with cohort as (
      select e.id, e.person_id
        from episode e
       where e.organisation_id = ${organisationId}
         and e.referred_on between ${from}::date and ${to}::date and e.referred_on <= ${asAt}::date
    ),
    meetings as (
      select c.episode_id,
             count(*) filter (where c.setting_code = 'prison') as in_prison,
             count(*) filter (where c.setting_code <> 'prison') as outside
        from contact c
        join cohort k on k.id = c.episode_id
       where c.organisation_id = ${organisationId} and c.deleted_at is null and c.attended
         and c.type_code = 'face_to_face' and c.with_code = 'person'
         and (c.occurred_at at time zone 'Europe/London')::date <= ${asAt}::date
       group by c.episode_id
    ),
    starts as (
      select j.episode_id, k.person_id
        from job j
        join cohort k on k.id = j.episode_id
       where j.organisation_id = ${organisationId} and j.deleted_at is null and j.counted_start_on <= ${asAt}::date
    ),
    threshold as (
      select coalesce((select engaged_after_contacts from organisation_setting where organisation_id = ${organisationId}), 2) as n
    )
    select (select count(*) from cohort)::int as referred,
           (select count(*) from meetings where in_prison > 0)::int as met_in_custody,
           (select count(*) from meetings where outside > 0)::int as seen_in_community,
           (select count(*) from meetings, threshold where outside >= threshold.n)::int as engaged,
           (select count(distinct episode_id) from starts)::int as into_work,
           (select count(*) from starts)::int as job_starts,
           (select count(*) from (select person_id from starts group by person_id having count(*) >= 2) repeat)::int as two_or_more_jobs
  `.execute(db);
  const row = result.rows[0];
  return Object.fromEntries(FUNNEL_KEYS.map((key) => [key, Number(row[key])])) as unknown as FunnelCounts;
}

/** The server's own description of itself, e.g. "PostgreSQL 17.5 on x86_64-pc-linux-gnu …". */
export async function serverVersion(db: Db): Promise<string> {
  const result = await sql<{ version: string }>`select version() as version`.execute(db);
  return result.rows[0].version;
}


/** The face-to-face community contact the benchmarks insert, as `insertContact` takes it. */
export function benchContact(organisationId: string, episodeId: string, occurredAt: Date) {
  return {
    organisation_id: organisationId,
    episode_id: episodeId,
    recorded_by: null,
    occurred_at: occurredAt,
    type_code: 'face_to_face',
    setting_code: 'community',
    with_code: 'person',
    duration_minutes: 30,
  } as Parameters<typeof insertContact>[1];
}
