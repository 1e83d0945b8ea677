/**
 * The import suite: a referral CSV of N rows (docs/data-formats.md) through
 * `throughgate import referrals` in a child process, on a database of its own
 * (a PGlite data directory, or a database made and dropped on a PostgreSQL
 * server), beside a bulk load of the same rows into a bare table of text
 * columns: PGlite's `COPY … FROM '/dev/blob'`, or psql's `\copy` on PostgreSQL.
 *
 * Alone: `node bench/import.ts [--rows 100000] [--runs 1] [--postgres URL]`
 * (URL: any database on the server; the suite makes and drops its own).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import * as organisations from '../src/modules/organisations/service.ts';
import { SYSTEM_ACTOR } from '../src/platform/audit/service.ts';
import { type Database, openPGlite, openPostgres } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORGANISATION = 'Benchmark imports';
const COLUMNS = ['external_id', 'source_system', 'given_name', 'family_name', 'date_of_birth', 'sex', 'referral_source', 'received_on', 'reason', 'prison', 'conditional_release_date'];
const GIVEN = ['Daniel', 'Siân', 'Marek', 'Aisha', 'Tom', 'Grace', 'Ravi', 'Chloe', 'Kwame', 'Niamh', 'Liam', 'Fatima', 'Oliver', 'Zofia', 'Ahmed', 'Ruth'];
const FAMILY = ['Okafor', "O'Neill", 'Kowalski', 'Patel', 'Smith', 'Jones', 'Murphy', 'Nowak', 'Khan', 'Evans', 'Walsh', 'Begum', 'Taylor', 'Brown', 'Davies', 'Wilson'];
const PRISONS = ['leeds', 'new_hall'];

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** N plausible, valid and distinct referral rows as CSV (header first), deterministic. */
export function referralCsv(rows: number): string {
  const lines = [COLUMNS.join(',')];
  for (let n = 0; n < rows; n += 1) {
    const day = (m: number) => `${pad(1 + (m % 28))}`;
    lines.push(
      [
        `BENCH-${pad(n, 7)}`,
        'HMP Benchmark OMU',
        GIVEN[n % GIVEN.length],
        `${FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]}`,
        `${1960 + (n % 40)}-${pad(1 + (n % 12))}-${day(n)}`,
        n % 5 === 0 ? 'female' : 'male',
        'probation',
        `2025-${pad(1 + (n % 12))}-${day(n * 7)}`,
        n % 3 === 0 ? '"Wants help finding work, has a CSCS card"' : '',
        PRISONS[n % PRISONS.length],
        n % 2 === 0 ? `2026-${pad(1 + (n % 12))}-${day(n * 3)}` : '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface ImportFigures {
  /** 'PGlite' or 'PostgreSQL'. */
  database: string;
  rows: number;
  imported: number;
  /** Wall time of the whole command, process start and migration check included. */
  importSeconds: number;
  importRowsPerSecond: number;
  bulkMethod: string;
  bulkRows: number;
  bulkSeconds: number;
  bulkRowsPerSecond: number;
  /** Import rate over bulk-load rate. */
  fraction: number;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const BARE_TABLE = `create table bench_bare_referral (${COLUMNS.map((column) => `${column} text`).join(', ')})`;

/** Migrates, and makes the organisation the import goes into. */
async function prepare(database: Database): Promise<void> {
  try {
    await migrate(database);
    await organisations.createOrganisation(database.db, SYSTEM_ACTOR, { name: ORGANISATION, kind: 'provider' });
  } finally {
    await database.close();
  }
}

/** Times `throughgate import referrals FILE` from spawn to exit; fails unless every row was imported. */
async function timeImport(file: string, rows: number, env: Record<string, string>) {
  const started = performance.now();
  const result = await run(process.execPath, ['bin/throughgate.ts', 'import', 'referrals', file, '--organisation', ORGANISATION], env);
  const importSeconds = (performance.now() - started) / 1000;
  const imported = Number(/Imported (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN);
  if (result.code !== 0 || imported !== rows) {
    throw new Error(`throughgate import exited ${result.code} having imported ${imported} of ${rows}:\n${result.stdout.slice(0, 2000)}\n${result.stderr.slice(-2000)}`);
  }
  return { imported, importSeconds };
}

function figures(
  database: string,
  rows: number,
  timed: { imported: number; importSeconds: number },
  bulk: { method: string; rows: number; seconds: number },
): ImportFigures {
  const importRowsPerSecond = rows / timed.importSeconds;
  const bulkRowsPerSecond = bulk.rows / bulk.seconds;
  return {
    database,
    rows,
    imported: timed.imported,
    importSeconds: timed.importSeconds,
    importRowsPerSecond,
    bulkMethod: bulk.method,
    bulkRows: bulk.rows,
    bulkSeconds: bulk.seconds,
    bulkRowsPerSecond,
    fraction: importRowsPerSecond / bulkRowsPerSecond,
  };
}

async function pgliteSuite(rows: number, env: Record<string, string>, dir: string): Promise<ImportFigures> {
  const dataDir = path.join(dir, 'data');
  await prepare(await openPGlite(dataDir));
  const csv = referralCsv(rows);
  const file = path.join(dir, 'referrals.csv');
  await writeFile(file, csv);
  const timed = await timeImport(file, rows, { ...env, DATA_DIR: dataDir });

  // The same rows into a bare table in the same data directory, as one COPY.
  const client = await PGlite.create({ dataDir });
  try {
    await client.exec(BARE_TABLE);
    const copyStarted = performance.now();
    await client.query(`copy bench_bare_referral from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([csv]) });
    const seconds = (performance.now() - copyStarted) / 1000;
    const counted = await client.query<{ n: number }>('select count(*)::int as n from bench_bare_referral');
    return figures('PGlite', rows, timed, { method: "PGlite COPY … FROM '/dev/blob' (CSV)", rows: counted.rows[0].n, seconds });
  } finally {
    await client.close();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

async function postgresSuite(rows: number, env: Record<string, string>, dir: string, serverUrl: string): Promise<ImportFigures> {
  const name = `tg_bench_import_${randomBytes(6).toString('hex')}`;
  const url = databaseUrl(serverUrl, name);
  await onServer(serverUrl, `create database ${name}`);
  try {
    await prepare(await openPostgres(url));
    const file = path.join(dir, 'referrals.csv');
    await writeFile(file, referralCsv(rows));
    const timed = await timeImport(file, rows, { ...env, DATABASE_URL: url });

    // psql's own \timing of the \copy: the COPY round trip, without psql's start-up and connection.
    const copy = await run(
      'psql',
      [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', BARE_TABLE, '-c', '\\timing on', '-c', `\\copy bench_bare_referral from '${file}' with (format csv, header true)`],
      {},
    );
    const milliseconds = Number(/Time: ([\d.]+) ms/.exec(copy.stdout)?.[1] ?? Number.NaN);
    if (copy.code !== 0 || !(milliseconds > 0)) throw new Error(`psql \\copy failed (exit ${copy.code}): ${copy.stderr.slice(-2000)}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const counted = await client.query<{ n: number }>('select count(*)::int as n from bench_bare_referral').finally(() => client.end());
    return figures('PostgreSQL', rows, timed, { method: "psql \\copy … from 'file' (CSV), psql's \\timing", rows: counted.rows[0].n, seconds: milliseconds / 1000 });
  } finally {
    await onServer(serverUrl, `drop database if exists ${name} with (force)`);
  }
}

/**
 * `env` is the environment of a production-mode command (bench/run.ts passes
 * the soak's throwaway settings). Without `postgresUrl` the import runs on a
 * PGlite data directory of its own (DATA_DIR is set here); with it, on a
 * database made on that server and dropped afterwards (DATABASE_URL is set here).
 */
export async function importSuite(rows: number, env: Record<string, string>, options: { postgresUrl?: string } = {}): Promise<ImportFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-import-'));
  try {
    return options.postgresUrl ? await postgresSuite(rows, env, dir, options.postgresUrl) : await pgliteSuite(rows, env, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The environment of a production-mode command with no server: what bench/run.ts's serverEnv gives, for running alone. */
function standaloneEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: `bench-import-throwaway-secret-${process.pid}-0123456789abcdef`,
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BASE_URL: 'https://bench.throughgate.invalid',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '100000' }, runs: { type: 'string', default: '1' }, postgres: { type: 'string' } },
  });
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(runs) || runs < 1) {
    console.error('Usage: node bench/import.ts [--rows N] [--runs R] [--postgres URL]');
    process.exit(2);
  }
  for (let n = 1; n <= runs; n += 1) {
    const result = await importSuite(rows, standaloneEnv(), { postgresUrl: values.postgres });
    console.log(
      `${result.database} run ${n}: ${result.rows} rows imported in ${result.importSeconds.toFixed(2)} s = ${result.importRowsPerSecond.toFixed(0)} rows/s; ` +
        `bulk ${result.bulkSeconds.toFixed(3)} s = ${result.bulkRowsPerSecond.toFixed(0)} rows/s (${result.bulkMethod}); fraction ${result.fraction.toFixed(4)}`,
    );
  }
}
