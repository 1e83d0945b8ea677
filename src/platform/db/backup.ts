import { spawn } from 'node:child_process';
import { existsSync, globSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import * as audit from '../audit/service.ts';
import { loadConfig } from '../config.ts';
import { type Database, openPGlite, openPostgres } from './database.ts';

export const BACKUP_USAGE = `  backup FILE [--force]          Write a backup of the database to FILE (PGlite: a tarball of DATA_DIR;
                                 PostgreSQL: pg_dump custom format). --force overwrites an existing FILE
  restore FILE [--force]         Restore a backup into an empty DATA_DIR or DATABASE_URL database, then verify
                                 the audit chain. --force replaces existing data (PGlite: moved aside, not deleted)`;

const PERSONAL_DATA_WARNING =
  'Warning: a backup holds personal data, including health and criminal-offence information about people. ' +
  'Keep it encrypted, on restricted storage, and delete it when it is no longer needed.';

/** The tables whose row counts a backup and a restore report. */
const KEY_TABLES = ['organisation', 'app_user', 'person', 'episode', 'contact', 'audit_event'];

/** A failure the operator can act on: its message is printed without a stack trace. */
export class BackupError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

type Query = <R>(text: string, params?: unknown[]) => Promise<R[]>;

async function keyTableCounts(query: Query): Promise<string> {
  const parts: string[] = [];
  for (const table of KEY_TABLES) {
    const [present] = await query<{ present: boolean }>('select to_regclass($1) is not null as present', [`public.${table}`]);
    if (!present?.present) continue;
    const [row] = await query<{ n: number }>(`select count(*)::int as n from public.${table}`);
    parts.push(`${table} ${row.n}`);
  }
  return parts.length ? parts.join(', ') : 'no application tables';
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

async function fileSize(file: string): Promise<string> {
  const bytes = (await stat(file)).size;
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Writes a backup through a temporary file created with mode 0600 next to the
 * target, then renames it into place, so a failed backup never leaves a
 * half-written FILE and no other user can read it at any point.
 */
async function writePrivately(file: string, force: boolean, write: (temporary: string) => Promise<void>): Promise<void> {
  if (!force && existsSync(file)) throw new BackupError(`${file} already exists; choose another name or pass --force to overwrite it`);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temporary, 'wx', 0o600);
  } catch (error) {
    throw new BackupError(`Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  await handle.close();
  try {
    await chmod(temporary, 0o600);
    await write(temporary);
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function readBackup(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(code === 'ENOENT' ? `There is no backup file at ${file}` : `Cannot read ${file}: ${code ?? (error as Error).message}`);
  }
}

// ── PGlite ────────────────────────────────────────────────────────────────

function hasDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

async function isEmptyDirectory(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** The names of the entries in a ustar archive, read from its 512-byte headers. */
function tarEntryNames(tar: Buffer): string[] {
  const names: string[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
    if (field(257, 5) !== 'ustar') throw new BackupError('not a tar archive');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new BackupError('a damaged tar header');
    const prefix = field(345, 155);
    names.push(prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  if (offset > tar.length) throw new BackupError('the archive is truncated');
  return names;
}

/** Checks that the file is a whole PGlite data-directory tarball before anything is touched. */
function checkPGliteBackup(file: string, bytes: Buffer): void {
  const notOurs = (why: string) =>
    new BackupError(`${file} is not a usable Throughgate PGlite backup (${why}). It must be a file written by "throughgate backup" without DATABASE_URL.`);
  if (bytes.subarray(0, 5).toString('latin1') === 'PGDMP') throw notOurs('it is a pg_dump archive: restore it with DATABASE_URL set');
  let tar = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes);
    } catch {
      throw notOurs('its compressed data is damaged or truncated');
    }
  }
  let names: string[];
  try {
    names = tarEntryNames(tar);
  } catch (error) {
    throw notOurs(error instanceof BackupError ? error.message : 'it cannot be read as a tar archive');
  }
  if (!names.some((name) => name === 'PG_VERSION' || name.endsWith('/PG_VERSION'))) throw notOurs('it holds no database directory');
}

async function pgliteBackup(dataDir: string, file: string, force: boolean): Promise<string> {
  if (!hasDatabase(dataDir)) throw new BackupError(`There is no database in DATA_DIR (${dataDir}) to back up`);
  const client = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  try {
    // A checkpoint first, so the snapshot needs no WAL replay; dumpDataDir then copies the files
    // while holding PGlite's query lock, so no statement runs during the copy.
    await client.exec('checkpoint');
    const counts = await keyTableCounts(async <R>(text: string, params?: unknown[]) => (await client.query<R>(text, params)).rows);
    const tarball = await client.dumpDataDir('gzip');
    await writePrivately(file, force, async (temporary) => {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(new Uint8Array(await tarball.arrayBuffer()));
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    return `Wrote ${file} (${await fileSize(file)}, PGlite data directory tarball): ${counts}`;
  } finally {
    await client.close();
  }
}

async function verifiedSummary(database: Database): Promise<{ counts: string; chain: string; broken: boolean }> {
  const counts = await database.withSession((session) => keyTableCounts((text, params) => session.query(text, params)));
  const result = await audit.verify(database.db);
  if (result.firstBroken) {
    const broken = result.firstBroken;
    return {
      counts,
      broken: true,
      chain: `Audit chain broken at event ${broken.id} (organisation ${broken.organisationId ?? 'instance'}): ${broken.problem}. ${result.checked} events before it are intact.`,
    };
  }
  return { counts, broken: false, chain: `Audit chain intact: ${result.checked} events checked` };
}

/**
 * Loads the tarball into a new directory beside DATA_DIR and checks it there;
 * only a restore that loads and verifies is moved into place. Existing data
 * is moved aside, never deleted.
 */
async function pgliteRestore(dataDir: string, file: string, force: boolean): Promise<string[]> {
  const bytes = await readBackup(file);
  checkPGliteBackup(file, bytes);
  const occupied = !(await isEmptyDirectory(dataDir));
  if (occupied && !force) {
    throw new BackupError(
      `DATA_DIR (${dataDir}) already holds data. Restore into an empty directory, or pass --force to move the existing one aside first.`,
    );
  }
  const stamp = timestamp();
  const staging = `${dataDir}.restoring-${stamp}`;
  await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  try {
    try {
      const loader = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([new Uint8Array(bytes)]), extensions: { pg_trgm } });
      await loader.query('select 1');
      await loader.close();
    } catch (error) {
      throw new BackupError(`${file} could not be loaded as a PGlite database: ${(error as Error).message}`);
    }
    const database = await openPGlite(staging);
    let summary: Awaited<ReturnType<typeof verifiedSummary>>;
    try {
      summary = await verifiedSummary(database);
    } finally {
      await database.close();
    }
    if (summary.broken) throw new BackupError(`${summary.chain}\nThe restore was abandoned; DATA_DIR was not changed.`, 1);
    const lines: string[] = [];
    if (occupied) {
      const aside = `${dataDir}.before-restore-${stamp}`;
      await rename(dataDir, aside);
      lines.push(`Moved the existing DATA_DIR aside to ${aside}`);
    } else if (existsSync(dataDir)) {
      await rmdir(dataDir);
    }
    await rename(staging, dataDir);
    lines.push(`Restored ${file} into DATA_DIR (${dataDir}): ${summary.counts}`, summary.chain);
    return lines;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

// ── PostgreSQL ────────────────────────────────────────────────────────────

/** pg_dump or pg_restore: the newest /usr/lib/postgresql/<version>/bin first, then PATH. */
export function findPostgresTool(tool: 'pg_dump' | 'pg_restore'): string {
  const versioned = globSync(`/usr/lib/postgresql/*/bin/${tool}`).sort(
    (a, b) => Number(b.split('/').at(-3)) - Number(a.split('/').at(-3)),
  );
  if (versioned[0]) return versioned[0];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, tool))) return path.join(dir, tool);
  }
  throw new BackupError(`${tool} was not found on PATH or in /usr/lib/postgresql/*/bin. Install the PostgreSQL client tools (for example the postgresql-client package), version at least the server's.`);
}

/** The connection without its password, which goes to the child in PGPASSWORD so it never appears in a process list or a message. */
function connection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv; secret: string | undefined } {
  const url = new URL(databaseUrl);
  const secret = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  const env = { ...process.env };
  if (secret) env.PGPASSWORD = secret;
  return { dbname: url.toString(), env, secret };
}

function runTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  secret: string | undefined,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const redact = (text: string) => (secret ? text.split(secret).join('[redacted]') : text);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) => reject(new BackupError(`Cannot run ${command}: ${error.message}`, 1)));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: redact(stdout), stderr: redact(stderr).trim() }));
  });
}

