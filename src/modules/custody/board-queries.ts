import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { expectedReleaseDates } from './queries.ts';
import { isOpenEpisode } from '../episodes/service.ts';

export const BOARD_WINDOWS = ['passed', 'within_2_weeks', '2_to_6_weeks', '6_to_12_weeks', 'unknown'] as const;
export type BoardWindow = (typeof BOARD_WINDOWS)[number];

export interface BoardFilters {
  today: string;
  teamId: string | null;
  keyWorkerId: string | null;
  window: BoardWindow | null;
}

/**
 * The release board in one statement: the organisation's episodes not exited
 * and with no release recorded, whose expected date (the earliest of the
 * expected-release kinds) is unknown, passed, or within 12 weeks. Each row
 * carries its window and flags, so the page only groups and labels.
 */
export async function releaseBoard(db: Db, organisationId: string, filters: BoardFilters) {
  const today = sql`${filters.today}::date`;
  const windowOf = sql<BoardWindow | 'later'>`case
    when x.expected_on is null then 'unknown'
    when x.expected_on < ${today} then 'passed'
    when x.expected_on <= ${today} + 14 then 'within_2_weeks'
    when x.expected_on <= ${today} + 42 then '2_to_6_weeks'
    when x.expected_on <= ${today} + 84 then '6_to_12_weeks'
    else 'later'
  end`;
  let query = db
    .selectFrom('episode as e')
    .innerJoin('person as p', (join) => join.onRef('p.id', '=', 'e.person_id').onRef('p.organisation_id', '=', 'e.organisation_id'))
    .leftJoin(expectedReleaseDates(db, organisationId).as('x'), 'x.episode_id', 'e.id')
    .leftJoin('release as r', (join) => join.onRef('r.episode_id', '=', 'e.id').onRef('r.organisation_id', '=', 'e.organisation_id'))
    .leftJoin('organisation_setting as s', 's.organisation_id', 'e.organisation_id')
    .leftJoin('app_user as u', 'u.id', 'e.key_worker_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('prison_stay as ps')
          .select('ps.prison_code')
          .whereRef('ps.episode_id', '=', 'e.id')
          .where('ps.organisation_id', '=', organisationId)
          .where('ps.left_on', 'is', null)
          .orderBy('ps.id', 'desc')
          .limit(1)
          .as('stay'),
      (join) => join.onTrue(),
    )
    .select([
      'e.id as episode_id',
      'e.key_worker_id',
      'u.display_name as key_worker_name',
      'p.given_name',
      'p.family_name',
      'x.expected_on',
      'e.expected_release_area',
      'stay.prison_code',
      windowOf.as('window'),
      sql<boolean>`coalesce(
        nullif(trim(e.expected_release_area), '') is not null
        and nullif(trim(s.service_area), '') is not null
        and lower(trim(e.expected_release_area)) <> lower(trim(s.service_area)),
        false)`.as('far_from_area'),
    ])
    .where('e.organisation_id', '=', organisationId)
    .where(isOpenEpisode('e'))
    .where('r.episode_id', 'is', null)
    .where(sql<boolean>`${windowOf} <> 'later'`);
  if (filters.teamId) query = query.where('e.team_id', '=', filters.teamId);
  if (filters.keyWorkerId) query = query.where('e.key_worker_id', '=', filters.keyWorkerId);
  if (filters.window) query = query.where(sql<boolean>`${windowOf} = ${filters.window}`);
  return query
    .orderBy(sql`x.expected_on nulls last`)
    .orderBy((eb) => eb.fn('lower', ['p.family_name']))
    .orderBy('e.id')
    .execute();
}

export type BoardRow = Awaited<ReturnType<typeof releaseBoard>>[number];
