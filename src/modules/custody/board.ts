import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import * as organisations from '../organisations/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { BOARD_WINDOWS, type BoardWindow, releaseBoard } from './board-queries.ts';
import { todayInLondon } from './dates.ts';

export const BOARD_WINDOW_LABELS: Record<BoardWindow, string> = {
  passed: 'Release date passed, no release recorded',
  within_2_weeks: 'Due out in the next 2 weeks',
  '2_to_6_weeks': 'Due out in 2 to 6 weeks',
  '6_to_12_weeks': 'Due out in 6 to 12 weeks',
  unknown: 'Release date not known',
};

/** The board's filters as they travel in the query string; anything unknown reads as no filter. */
export interface BoardQuery {
  team: string;
  mine: string;
  window: string;
}

export function normaliseBoardQuery(query: Record<string, unknown>): BoardQuery {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  return {
    team: isUuid(text('team')) ? text('team') : '',
    mine: text('mine') === 'yes' ? 'yes' : '',
    window: (BOARD_WINDOWS as readonly string[]).includes(text('window')) ? text('window') : '',
  };
}

export function boardHref(query: BoardQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return search ? `/release-board?${search}` : '/release-board';
}

/**
 * The release board: episodes not exited and not yet released, grouped by
 * how soon their expected date falls (see docs/journey.md, "Release dates").
 */
export async function getReleaseBoard(db: Db, principal: Principal, query: BoardQuery) {
  assertCan(principal, 'people:view');
  const today = todayInLondon();
  const rows = await releaseBoard(db, principal.organisationId, {
    today,
    teamId: query.team || null,
    keyWorkerId: query.mine ? principal.userId : null,
    window: (query.window || null) as BoardWindow | null,
  });
  const reference = await loadReferenceData(db, principal.organisationId, ['prison']);
  const teams = await organisations.listTeams(db, principal.organisationId);
  const groups = BOARD_WINDOWS.map((window) => ({
    window,
    heading: BOARD_WINDOW_LABELS[window],
    rows: rows
      .filter((row) => row.window === window)
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
    groups,
    total: rows.length,
    teams: teams.map((team) => ({ value: team.id, text: team.name })),
    windows: BOARD_WINDOWS.map((window) => ({ value: window, text: BOARD_WINDOW_LABELS[window] })),
  };
}