async function postgresBackup(databaseUrl: string, file: string, force: boolean): Promise<string> {
  const pgDump = findPostgresTool('pg_dump');
  const { dbname, env, secret } = connection(databaseUrl);
  const database = await openPostgres(databaseUrl);
  try {
    // Count inside a repeatable-read transaction whose snapshot pg_dump shares,
    // so the figures printed describe exactly the rows in the file.
    const counts = await database.withSession(async (session) => {
      await session.exec('begin isolation level repeatable read read only');
      try {
        const [{ snapshot }] = await session.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
        const figures = await keyTableCounts((text, params) => session.query(text, params));
        await writePrivately(file, force, async (temporary) => {
          const run = await runTool(pgDump, ['--format=custom', `--snapshot=${snapshot}`, `--file=${temporary}`, `--dbname=${dbname}`], env, secret);
          if (run.code !== 0) throw new BackupError(`pg_dump failed (exit ${run.code}): ${run.stderr}`, 1);
        });
        return figures;
      } finally {
        await session.exec('commit');
      }
    });
    return `Wrote ${file} (${await fileSize(file)}, pg_dump custom format): ${counts}`;
  } finally {
    await database.close();
  }
}

async function postgresRestore(databaseUrl: string, file: string, force: boolean): Promise<string[]> {
  const bytes = await readBackup(file);
  if (bytes.subarray(0, 5).toString('latin1') !== 'PGDMP') {
    throw new BackupError(
      `${file} is not a usable Throughgate PostgreSQL backup (it is not a pg_dump custom-format archive). ` +
        'It must be a file written by "throughgate backup" with DATABASE_URL set.',
    );
  }
  const pgRestore = findPostgresTool('pg_restore');
  const { dbname, env, secret } = connection(databaseUrl);
  // Reading the whole archive into a script thrown away checks every block before the database is touched.
  const check = await runTool(pgRestore, ['--file=/dev/null', file], env, secret);
  if (check.code !== 0) throw new BackupError(`${file} is a damaged pg_dump archive: ${check.stderr}`);

  const database = await openPostgres(databaseUrl);
  try {
    const [{ n }] = await database.withSession((session) =>
      session.query<{ n: number }>(
        `select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
          where s.nspname not in ('pg_catalog', 'information_schema') and s.nspname not like 'pg_toast%'
            and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')`,
      ),
    );
    if (n > 0 && !force) {
      throw new BackupError(
        `The database at DATABASE_URL already holds ${n} tables, views or sequences. Restore into an empty database, or pass --force to replace its contents.`,
      );
    }
    // One transaction, stopping at the first error: a restore that fails part-way changes nothing.
    const run = await runTool(
      pgRestore,
      ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, file],
      env,
      secret,
    );
    if (run.code !== 0) throw new BackupError(`pg_restore failed (exit ${run.code}); the database was not changed: ${run.stderr}`, 1);
    const summary = await verifiedSummary(database);
    const lines = [`Restored ${file} into the database at DATABASE_URL: ${summary.counts}`];
    if (summary.broken) throw new BackupError(`${lines[0]}\n${summary.chain}\nDo not use this database until the break is explained.`, 1);
    return [...lines, summary.chain];
  } finally {
    await database.close();
  }
}

