/**
 * `npm run bench [-- --people N] [--runs R] [--large] [--duration S] [--connections 1,16,64] [--import-rows N] [--output FILE]`
 *
 * Seeds a synthetic dataset into an in-memory PGlite (default 5,000 people)
 * and times the outcomes report beside one hand-written funnel query. With
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) set, the same on PostgreSQL at
 * 10,000 people, and 100,000 more with --large, each in a database of its own
 * made and dropped here. On the seeded PGlite data directory it then times
 * start-up, the pages under load (bench/http.ts) and memory, and imports a
 * referral CSV (bench/import.ts). Rewrites docs/benchmarks.md below its marker.
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
import { type BenchResults, type DatabaseRun, type Machine, renderResults, rewriteDocument } from './markdown.ts';
import { freePort, serverEnv } from '../soak/run.ts';
import { type HttpFigures, httpSuite } from './http.ts';
import { type ImportFigures, importSuite } from './import.ts';
import { serverVersion } from './queries.ts';
import { type StartupFigures, startupSuite } from './startup.ts';
import { reportSuite, seedSuite } from './suites.ts';

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

async function measure(label: string, database: Database, people: number, runs: number, version: string): Promise<DatabaseRun> {
  await migrate(database);
  console.error(`bench: ${label}: seeding ${people.toLocaleString('en-GB')} people`);
  const seed = await seedSuite(database.db, people);
  console.error(`bench: ${label}: ${seed.rows.toLocaleString('en-GB')} rows in ${seed.seconds.toFixed(1)} s; timing the report (${runs} runs)`);
  const report = await reportSuite(database.db, seed, runs);
  console.error(`bench: ${label}: report ${report.report.medianMs.toFixed(1)} ms, hand-written ${report.handWritten.medianMs.toFixed(1)} ms, ratio ${report.ratio.toFixed(1)}`);
  return { label, version: `${version}; ${await serverVersion(database.db)}`, seed, report };
}

/** A database of its own on the server, dropped afterwards whatever happens. */
async function withPostgresDatabase<T>(serverUrl: string, fn: (database: Database) => Promise<T>): Promise<T> {
  const name = `tg_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  try {
    return await fn(database);
  } finally {
    await database.close();
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '5' },
      large: { type: 'boolean', default: false },
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
  const databases: DatabaseRun[] = [];
  let http: HttpFigures | undefined;
  let startup: StartupFigures | undefined;
  let imports: ImportFigures | undefined;
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
    imports = await importSuite(importRows, serverEnv(dataDir, 0));
    console.error(`bench: import ${imports.importRowsPerSecond.toFixed(0)} rows/s, bulk load ${imports.bulkRowsPerSecond.toFixed(0)} rows/s`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    for (const size of values.large ? [10_000, 100_000] : [10_000]) {
      databases.push(await withPostgresDatabase(serverUrl, (database) => measure(`PostgreSQL ${size / 1000}k`, database, size, runs, 'PostgreSQL')));
    }
  } else {
    console.error('bench: no BENCH_DATABASE_URL or TEST_DATABASE_URL, so PostgreSQL is left out');
  }

  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    command: `npm run bench -- --people ${people} --runs ${runs}${values.large ? ' --large' : ''} --duration ${duration} --connections ${connections.join(',')} --import-rows ${importRows}`,
    runs,
    machine: machine(),
    databases,
    http,
    startup,
    imports,
  };
  const existing = await readFile(values.output, 'utf8').catch(() => undefined);
  await writeFile(values.output, rewriteDocument(existing, DEFAULT_PREAMBLE, renderResults(results)));
  console.error(`bench: wrote ${path.relative(ROOT, values.output)}`);
  return 0;
}

if (import.meta.main) process.exitCode = await main();
