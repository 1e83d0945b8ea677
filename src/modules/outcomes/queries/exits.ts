import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import { type CohortSpec, cohortCte, inOrganisations } from './cohort.ts';

export interface ExitsRow {
  part: 'exit' | 'custody';
  /** An exit reason code, 'still_open' or 'not_recorded'; or 'recall_breach', 'new_offence_or_remand', 'any'. */
  code: string;
  episodes: number;
  events: number;
}

/**
 * For the cohort's engaged episodes (engaged by asAt), in one statement: those
 * with no counted start by asAt by exit reason (or still open), and returns to
 * custody dated from the engagement date to asAt.
 */
export async function exitsAndReturns(db: Db, spec: CohortSpec, asAt: string): Promise<ExitsRow[]> {
  const result = await sql<ExitsRow>`
    with ${cohortCte(spec, asAt)},
    engaged as (select * from cohort where engaged_on is not null),
    returns as (
      select e.episode_id,
             case when ce.kind_code = 'recall' and ce.reason_code = 'breach_of_licence' then 'recall_breach' else 'new_offence_or_remand' end as code
        from engaged e
        join custody_event ce on ce.episode_id = e.episode_id and ${inOrganisations('ce.organisation_id', spec.organisationIds)}
       where ce.occurred_on >= e.engaged_on and ce.occurred_on <= ${asAt}::date
    )
    select 'exit' as part,
           case when exited_on is null then 'still_open' else coalesce(exit_reason_code, 'not_recorded') end as code,
           count(*)::int as episodes, 0 as events
      from engaged where in_work_on is null group by 2
    union all
    select 'custody', code, count(distinct episode_id)::int, count(*)::int from returns group by code
    union all
    select 'custody', 'any', count(distinct episode_id)::int, count(*)::int from returns
  `.execute(db);
  return result.rows.map((row) => ({ ...row, episodes: Number(row.episodes), events: Number(row.events) }));
}