// ── Commands ──────────────────────────────────────────────────────────────

function parse(command: 'backup' | 'restore', args: string[]): { file: string; force: boolean } {
  const parsed = (() => {
    try {
      return parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
    } catch (error) {
      throw new BackupError(`${(error as Error).message}\n\nUsage:\n${BACKUP_USAGE}`);
    }
  })();
  if (parsed.positionals.length !== 1) throw new BackupError(`Give exactly one file to ${command}\n\nUsage:\n${BACKUP_USAGE}`);
  return { file: path.resolve(parsed.positionals[0]), force: parsed.values.force ?? false };
}

async function report(fn: () => Promise<string[]>): Promise<number> {
  try {
    for (const line of await fn()) console.log(line);
    console.error(PERSONAL_DATA_WARNING);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(error.message);
      return error.exitCode;
    }
    throw error;
  }
}

/** `throughgate backup FILE [--force]`: returns the exit code. */
export function runBackupCommand(args: string[]): Promise<number> {
  return report(async () => {
    const { file, force } = parse('backup', args);
    const config = loadConfig();
    return [config.databaseUrl ? await postgresBackup(config.databaseUrl, file, force) : await pgliteBackup(config.dataDir, file, force)];
  });
}

/** `throughgate restore FILE [--force]`: returns the exit code. */
export function runRestoreCommand(args: string[]): Promise<number> {
  return report(async () => {
    const { file, force } = parse('restore', args);
    const config = loadConfig();
    return config.databaseUrl ? postgresRestore(config.databaseUrl, file, force) : pgliteRestore(config.dataDir, file, force);
  });
}
