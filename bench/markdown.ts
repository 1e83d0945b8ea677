import { type GrowthSize, renderGrowth } from './growth.ts';
import { FUNNEL_KEYS } from './queries.ts';
import { type HttpFigures, type Load, PAGES, RAW_QUERIES } from './http.ts';
import type { ImportFigures } from './import.ts';
import { median, type StartupFigures } from './startup.ts';
import type { TableTiming } from './report-tables.ts';
import type { ReportFigures, SeedFigures } from './suites.ts';

/** Everything below this line in docs/benchmarks.md is rewritten by `npm run bench`; the text above it is kept. */
export const GENERATED_MARKER = '<!-- Everything below is written by `npm run bench` (bench/run.ts); edit the text above this line only. -->';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface DatabaseRun {
  label: string;
  version: string;
  seed: SeedFigures;
  report: ReportFigures;
}

export interface TableBreakdown {
  label: string;
  people: number;
  timings: TableTiming[];
}

export interface PostgresPages {
  label: string;
  people: number;
  figures: HttpFigures;
}

export interface BenchResults {
  date: string;
  command: string;
  runs: number;
  machine: Machine;
  databases: DatabaseRun[];
  /** The suites on the seeded PGlite data directory; absent when left out. */
  http?: HttpFigures;
  startup?: StartupFigures;
  /** PGlite's import, then PostgreSQL's, each when run. */
  imports?: ImportFigures[];
  /** The report's parts one by one, at each PostgreSQL size up to 100,000. */
  tableBreakdowns?: TableBreakdown[];
  /** The pages under load at each PostgreSQL size. */
  postgresPages?: PostgresPages[];
  /** The growth suite at each PostgreSQL size, smallest first. */
  growth?: GrowthSize[];
}

const whole = (value: number) => Math.round(value).toLocaleString('en-GB');
const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

