/**
 * `npm run bench [-- --people N] [--runs R] [--large] [--postgres-sizes 10000,100000,1000000] [--reuse-databases]
 *   [--postgres-only] [--growth-calls N] [--no-postgres-pages] [--duration S] [--connections 1,16,64] [--import-rows N] [--output FILE]`
 *
 * Seeds a synthetic dataset into an in-memory PGlite (default 5,000 people)
 * and times the outcomes report beside one hand-written funnel query. With
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) set, the same on PostgreSQL at
 * each of --postgres-sizes (default 10,000; 10,000 and 100,000 with --large),
 * then the growth suite (bench/growth.ts) at each size, with the query plans
 * at the largest, the report table by table (up to 100,000 people) and the
 * pages under load (bench/http.ts; not with --no-postgres-pages), and then
 * the import on a database of its own. Each size gets a database of its own,
 * made and dropped here; with --reuse-databases it is kept as tg_bench_<people>_s<seed> and
 * reused by later runs while the seed run recorded in it matches (see
 * reusableRun in bench/suites.ts). On the seeded PGlite data directory it
 * then times start-up, the pages under load (bench/http.ts) and memory, and
 * imports a referral CSV (bench/import.ts); --postgres-only leaves all the
 * PGlite suites out. Rewrites docs/benchmarks.md below its marker.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Database, openPGlite, openPostgres } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedRuns } from '../src/modules/seed/service.ts';
import { type GrowthSize, growthSuite, growthTargets } from './growth.ts';
import { type BenchResults, type DatabaseRun, type Machine, type PostgresPages, renderResults, rewriteDocument, type TableBreakdown } from './markdown.ts';
import { serverEnv } from '../soak/run.ts';
import { freePort } from '../test/support/free-port.ts';
import { type HttpFigures, httpSuite, postgresHttpSuite } from './http.ts';
import { type ImportFigures, importSuite } from './import.ts';
import { serverVersion } from './queries.ts';
import { reportTableTimings } from './report-tables.ts';
import { type StartupFigures, startupSuite } from './startup.ts';
import { BENCH_SEED_YEARS, reportSuite, reusableRun, reusedSeedFigures, type SeedFigures, seedSuite } from './suites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const DEFAULT_PREAMBLE = `# Benchmarks

How fast Throughgate is, measured with \`npm run bench\` (bench/run.ts) on synthetic data from \`throughgate seed\`. Issue 6 sets the targets; every figure is beside what it is compared with in the same run, and ratios matter more than absolute times.`;

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

async function pgliteVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  return `PGlite ${manifest.version}`;
}

const BENCH_SEED = 1;
/** Caseworkers, people and episodes the growth suite spreads its calls over. */
const GROWTH_TARGETS = 20;

async function measure(label: string, database: Database, people: number, runs: number, version: string, reused?: SeedFigures): Promise<DatabaseRun> {
  await migrate(database);
  let seed = reused;
  if (seed) console.error(`bench: ${label}: reusing the database seeded earlier with ${people.toLocaleString('en-GB')} people`);
  else {
    console.error(`bench: ${label}: seeding ${people.toLocaleString('en-GB')} people`);
    seed = await seedSuite(database.db, people, { seed: BENCH_SEED });
  }
  console.error(`bench: ${label}: ${seed.rows.toLocaleString('en-GB')} rows in ${seed.seconds.toFixed(1)} s; timing the report (${runs} runs)`);
  const report = await reportSuite(database.db, seed, runs);
  console.error(`bench: ${label}: report ${report.report.medianMs.toFixed(1)} ms, hand-written ${report.handWritten.medianMs.toFixed(1)} ms, ratio ${report.ratio.toFixed(1)}`);
  return { label, version: `${version}; ${await serverVersion(database.db)}`, seed, report };
}

