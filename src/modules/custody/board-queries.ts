import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { expectedReleaseDateOf } from './queries.ts';
import { isOpenEpisode } from '../episodes/service.ts';

export const BOARD_WINDOWS = ['passed', 'within_2_weeks', '2_to_6_weeks', '6_to_12_weeks', 'unknown'] as const;
export type BoardWindow = (typeof BOARD_WINDOWS)[number];

/** Whose episodes the board reads: the organisation's, one team's, or one key worker's. */
export interface BoardScope {
  today: string;
  teamId: string | null;
  keyWorkerId: string | null;
}

export interface BoardFilters extends BoardScope {
  window: BoardWindow | null;
}

export const BOARD_PAGE_SIZE = 50;

/**
 * The episodes on the board for a scope, each with its expected date and
 * window: not exited, no release recorded, and an expected date unknown,
 * passed, or within 12 weeks. Scoped to a team or key worker it starts from
 * that scope's episodes (their indexes) and looks each one's dates up by
 * primary key, so it costs the same however large the organisation is.
 */
function boardEpisodes(db: Db, organisationId: string, scope: BoardScope, window: BoardWindow | null = null) {
  const today = sql`${scope.today}::date`;
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
    .leftJoinLateral(expectedReleaseDateOf('e').as('x'), (join) => join.onTrue())
    .select(['e.id as episode_id', 'e.person_id', 'e.key_worker_id', 'e.expected_release_area', 'x.expected_on', windowOf.as('window')])
    .where('e.organisation_id', '=', organisationId)
    .where(isOpenEpisode('e'))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('release as r').select('r.episode_id').whereRef('r.episode_id', '=', 'e.id').whereRef('r.organisation_id', '=', 'e.organisation_id'))),
    )
    .where(sql<boolean>`${windowOf} <> 'later'`);
  if (scope.teamId) query = query.where('e.team_id', '=', scope.teamId);
  if (scope.keyWorkerId) query = query.where('e.key_worker_id', '=', scope.keyWorkerId);
  if (window) query = query.where(sql<boolean>`${windowOf} = ${window}`);
  return query;
}

/**
 * One page of the release board, ordered by expected date (unknown last),
 * family name and id, so each window's rows come together. The page is chosen
 * first; only its rows get the prison, key worker and service-area lookups.
 * Each row carries its window and flags, so the page only groups and labels.
 */
export async function releaseBoard(db: Db, organisationId: string, filters: BoardFilters, paging = { limit: BOARD_PAGE_SIZE, offset: 0 }) {
  const page = db
    .selectFrom(boardEpisodes(db, organisationId, filters, filters.window).as('b'))
    .innerJoin('person as p', (join) => join.onRef('p.id', '=', 'b.person_id').on('p.organisation_id', '=', organisationId))
    .select(['b.episode_id', 'b.key_worker_id', 'b.expected_release_area', 'b.expected_on', 'b.window', 'p.given_name', 'p.family_name'])
    .orderBy(sql`b.expected_on nulls last`)
    .orderBy((eb) => eb.fn('lower', ['p.family_name']))
    .orderBy('b.episode_id')
    .limit(paging.limit)
    .offset(paging.offset);
  return db
    .selectFrom(page.as('b'))
    .leftJoin('organisation_setting as s', (join) => join.on('s.organisation_id', '=', organisationId))
    .leftJoin('app_user as u', 'u.id', 'b.key_worker_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('prison_stay as ps')
          .select('ps.prison_code')
          .whereRef('ps.episode_id', '=', 'b.episode_id')
          .where('ps.organisation_id', '=', organisationId)
          .where('ps.left_on', 'is', null)
          .orderBy('ps.id', 'desc')
          .limit(1)
          .as('stay'),
      (join) => join.onTrue(),
    )
    .select([
      'b.episode_id',
      'b.key_worker_id',
      'u.display_name as key_worker_name',
      'b.given_name',
      'b.family_name',
      'b.expected_on',
      'b.expected_release_area',
      'stay.prison_code',
      sql<BoardWindow>`b.window`.as('window'),
      sql<boolean>`coalesce(
        nullif(trim(b.expected_release_area), '') is not null
        and nullif(trim(s.service_area), '') is not null
        and lower(trim(b.expected_release_area)) <> lower(trim(s.service_area)),
        false)`.as('far_from_area'),
    ])
    .orderBy(sql`b.expected_on nulls last`)
    .orderBy((eb) => eb.fn('lower', ['b.family_name']))
    .orderBy('b.episode_id')
    .execute();
}

export type BoardRow = Awaited<ReturnType<typeof releaseBoard>>[number];

/** How many of the scope's episodes fall in each window, in one aggregate over the same rows as the page. */
export async function releaseBoardCounts(db: Db, organisationId: string, scope: BoardScope): Promise<Record<BoardWindow, number>> {
  const rows = await db
    .selectFrom(boardEpisodes(db, organisationId, scope).as('b'))
    .select(['b.window', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('b.window')
    .execute();
  const counts = Object.fromEntries(BOARD_WINDOWS.map((window) => [window, 0])) as Record<BoardWindow, number>;
  for (const row of rows) if (row.window !== 'later') counts[row.window] = Number(row.n);
  return counts;
}