function table(header: string[], rows: string[][]): string[] {
  // Labels left, figures right.
  const alignment = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${alignment.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** The generated half of docs/benchmarks.md. */
export function renderResults(results: BenchResults): string {
  const { machine } = results;
  const lines: string[] = [
    `## Results of ${results.date}`,
    '',
    `\`${results.command}\`: medians of ${results.runs} runs after one warm-up.`,
    '',
    '### The machine',
    '',
    ...table(
      ['Figure', 'Value'],
      [
        ['CPU', `${machine.cpus} × ${machine.cpuModel}`],
        ['Memory', `${machine.memoryGb.toFixed(1)} GB`],
        ['Node.js', machine.node],
        ['Platform', machine.platform],
        ...results.databases.map((run) => [`Database (${run.label})`, run.version]),
      ],
    ),
    '',
    '### Data sizes',
    '',
    ...table(
      ['Table', ...results.databases.map((run) => run.label)],
      Object.keys(results.databases[0]?.seed.tables ?? {}).map((name) => [name, ...results.databases.map((run) => whole(run.seed.tables[name] ?? 0))]),
    ),
    '',
    '### Seeding',
    '',
    'Rows written by `throughgate seed`: people in chunks of 2,000, each chunk one transaction of set-based inserts of up to 5,000 rows a statement, the next chunk generated while one is written (two written at once on PostgreSQL), with the per-row foreign-key checks off where the role may do so; then the stage derivation over every episode and `VACUUM (ANALYZE)`. A reused database (kept by `--reuse-databases`) shows the figures recorded when it was seeded, in an earlier run.',
    '',
    ...table(
      ['Database', 'People', 'Rows', 'Seconds', 'Rows per second', 'Seeded'],
      results.databases.map((run) => [
        run.label,
        whole(run.seed.people),
        whole(run.seed.rows),
        run.seed.seconds < 10 ? run.seed.seconds.toFixed(2) : run.seed.seconds.toFixed(1),
        Number.isFinite(run.seed.rowsPerSecond) ? whole(run.seed.rowsPerSecond) : '–',
        run.seed.reused ? 'earlier (reused)' : 'this run',
      ]),
    ),
    '',
    '### Outcomes report beside one hand-written query',
    '',
    'The report is `figureSections` (every table but costs and targets) for the organisation over every year seeded, as at the last day. The comparison is one hand-written statement computing the funnel straight from episodes, contacts and jobs (`bench/queries.ts`). The whole report computes every table, so it is also compared like for like: the report’s own funnel statement (`funnelCounts`, which reads the derived stage dates) against the hand-written one. The target in issue 6 is 1.5 times the hand-written query or less, and the report under 2 s for 100,000 people.',
    '',
    ...table(
      ['Database', 'People', 'Report tables', 'Whole report', 'Report’s funnel query', 'Hand-written funnel', 'Whole report ÷ hand-written', 'Funnel query ÷ hand-written'],
      results.databases.map((run) => [
        run.label,
        whole(run.seed.people),
        String(run.report.tables),
        ms(run.report.report.medianMs),
        ms(run.report.funnelOnly.medianMs),
        ms(run.report.handWritten.medianMs),
        `${run.report.ratio.toFixed(1)} ×`,
        `${run.report.funnelRatio.toFixed(2)} ×`,
      ]),
    ),
    '',
    'The funnel both ways (they must agree; a difference is a bug in one of them):',
    '',
    ...table(
      ['Stage', ...results.databases.flatMap((run) => [`${run.label}: report`, `${run.label}: hand-written`])],
      FUNNEL_KEYS.map((key) => [
        key.replaceAll('_', ' '),
        ...results.databases.flatMap((run) => [whole(run.report.reportFunnel[key]), whole(run.report.handWrittenFunnel[key])]),
      ]),
    ),
    '',
    'Every run, in milliseconds:',
    '',
    ...table(
      ['Database', 'Whole report', 'Report’s funnel query', 'Hand-written funnel'],
      results.databases.map((run) => [run.label, ...[run.report.report, run.report.funnelOnly, run.report.handWritten].map((timing) => timing.runs.map((value) => value.toFixed(1)).join(', '))]),
    ),
    '',
    ...renderTableBreakdowns(results.tableBreakdowns ?? []),
    ...renderGrowth(results.growth ?? []),
    ...(results.http || results.postgresPages?.length ? renderRawQueries() : []),
    ...(results.http ? renderHttp(results.http, pgliteLabel(results.databases)) : []),
    ...(results.postgresPages ?? []).flatMap((run) => renderHttp(run.figures, `${run.label}, ${whole(run.people)} people`)),
    ...(results.startup || results.http ? renderStartup(results.startup, results.http) : []),
    ...(results.imports?.length ? renderImport(results.imports) : []),
  ];
  return lines.join('\n');
}

const rate = (value: number) => (value < 10 ? value.toFixed(1) : whole(value));
const latency = (load: Load) => `${[load.p50, load.p95, load.p99].map((v) => (Number.isFinite(v) ? v.toFixed(1) : '–')).join(' / ')} ms`;

function pgliteLabel(databases: readonly DatabaseRun[]): string {
  const seeded = databases.find((run) => run.label === 'PGlite')?.seed.people;
  return seeded === undefined ? 'PGlite' : `PGlite, ${whole(seeded)} people`;
}

function renderTableBreakdowns(breakdowns: readonly TableBreakdown[]): string[] {
  if (breakdowns.length === 0) return [];
  const parts = breakdowns[0].timings.map((timing) => timing.table);
  return [
    '### The report table by table (PostgreSQL)',
    '',
    'Each part of the report run alone, one after another (`bench/report-tables.ts`), median of the runs. The app builds the report inside one transaction, so there its parts run in turn and the report takes about the sum of the parts; the whole-report figure above runs them side by side on the pool, as `figureSections` does when given one.',
    '',
    ...table(
      ['Part', ...breakdowns.map((run) => run.label)],
      [
        ...parts.map((part) => [part, ...breakdowns.map((run) => ms(run.timings.find((timing) => timing.table === part)?.ms ?? Number.NaN))]),
        ['sum of the parts (as the app runs them)', ...breakdowns.map((run) => ms(run.timings.filter((timing) => !timing.table.startsWith('whole')).reduce((sum, timing) => sum + timing.ms, 0)))],
      ],
    ),
    '',
  ];
}

function renderRawQueries(): string[] {
  return [
    '### Pages under load',
    '',
    'autocannon for a few seconds a cell against one production-mode server (`throughgate serve`, NODE_ENV=production, the soak\'s throwaway settings) on the seeded data, as the caseworker with the largest caseload; contacts are POSTed to `/api/v1/episodes/:id/contacts` with a practitioner API token. Latency counts answers with the expected status (200, or 201 for the contact); errors are anything else. The limit ("raw") is every query the page must ask the database, issued in a loop by as many concurrent callers through the app\'s own query functions, in one process, with no HTTP and no templating; on PostgreSQL through a pool the size of the server\'s, each cell just before its HTTP run. PGlite is a single connection, so concurrency there only queues. Left out of the raw side: the once-a-minute "last seen" touch and the reference lists, which the app caches per process.',
    '',
    ...table(
      ['Page', 'Raw queries'],
      PAGES.map((page) => [page, RAW_QUERIES[page]]),
    ),
    '',
  ];
}

function renderHttp(http: HttpFigures, where: string): string[] {
  return [
    `#### ${where}`,
    '',
    ...table(
      ['Page', 'Connections', 'Requests/s', 'p50 / p95 / p99', 'Errors', 'Raw queries/s', 'Raw p50 / p95 / p99', 'Page ÷ raw'],
      http.pages.map((row) => [
        row.page,
        String(row.connections),
        rate(row.http.requestsPerSecond),
        latency(row.http),
        String(row.http.errors),
        rate(row.raw.requestsPerSecond),
        latency(row.raw),
        `${(row.fraction * 100).toFixed(0)}%`,
      ]),
    ),
    '',
    ...(http.hello.length
      ? [
          'The ceiling: a hello-world Fastify server (one route returning a small JSON object) in a child process on the same machine.',
          '',
          ...table(
            ['Hello-world Fastify', 'Requests/s', 'p50 / p95 / p99'],
            http.hello.map((row) => [`${row.connections} connection${row.connections === 1 ? '' : 's'}`, rate(row.load.requestsPerSecond), latency(row.load)]),
          ),
          '',
        ]
      : []),
  ];
}

function renderStartup(startup: StartupFigures | undefined, http: HttpFigures | undefined): string[] {
  const seconds = (values: number[]) => `${median(values).toFixed(2)} s (${values.map((v) => v.toFixed(2)).join(', ')})`;
  return [
    '### Start-up and memory (PGlite)',
    '',
    'Cold start: from spawning `throughgate serve` in production mode to the first 200 from `/health` (polled every 10 ms); median of the runs, every run in brackets. Targets in issue 6: restart under 2 s, resident memory under 500 MB after load.',
    '',
    ...table(
      ['Figure', 'Value'],
      [
        ...(startup ? [['Cold start, existing data directory (the seeded one)', seconds(startup.existing)], ['First start, empty data directory (migrations included)', seconds(startup.empty)]] : []),
        ...(http ? [['Server resident memory (VmRSS) after the load test', http.rssAfterMib === undefined ? 'not measured (no /proc)' : `${http.rssAfterMib.toFixed(0)} MiB`]] : []),
      ],
    ),
    '',
  ];
}

function renderImport(runs: readonly ImportFigures[]): string[] {
  return [
    '### Import beside a bulk load',
    '',
    `A referral CSV of valid, distinct rows (docs/data-formats.md) through \`throughgate import referrals\` (a child process on a database of its own: a PGlite data directory, or a database made on the PostgreSQL server; wall time of the whole command, start-up included), beside a bulk load of the same file into a bare table of text columns in that database. Target in issue 6: at least 20,000 rows a second.`,
    '',
    ...table(
      ['Database', 'Load', 'Rows', 'Seconds', 'Rows per second'],
      runs.flatMap((figures) => [
        [figures.database, 'throughgate import', whole(figures.imported), figures.importSeconds.toFixed(2), rate(figures.importRowsPerSecond)],
        [figures.database, `Bulk load (${figures.bulkMethod})`, whole(figures.bulkRows), figures.bulkSeconds.toFixed(3), rate(figures.bulkRowsPerSecond)],
        [figures.database, 'Import ÷ bulk load', '', '', `${(figures.fraction * 100).toFixed(2)}%`],
      ]),
    ),
    '',
  ];
}

/** `npm run soak` (soak/run.ts) writes its result between these markers; the bench keeps that block. */
const SOAK_BLOCK = /<!-- soak:start -->[\s\S]*?<!-- soak:end -->/;

/** Keeps the hand-written preamble of an existing file (everything above the marker) and the soak result, and replaces the rest. */
export function rewriteDocument(existing: string | undefined, defaultPreamble: string, generated: string): string {
  const index = existing?.indexOf(GENERATED_MARKER) ?? -1;
  const preamble = existing !== undefined && index >= 0 ? existing.slice(0, index).trimEnd() : defaultPreamble.trimEnd();
  const soak = existing?.match(SOAK_BLOCK)?.[0];
  return `${preamble}\n\n${GENERATED_MARKER}\n\n${generated.trimEnd()}\n${soak ? `\n${soak}\n` : ''}`;
}