async function adminQuery(serverUrl: string, text: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await admin.query(text);
  } finally {
    await admin.end();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database of its own on the server, dropped afterwards whatever happens. */
async function withPostgresDatabase<T>(serverUrl: string, fn: (database: Database, url: string) => Promise<T>): Promise<T> {
  const name = `tg_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  const database = await openPostgres(url);
  try {
    return await fn(database, url);
  } finally {
    await database.close();
    await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  }
}

/**
 * The kept database for a size, tg_bench_<people>_s<seed>: reused when the
 * seed run recorded in it matches (fn gets its figures), otherwise dropped
 * and made again empty (fn seeds it). Never dropped afterwards.
 */
async function withKeptDatabase<T>(serverUrl: string, people: number, fn: (database: Database, url: string, reused: SeedFigures | undefined) => Promise<T>): Promise<T> {
  const name = `tg_bench_${people}_s${BENCH_SEED}`;
  const url = databaseUrl(serverUrl, name);
  const exists = (await adminQuery(serverUrl, `select 1 from pg_database where datname = '${name}'`)).rowCount === 1;
  if (exists) {
    const database = await openPostgres(url);
    let reusable: ReturnType<typeof reusableRun>;
    try {
      await migrate(database);
      reusable = reusableRun(await seedRuns(database.db), { people, years: BENCH_SEED_YEARS, seed: BENCH_SEED });
      if ('run' in reusable) return await fn(database, url, await reusedSeedFigures(database.db, reusable.run));
    } finally {
      await database.close();
    }
    console.error(`bench: ${name} cannot be reused (${reusable.reason}): dropping it and seeding it again`);
    await adminQuery(serverUrl, `drop database ${name} with (force)`);
  }
  await adminQuery(serverUrl, `create database ${name}`);
  const database = await openPostgres(url);
  try {
    return await fn(database, url, undefined);
  } finally {
    await database.close();
  }
}

/** The report's parts one by one are timed up to this size; above it one run of the whole report takes about a minute. */
const TABLE_BREAKDOWN_UP_TO = 100_000;

interface PostgresSuites {
  growth: { calls: number; explain: boolean };
  pages: { connections: number[]; durationMs: number; hello: boolean } | undefined;
}

/** The report, the growth suite, the report table by table and the pages under load at one PostgreSQL size. */
async function measurePostgres(database: Database, url: string, people: number, runs: number, reused: SeedFigures | undefined, suites: PostgresSuites) {
  const label = `PostgreSQL ${people >= 1_000_000 ? `${people / 1_000_000}M` : `${people / 1000}k`}`;
  const run = await measure(label, database, people, runs, 'PostgreSQL', reused);
  const { growth } = suites;
  console.error(`bench: ${label}: growth suite, ${growth.calls} calls a page${growth.explain ? ', with plans' : ''}`);
  const targets = await growthTargets(database.db, run.seed.organisationId, run.seed.endsOn, GROWTH_TARGETS);
  const size = await growthSuite(database.db, targets, { label, people, reportMs: run.report.report.medianMs, handWrittenMs: run.report.handWritten.medianMs }, growth);
  let tables: TableBreakdown | undefined;
  if (people <= TABLE_BREAKDOWN_UP_TO) {
    console.error(`bench: ${label}: the report table by table`);
    const period = { from: run.seed.startsOn, to: run.seed.endsOn, asAt: run.seed.endsOn };
    tables = { label, people, timings: await reportTableTimings(database.db, run.seed.organisationId, period, runs) };
  }
  let pages: PostgresPages | undefined;
  if (suites.pages) {
    console.error(`bench: ${label}: pages under load, ${suites.pages.durationMs / 1000} s a cell at ${suites.pages.connections.join(', ')} connections`);
    const figures = await postgresHttpSuite(url, { ...suites.pages, log: (line) => console.error(`bench:   ${line}`) });
    pages = { label, people, figures };
  }
  return { run, size, tables, pages };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '5' },
      large: { type: 'boolean', default: false },
      'postgres-sizes': { type: 'string' },
      'reuse-databases': { type: 'boolean', default: false },
      'postgres-only': { type: 'boolean', default: false },
      'growth-calls': { type: 'string', default: '40' },
      'no-postgres-pages': { type: 'boolean', default: false },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '1,16,64' },
      'import-rows': { type: 'string', default: '100000' },
      output: { type: 'string', default: path.join(ROOT, 'docs/benchmarks.md') },
    },
  });
  const people = Number(values.people);
  const runs = Number(values.runs);
  if (!Number.isInteger(people) || people < 1 || !Number.isInteger(runs) || runs < 1) {
    console.error('--people and --runs must be whole numbers above 0');
    return 2;
  }
  const duration = Number(values.duration);
  const connections = values.connections.split(',').map(Number);
  const importRows = Number(values['import-rows']);
  if (!(duration > 0) || !connections.every((c) => Number.isInteger(c) && c > 0) || !Number.isInteger(importRows) || importRows < 1) {
    console.error('--duration must be above 0 seconds, --connections whole numbers above 0 separated by commas, --import-rows a whole number above 0');
    return 2;
  }
  const postgresSizes = (values['postgres-sizes'] ?? (values.large ? '10000,100000' : '10000')).split(',').map(Number);
  const growthCalls = Number(values['growth-calls']);
  if (!postgresSizes.every((size) => Number.isInteger(size) && size > 0) || !Number.isInteger(growthCalls) || growthCalls < 1) {
    console.error('--postgres-sizes must be whole numbers above 0 separated by commas, --growth-calls a whole number above 0');
    return 2;
  }
  postgresSizes.sort((a, b) => a - b);
  const databases: DatabaseRun[] = [];
  const growth: GrowthSize[] = [];
  let http: HttpFigures | undefined;
  let startup: StartupFigures | undefined;
  const imports: ImportFigures[] = [];
  const tableBreakdowns: TableBreakdown[] = [];
  const postgresPages: PostgresPages[] = [];
  if (values['postgres-only']) console.error('bench: --postgres-only, so the PGlite suites are left out');
  else {
    // The embedded database in a data directory, as the app runs it, so the server suites can reuse the seeded data.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-'));
    const dataDir = path.join(dir, 'data');
    try {
      const embedded = await openPGlite(dataDir);
      try {
        databases.push(await measure('PGlite', embedded, people, runs, await pgliteVersion()));
      } finally {
        await embedded.close();
      }
      const seeded = databases[0].seed;
      console.error('bench: PGlite: cold starts');
      startup = await startupSuite(dataDir, Math.min(runs, 3));
      console.error(`bench: PGlite: pages under load, ${duration} s a cell at ${connections.join(', ')} connections`);
      http = await httpSuite(dataDir, serverEnv(dataDir, await freePort()), { id: seeded.organisationId, name: `Benchmark service (${people} people)` }, {
        connections,
        durationMs: duration * 1000,
        logFile: path.join(dir, 'server.log'),
        log: (line) => console.error(`bench:   ${line}`),
      });
      console.error(`bench: importing ${importRows.toLocaleString('en-GB')} referral rows`);
      imports.push(await importSuite(importRows, serverEnv(dataDir, 0)));
      console.error(`bench: import ${imports[0].importRowsPerSecond.toFixed(0)} rows/s, bulk load ${imports[0].bulkRowsPerSecond.toFixed(0)} rows/s`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const largest = postgresSizes[postgresSizes.length - 1];
    for (const people of postgresSizes) {
      const suites: PostgresSuites = {
        growth: { calls: growthCalls, explain: people === largest },
        // The hello-world ceiling once per run: with the PGlite suites, or else at the first size.
        pages: values['no-postgres-pages'] ? undefined : { connections, durationMs: duration * 1000, hello: values['postgres-only'] && people === postgresSizes[0] },
      };
      const measured = values['reuse-databases']
        ? await withKeptDatabase(serverUrl, people, (database, url, reused) => measurePostgres(database, url, people, runs, reused, suites))
        : await withPostgresDatabase(serverUrl, (database, url) => measurePostgres(database, url, people, runs, undefined, suites));
      databases.push(measured.run);
      growth.push(measured.size);
      if (measured.tables) tableBreakdowns.push(measured.tables);
      if (measured.pages) postgresPages.push(measured.pages);
    }
    console.error(`bench: PostgreSQL: importing ${importRows.toLocaleString('en-GB')} referral rows`);
    imports.push(await importSuite(importRows, serverEnv(path.join(os.tmpdir(), 'throughgate-bench-unused'), 0), { postgresUrl: serverUrl }));
  } else {
    console.error('bench: no BENCH_DATABASE_URL or TEST_DATABASE_URL, so PostgreSQL is left out');
  }

  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    command: `npm run bench -- --people ${people} --runs ${runs} --postgres-sizes ${postgresSizes.join(',')}${values['reuse-databases'] ? ' --reuse-databases' : ''}${values['postgres-only'] ? ' --postgres-only' : ''} --growth-calls ${growthCalls}${values['no-postgres-pages'] ? ' --no-postgres-pages' : ''} --duration ${duration} --connections ${connections.join(',')} --import-rows ${importRows}`,
    runs,
    machine: machine(),
    databases,
    http,
    startup,
    imports,
    growth,
    tableBreakdowns,
    postgresPages,
  };
  const existing = await readFile(values.output, 'utf8').catch(() => undefined);
  await writeFile(values.output, rewriteDocument(existing, DEFAULT_PREAMBLE, renderResults(results)));
  console.error(`bench: wrote ${path.relative(ROOT, values.output)}`);
  return 0;
}

if (import.meta.main) process.exitCode = await main();
