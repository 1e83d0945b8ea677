import type { Db } from '../src/platform/db/database.ts';
import { figureSections } from '../src/modules/outcomes/figures/index.ts';
import type { CohortSpec } from '../src/modules/outcomes/queries/cohort.ts';
import { funnelCounts } from '../src/modules/outcomes/queries/funnel.ts';
import { countRows, GENERATOR_VERSION, type SeedRun, seedDataset } from '../src/modules/seed/service.ts';
import { FUNNEL_KEYS, type FunnelCounts, handWrittenFunnel } from './queries.ts';

/**
 * The benchmark's suites, as functions the smoke test can call on a tiny
 * dataset. Each returns figures, never prints: bench/run.ts formats them.
 */

export interface Timing {
  /** Median of the measured runs, in milliseconds. */
  medianMs: number;
  runs: number[];
}

/** Runs fn once to warm caches and plans, then `runs` times; reports the median. */
export async function timed(fn: () => Promise<unknown>, runs: number, warmUps = 1): Promise<Timing> {
  for (let n = 0; n < warmUps; n += 1) await fn();
  const measured: number[] = [];
  for (let n = 0; n < runs; n += 1) {
    const started = performance.now();
    await fn();
    measured.push(performance.now() - started);
  }
  const sorted = [...measured].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { medianMs, runs: measured };
}

export interface SeedFigures {
  organisationId: string;
  people: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  tables: Record<string, number>;
  startsOn: string;
  endsOn: string;
  /** True when the database was seeded by an earlier run and reused: the seconds are from that run. */
  reused?: boolean;
}

export const BENCH_SEED_YEARS = 3;

export async function seedSuite(db: Db, people: number, options: { seed?: number; years?: number; organisationName?: string } = {}): Promise<SeedFigures> {
  const result = await seedDataset(db, {
    people,
    years: options.years ?? BENCH_SEED_YEARS,
    seed: options.seed ?? 1,
    organisationName: options.organisationName ?? `Benchmark service (${people} people)`,
  });
  return {
    organisationId: result.organisationId,
    people,
    rows: result.rows,
    seconds: result.seconds,
    rowsPerSecond: result.rows / result.seconds,
    tables: await countRows(db, result.organisationId),
    startsOn: result.startsOn,
    endsOn: result.endsOn,
  };
}

/**
 * The seed run a kept database can be reused for: it must hold exactly one
 * run, of the same people, years and seed, by the current generator, with its
 * figures recorded. Otherwise the reason it cannot, for the log.
 */
export function reusableRun(runs: readonly SeedRun[], wanted: { people: number; years: number; seed: number }): { run: SeedRun } | { reason: string } {
  if (runs.length === 0) return { reason: 'no finished seed run is recorded in it' };
  if (runs.length > 1) return { reason: `it holds ${runs.length} seed runs, not one` };
  const [run] = runs;
  if (run.people !== wanted.people || run.years !== wanted.years || run.seed !== wanted.seed) {
    return { reason: `it was seeded with ${run.people} people, ${run.years} years, seed ${run.seed}` };
  }
  if (run.generator !== GENERATOR_VERSION) return { reason: `it was seeded by generator ${run.generator ?? 'before versions'}, not ${GENERATOR_VERSION}` };
  if (run.seconds === null || run.startsOn === null || run.endsOn === null) return { reason: 'its seed run did not record its figures' };
  return { run };
}

/** A reused database's seeding figures, as its seed run recorded them, with today's row counts. */
export async function reusedSeedFigures(db: Db, run: SeedRun): Promise<SeedFigures> {
  const seconds = run.seconds ?? Number.NaN;
  return {
    organisationId: run.organisationId,
    people: run.people,
    rows: run.rows,
    seconds,
    rowsPerSecond: run.rows / seconds,
    tables: await countRows(db, run.organisationId),
    startsOn: run.startsOn ?? '',
    endsOn: run.endsOn ?? '',
    reused: true,
  };
}

export interface ReportFigures {
  report: Timing;
  handWritten: Timing;
  /** Report time over hand-written time: the target is 1.5 or less. */
  ratio: number;
  /** The report's own funnel statement alone, like for like with the hand-written one. */
  funnelOnly: Timing;
  funnelRatio: number;
  reportFunnel: FunnelCounts;
  handWrittenFunnel: FunnelCounts;
  tables: number;
}

function funnelOf(sections: Awaited<ReturnType<typeof figureSections>>): FunnelCounts {
  const table = sections.flatMap((section) => section.tables).find((candidate) => candidate.id === 'funnel');
  if (!table) throw new Error('The outcomes report has no funnel table');
  const count = (key: string) => Number(table.rows.find((row) => row.key === key)?.cells.count ?? Number.NaN);
  return Object.fromEntries(FUNNEL_KEYS.map((key) => [key, count(key)])) as unknown as FunnelCounts;
}

/** The outcomes report's figures for the organisation over every year seeded, as at the last day, beside the hand-written funnel. */
export async function reportSuite(db: Db, seeded: Pick<SeedFigures, 'organisationId' | 'startsOn' | 'endsOn'>, runs: number, warmUps = 1): Promise<ReportFigures> {
  const spec: CohortSpec = { organisationIds: [seeded.organisationId] };
  const period = { from: seeded.startsOn, to: seeded.endsOn, asAt: seeded.endsOn };
  let sections: Awaited<ReturnType<typeof figureSections>> = [];
  let hand: FunnelCounts | undefined;
  const report = await timed(async () => {
    sections = await figureSections(db, spec, period, seeded.organisationId);
  }, runs, warmUps);
  const handWritten = await timed(async () => {
    hand = await handWrittenFunnel(db, seeded.organisationId, period.from, period.to, period.asAt);
  }, runs, warmUps);
  const funnelOnly = await timed(() => funnelCounts(db, { ...spec, referredFrom: period.from, referredTo: period.to }, period.asAt), runs, warmUps);
  return {
    report,
    handWritten,
    ratio: report.medianMs / handWritten.medianMs,
    funnelOnly,
    funnelRatio: funnelOnly.medianMs / handWritten.medianMs,
    reportFunnel: funnelOf(sections),
    handWrittenFunnel: hand!,
    tables: sections.reduce((sum, section) => sum + section.tables.length, 0),
  };
}
