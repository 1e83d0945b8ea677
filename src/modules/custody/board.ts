import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { pageCount, pageNumber } from '../../platform/http/paging.ts';
import * as organisations from '../organisations/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { teamOfUser } from '../users/service.ts';
import { BOARD_PAGE_SIZE, BOARD_WINDOWS, type BoardWindow, releaseBoard, releaseBoardCounts } from './board-queries.ts';
import { todayInLondon } from './dates.ts';

export const BOARD_WINDOW_LABELS: Record<BoardWindow, string> = {
  passed: 'Release date passed, no release recorded',
  within_2_weeks: 'Due out in the next 2 weeks',
  '2_to_6_weeks': 'Due out in 2 to 6 weeks',
  '6_to_12_weeks': 'Due out in 6 to 12 weeks',
  unknown: 'Release date not known',
};

/**
 * The board's filters and page as they travel in the query string; anything
 * unknown reads as no filter. No team means the user's own team, if they have
 * one; "all" asks for every team.
 */
export interface BoardQuery {
  team: string;
  mine: string;
  window: string;
  page: number;
}

export const ALL_TEAMS = 'all';

export function normaliseBoardQuery(query: Record<string, unknown>): BoardQuery {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  return {
    team: isUuid(text('team')) || text('team') === ALL_TEAMS ? text('team') : '',
    mine: text('mine') === 'yes' ? 'yes' : '',
    window: (BOARD_WINDOWS as readonly string[]).includes(text('window')) ? text('window') : '',
    page: pageNumber(query.page),
  };
}

/** The board's address for these filters, leaving out defaults so links stay short. */
export function boardHref(query: BoardQuery, page = 1): string {
  const params = new URLSearchParams();
  for (const name of ['team', 'mine', 'window'] as const) if (query[name]) params.set(name, query[name]);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/release-board?${search}` : '/release-board';
}

/**
 * The team the board shows: the one asked for if it is the organisation's;
 * otherwise, unless "all" or "my cases" is asked for, the user's own team.
 * "My cases" alone spans teams, as a worker's cases may.
 */
async function teamInScope(db: Db, principal: Principal, query: BoardQuery, teamIds: string[]): Promise<string | null> {
  if (query.team === ALL_TEAMS) return null;
  if (teamIds.includes(query.team)) return query.team;
  if (query.mine || !principal.userId) return null;
  return teamOfUser(db, principal.organisationId, principal.userId);
}

/**
 * A page of the release board: episodes not exited and not yet released,
 * grouped by how soon their expected date falls (see docs/journey.md,
 * "Release dates"), with every window's count for the scope.
 */
export async function getReleaseBoard(db: Db, principal: Principal, query: BoardQuery) {
  assertCan(principal, 'people:view');
  const today = todayInLondon();
  const teams = await organisations.listTeams(db, principal.organisationId);
  const teamId = await teamInScope(db, principal, query, teams.map((team) => team.id));
  const scope = { today, teamId, keyWorkerId: query.mine ? principal.userId : null };
  const window = (query.window || null) as BoardWindow | null;
  const counts = await releaseBoardCounts(db, principal.organisationId, scope);
  const total = window ? counts[window] : BOARD_WINDOWS.reduce((sum, each) => sum + counts[each], 0);
  const pages = pageCount(total, BOARD_PAGE_SIZE);
  const page = Math.min(query.page, pages);
  const rows = await releaseBoard(db, principal.organisationId, { ...scope, window }, { limit: BOARD_PAGE_SIZE, offset: (page - 1) * BOARD_PAGE_SIZE });
  const reference = await loadReferenceData(db, principal.organisationId, ['prison']);
  const groups = BOARD_WINDOWS.map((each) => ({
    window: each,
    heading: BOARD_WINDOW_LABELS[each],
    count: counts[each],
    rows: rows
      .filter((row) => row.window === each)
      .map((row) => ({
        episodeId: row.episode_id,
        personName: `${row.given_name} ${row.family_name}`,
        expectedOn: row.expected_on,
        prison: row.prison_code ? reference.label('prison', row.prison_code) : null,
        keyWorkerName: row.key_worker_name,
        releaseArea: row.expected_release_area,
        passed: row.window === 'passed',
        farFromArea: row.far_from_area,
      })),
  }));
  return {
    today,
    teamId,
    groups,
    total,
    page,
    pages,
    firstShown: (page - 1) * BOARD_PAGE_SIZE + 1,
    lastShown: (page - 1) * BOARD_PAGE_SIZE + rows.length,
    teams: teams.map((team) => ({ value: team.id, text: team.name })),
    windows: BOARD_WINDOWS.map((each) => ({ value: each, text: BOARD_WINDOW_LABELS[each], count: counts[each] })),
  };
}
