import { FUNNEL_KEYS } from './queries.ts';
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

export interface BenchResults {
  date: string;
  command: string;
  runs: number;
  machine: Machine;
  databases: DatabaseRun[];
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
    'Rows written by `throughgate seed` (set-based inserts of up to 5,000 rows a statement), then the stage derivation over every episode.',
    '',
    ...table(
      ['Database', 'People', 'Rows', 'Seconds', 'Rows per second'],
      results.databases.map((run) => [run.label, whole(run.seed.people), whole(run.seed.rows), run.seed.seconds.toFixed(1), whole(run.seed.rowsPerSecond)]),
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
  ];
  return lines.join('\n');
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
