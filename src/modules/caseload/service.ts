import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { STAGE_LABELS, STAGES } from '../engagement/service.ts';
import { rapidJobSearch } from '../job-search/service.ts';
import type { Stage } from '../episodes/tables.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import { teamOfUser } from '../users/service.ts';
import * as queries from './queries.ts';

/** The IPS fidelity standard: an employment specialist holds 20 active cases or fewer. */
export const IPS_CASELOAD_MAXIMUM = 20;

export const RELEASE_WINDOWS = [
  { value: '2', text: 'Due out within 2 weeks' },
  { value: '6', text: 'Due out within 6 weeks' },
  { value: '12', text: 'Due out within 12 weeks' },
  { value: 'unknown', text: 'Release date unknown' },
] as const;

export const SORTS = ['name', 'contact', 'release'] as const;

/** The stages an open caseload can show (exited episodes leave it). */
export const OPEN_STAGES = STAGES.filter((stage) => stage !== 'exited');

export interface CaseloadFilters {
  search: string;
  stage: Stage | '';
  window: queries.ReleaseWindow;
  overdue: '' | 'yes';
  sort: queries.CaseloadSort;
  /** Team caseload only: a worker's id, 'none' for unallocated, or '' for everyone. */
  worker: string;
}

/** Reads filters from a query string, dropping anything that is not a real choice. */
export function normaliseFilters(raw: Record<string, unknown>): CaseloadFilters {
  const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
  const stage = text('stage');
  const window = text('window');
  const sort = text('sort');
  const worker = text('worker');
  return {
    search: text('search').slice(0, 100),
    stage: (OPEN_STAGES as readonly string[]).includes(stage) ? (stage as Stage) : '',
    window: RELEASE_WINDOWS.some((choice) => choice.value === window) ? (window as queries.ReleaseWindow) : '',
    overdue: text('overdue') === 'yes' ? 'yes' : '',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as queries.CaseloadSort) : 'name',
    worker: worker === 'none' || isUuid(worker) ? worker : '',
  };
}

export interface CaseloadEntry {
  episodeId: string;
  personName: string;
  stage: Stage;
  stageLabel: string;
  keyWorkerName: string | null;
  place: string;
  releaseOn: string | null;
  releaseWindow: string;
  daysSinceContact: number | null;
  overdueTasks: number;
  /** Rapid job search: no face-to-face employer contact within 30 days of the start. */
  noEmployerContactIn30Days: boolean;
}

/** "in 3 weeks", "in 5 days", "today", "date passed" or "unknown". */
export function releaseWindowText(daysToRelease: number | null): string {
  if (daysToRelease === null) return 'unknown';
  if (daysToRelease < 0) return 'date passed';
  if (daysToRelease === 0) return 'today';
  if (daysToRelease < 14) return daysToRelease === 1 ? 'in 1 day' : `in ${daysToRelease} days`;
  return `in ${Math.floor(daysToRelease / 7)} weeks`;
}

function toEntry(row: queries.CaseloadRow, prisons: ReferenceData, rapidOverdue: boolean): CaseloadEntry {
  return {
    episodeId: row.episode_id,
    personName: `${row.preferred_name || row.given_name} ${row.family_name}`,
    stage: row.stage,
    stageLabel: STAGE_LABELS[row.stage],
    keyWorkerName: row.key_worker_name,
    place: row.prison_code ? prisons.label('prison', row.prison_code) : (row.expected_release_area ?? ''),
    releaseOn: row.release_on,
    releaseWindow: releaseWindowText(row.days_to_release),
    daysSinceContact: row.days_since_contact,
    overdueTasks: row.overdue_tasks,
    noEmployerContactIn30Days: rapidOverdue,
  };
}

async function page(
  db: Db,
  principal: Principal,
  scope: queries.CaseloadQuery['scope'],
  filters: CaseloadFilters,
  paging: { limit: number; offset: number; today: string },
) {
  const rows = await queries.caseloadPage(db, principal.organisationId, {
    scope,
    search: filters.search,
    stage: filters.stage,
    window: filters.window,
    overdueOnly: filters.overdue === 'yes',
    sort: filters.sort,
    ...paging,
  });
  const prisons = await loadReferenceData(db, principal.organisationId, ['prison']);
  const episodes = rows.map((row) => ({ id: row.episode_id, referredOn: String(row.referred_on) }));
  const rapid = await rapidJobSearch(db, principal.organisationId, episodes, paging.today);
  return { entries: rows.map((row) => toEntry(row, prisons, rapid.get(row.episode_id)?.overdue ?? false)), total: rows[0]?.total ?? 0 };
}

/** The signed-in worker's active caseload count, for the start page. */
export async function myActiveCount(db: Db, principal: Principal): Promise<number> {
  assertCan(principal, 'people:view');
  return principal.userId ? queries.activeCount(db, principal.organisationId, principal.userId) : 0;
}

/** My caseload: open episodes where I am the key worker, and my active count against the IPS maximum. */
export async function myCaseload(db: Db, principal: Principal, filters: CaseloadFilters, paging: { limit: number; offset: number; today: string }) {
  assertCan(principal, 'people:view');
  if (!principal.userId) return { entries: [], total: 0, activeCount: 0 };
  const result = await page(db, principal, { keyWorkerId: principal.userId }, filters, paging);
  return { ...result, activeCount: await queries.activeCount(db, principal.organisationId, principal.userId) };
}

/**
 * My team's caseload: open episodes of the manager's team, optionally one
 * worker's, with every team member's active count against the IPS maximum.
 * A manager in no team has no team caseload (teamId null).
 */
export async function teamCaseload(db: Db, principal: Principal, filters: CaseloadFilters, paging: { limit: number; offset: number; today: string }) {
  assertCan(principal, 'caseload:view-team');
  const teamId = principal.userId ? await teamOfUser(db, principal.organisationId, principal.userId) : null;
  if (!teamId) return { teamId: null, entries: [], total: 0, workers: [] };
  const workers = (await queries.teamWorkerCounts(db, principal.organisationId, teamId)).map((worker) => ({
    id: worker.id,
    name: worker.display_name,
    activeCount: worker.active,
    overMaximum: worker.active > IPS_CASELOAD_MAXIMUM,
  }));
  const result = await page(db, principal, { teamId, workerId: filters.worker }, filters, paging);
  return { teamId, ...result, workers };
}

export function stageChoices() {
  return OPEN_STAGES.map((stage) => ({ value: stage, text: STAGE_LABELS[stage] }));
}
