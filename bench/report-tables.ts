/**
 * `node bench/report-tables.ts [--runs R] [--organisation ID] [--from DATE] [--as-at DATE]`
 *
 * The outcomes report's time table by table: each part of `figureSections`
 * run on its own, one after another, so the slow tables stand out. Uses
 * DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite) as the app does; by default
 * the organisation with the most episodes, its first referral to today.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { loadConfig } from '../src/platform/config.ts';
import { londonToday } from '../src/platform/london-time.ts';
import { employmentFigures } from '../src/modules/employment-metrics/service.ts';
import { exitsSection } from '../src/modules/outcomes/figures/activity.ts';
import { breakdownsSection } from '../src/modules/outcomes/figures/breakdowns.ts';
import { funnelTable, monthlyTable } from '../src/modules/outcomes/figures/funnel.ts';
import { figureSections } from '../src/modules/outcomes/figures/index.ts';
import { ipsSection } from '../src/modules/outcomes/figures/ips.ts';
import { periodActivityTable } from '../src/modules/outcomes/figures/period-activity.ts';
import { hookCohort, REPORT_LISTS } from '../src/modules/outcomes/figures/shared.ts';
import { timingSection } from '../src/modules/outcomes/figures/timing.ts';
import type { CohortSpec } from '../src/modules/outcomes/queries/cohort.ts';
import { loadReferenceData } from '../src/modules/reference-data/service.ts';
import { timed } from './suites.ts';

export interface TableTiming {
  /** The report tables this part builds (several when one statement feeds them). */
  table: string;
  ms: number;
}

/**
 * Median milliseconds of each part of the report, each run alone (no other
 * part beside it), and of the whole `figureSections` as the app runs it.
 */
export async function reportTableTimings(
  db: Db,
  organisationId: string,
  period: { from: string; to: string; asAt: string },
  runs: number,
  warmUps = 1,
): Promise<TableTiming[]> {
  const spec: CohortSpec = { organisationIds: [organisationId] };
  const cohort: CohortSpec = { ...spec, referredFrom: period.from, referredTo: period.to };
  const reference = await loadReferenceData(db, organisationId, REPORT_LISTS);
  const { asAt } = period;
  const employment = await employmentFigures(db, [organisationId], hookCohort(cohort), asAt);
  const parts: Array<[string, () => Promise<unknown>]> = [
    ['funnel', () => funnelTable(db, cohort, asAt)],
    ['monthly', () => monthlyTable(db, cohort, period)],
    ['breakdowns (7 tables) and age summary', () => breakdownsSection(db, cohort, asAt, reference)],
    ['activity and IPS job starts (employmentFigures)', () => employmentFigures(db, [organisationId], hookCohort(cohort), asAt)],
    ['exits, returns to custody', () => exitsSection(db, cohort, asAt, reference)],
    ['timing (3 tables)', () => timingSection(db, cohort, asAt)],
    ['IPS measures: work at referral', () => ipsSection(db, cohort, asAt, reference, employment)],
    ['period activity', () => periodActivityTable(db, spec, period)],
    ['whole report (figureSections)', () => figureSections(db, spec, period, organisationId)],
  ];
  const timings: TableTiming[] = [];
  for (const [table, run] of parts) timings.push({ table, ms: (await timed(run, runs, warmUps)).medianMs });
  return timings;
}

async function busiestOrganisation(db: Db): Promise<{ id: string; from: string }> {
  const result = await sql<{ id: string; from: string }>`
    select organisation_id as id, min(referred_on)::text as from from episode group by organisation_id order by count(*) desc limit 1
  `.execute(db);
  if (!result.rows[0]) throw new Error('No episodes: seed first (throughgate seed --people N)');
  return result.rows[0];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, organisation: { type: 'string' }, from: { type: 'string' }, 'as-at': { type: 'string' } },
  });
  const config = loadConfig(process.env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const busiest = values.organisation ? undefined : await busiestOrganisation(database.db);
    const organisationId = values.organisation ?? busiest!.id;
    const asAt = values['as-at'] ?? londonToday();
    const period = { from: values.from ?? busiest?.from ?? asAt, to: asAt, asAt };
    const timings = await reportTableTimings(database.db, organisationId, period, Number(values.runs ?? 3));
    for (const timing of timings) console.log(`${timing.ms.toFixed(1).padStart(10)} ms  ${timing.table}`);
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.main) process.exitCode = await main();
