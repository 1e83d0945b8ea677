import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/**
 * Recomputes the derived stage dates of episodes from their records, in one
 * statement. A contact counts when it was attended, face to face, and with
 * the person: in prison it is a custody meeting; anywhere else it is a
 * community contact. The Nth community contact (N per organisation) makes
 * the episode engaged. The first job start that counts (4 hours of paid
 * work) puts it in work. Dates are UK calendar dates.
 */
export async function recompute(db: Db, organisationId: string, episodeIds: readonly string[] | null): Promise<void> {
  const only = episodeIds === null ? sql`true` : sql`e.id = any(${sql.val([...episodeIds])}::uuid[])`;
  await sql`
    with settings as (
      select coalesce((select engaged_after_contacts from organisation_setting where organisation_id = ${organisationId}), 2) as n
    ),
    counted as (
      select c.episode_id,
             (c.occurred_at at time zone 'Europe/London')::date as on_date,
             c.setting_code = 'prison' as in_prison,
             row_number() over (
               partition by c.episode_id, (c.setting_code = 'prison')
               order by c.occurred_at, c.id
             ) as nth
      from contact c
      join episode e on e.id = c.episode_id and e.organisation_id = c.organisation_id
      where c.organisation_id = ${organisationId}
        and ${only}
        and c.deleted_at is null
        and c.attended
        and c.type_code = 'face_to_face'
        and c.with_code = 'person'
    ),
    derived as (
      select e.id,
             e.exited_on,
             min(k.on_date) filter (where k.in_prison) as met_in_custody_on,
             min(k.on_date) filter (where not k.in_prison) as seen_in_community_on,
             min(k.on_date) filter (where not k.in_prison and k.nth = (select n from settings)) as engaged_on,
             (select min(j.counted_start_on) from job j
               where j.episode_id = e.id and j.organisation_id = e.organisation_id and j.deleted_at is null) as in_work_on
      from episode e
      left join counted k on k.episode_id = e.id
      where e.organisation_id = ${organisationId} and ${only}
      group by e.id
    ),
    staged as (
      select d.*,
             case
               when d.exited_on is not null then 'exited'
               when d.in_work_on is not null then 'in_work'
               when d.engaged_on is not null then 'engaged'
               when d.seen_in_community_on is not null then 'seen_in_community'
               when d.met_in_custody_on is not null then 'met_in_custody'
               else 'referred'
             end as stage
      from derived d
    )
    update episode e
       set met_in_custody_on = d.met_in_custody_on,
           seen_in_community_on = d.seen_in_community_on,
           engaged_on = d.engaged_on,
           in_work_on = d.in_work_on,
           stage = d.stage
      from staged d
     -- The id condition again, so the rows to update are found by id however stale the planner's statistics.
     where e.id = d.id and e.organisation_id = ${organisationId} and ${only}
       -- An episode whose stage is already right is not rewritten (a bulk import recomputes thousands of new ones).
       and (e.met_in_custody_on, e.seen_in_community_on, e.engaged_on, e.in_work_on, e.stage)
           is distinct from (d.met_in_custody_on, d.seen_in_community_on, d.engaged_on, d.in_work_on, d.stage)
  `.execute(db);
}

/** The stage an episode was at on a date, from its stored stage dates: usable inside any report query. */
export function stageOnDate(asAt: string): RawBuilder<string> {
  return sql<string>`case
    when episode.exited_on <= ${asAt}::date then 'exited'
    when episode.in_work_on <= ${asAt}::date then 'in_work'
    when episode.engaged_on <= ${asAt}::date then 'engaged'
    when episode.seen_in_community_on <= ${asAt}::date then 'seen_in_community'
    when episode.met_in_custody_on <= ${asAt}::date then 'met_in_custody'
    when episode.referred_on <= ${asAt}::date then 'referred'
  end`;
}

/** True for episodes that had been referred by the date (the rows stageOnDate gives a stage for). */
export function referredBy(asAt: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`episode.referred_on <= ${asAt}::date`;
}

export async function stagesOnDate(db: Db, organisationId: string, asAt: string) {
  return db
    .selectFrom('episode')
    .select(['episode.id', stageOnDate(asAt).as('stage')])
    .where('episode.organisation_id', '=', organisationId)
    .where(referredBy(asAt))
    .orderBy('episode.id')
    .execute();
}
