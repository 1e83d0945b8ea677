/**
 * The import suite: a referral CSV of N rows (docs/data-formats.md) through
 * `throughgate import referrals` in a child process, on a PGlite data
 * directory of its own, beside a bulk load of the same rows into a bare table
 * of text columns with PGlite's `COPY … FROM '/dev/blob'`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import * as organisations from '../src/modules/organisations/service.ts';
import { SYSTEM_ACTOR } from '../src/platform/audit/service.ts';
import { openPGlite } from '../src/platform/db/database.ts';
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

function runImport(file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/throughgate.ts', 'import', 'referrals', file, '--organisation', ORGANISATION], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `env` is the environment of a production-mode command (bench/run.ts passes the soak's throwaway settings); DATA_DIR is set here. */
export async function importSuite(rows: number, env: Record<string, string>): Promise<ImportFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-import-'));
  const dataDir = path.join(dir, 'data');
  try {
    const database = await openPGlite(dataDir);
    try {
      await migrate(database);
      await organisations.createOrganisation(database.db, SYSTEM_ACTOR, { name: ORGANISATION, kind: 'provider' });
    } finally {
      await database.close();
    }
    const csv = referralCsv(rows);
    const file = path.join(dir, 'referrals.csv');
    await writeFile(file, csv);

    const started = performance.now();
    const result = await runImport(file, { ...env, DATA_DIR: dataDir });
    const importSeconds = (performance.now() - started) / 1000;
    const imported = Number(/Imported (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN);
    if (result.code !== 0 || imported !== rows) {
      throw new Error(`throughgate import exited ${result.code} having imported ${imported} of ${rows}:\n${result.stdout.slice(0, 2000)}\n${result.stderr.slice(-2000)}`);
    }

    // The same rows into a bare table in the same data directory, as one COPY.
    const client = await PGlite.create({ dataDir });
    try {
      await client.exec(`create table bench_bare_referral (${COLUMNS.map((column) => `${column} text`).join(', ')})`);
      const copyStarted = performance.now();
      await client.query(`copy bench_bare_referral from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([csv]) });
      const bulkSeconds = (performance.now() - copyStarted) / 1000;
      const counted = await client.query<{ n: number }>('select count(*)::int as n from bench_bare_referral');
      const bulkRows = counted.rows[0].n;
      const importRowsPerSecond = rows / importSeconds;
      const bulkRowsPerSecond = bulkRows / bulkSeconds;
      return {
        rows,
        imported,
        importSeconds,
        importRowsPerSecond,
        bulkMethod: "PGlite COPY … FROM '/dev/blob' (CSV)",
        bulkRows,
        bulkSeconds,
        bulkRowsPerSecond,
        fraction: importRowsPerSecond / bulkRowsPerSecond,
      };
    } finally {
      await client.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
