import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openPostgres } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { type Inspection, inspect, seed, snapshot, withDatabase } from '../support/backup-inspect.ts';
import { type CliRun, throughgate as runThroughgate } from '../support/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const BASE_ENV = { NODE_ENV: 'test', SEED_DEMO_DATA: 'false', SESSION_SECRET: 'cli-test-secret-0123456789abcdefghijklmn', LOG_LEVEL: 'silent' };
/** The real command line with the settings every run here needs (no DATABASE_URL unless passed). */
const throughgate = (args: string[], env: Record<string, string>) => runThroughgate(args, { ...BASE_ENV, ...env });

type Run = CliRun;


/** Seeds, migrates or just reads a PGlite data directory in a process of its own (see test/support/backup-inspect.ts). */
function pglite(command: 'seed' | 'migrate' | 'inspect', dataDir: string): Promise<Inspection> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['test/support/backup-inspect.ts', command, dataDir], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`backup-inspect ${command} exited ${code}: ${stderr}`))));
  });
}

function assertCleanFailure(run: Run, code: number, message: RegExp): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

/** A digest of every file under a directory, to show a refused restore left it byte-for-byte alone. */
async function directoryDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const file = path.join(dir, name);
    if ((await stat(file)).isFile()) hash.update(name).update('\0').update(await readFile(file));
  }
  return hash.digest('hex');
}

function assertSeeded(before: Record<string, string[]>): void {
  for (const table of ['organisation', 'app_user', 'person', 'episode', 'contact', 'audit_event', 'schema_migration']) {
    assert.ok((before[table]?.length ?? 0) > 0, `the seed put rows in ${table}`);
  }
}

describe('throughgate backup and restore with PGlite (command line)', { skip: process.env.TEST_DATABASE_URL ? 'runs once, in the PGlite pass' : false }, () => {
  let dir: string;
  let source: string;
  let file: string;
  let expected: Record<string, string[]>;
  let expectedHashes: Inspection['hashes'];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tg-backup-pglite-'));
    source = path.join(dir, 'source');
    file = path.join(dir, 'throughgate.backup');
    ({ rows: expected, hashes: expectedHashes } = await pglite('seed', source));
    assertSeeded(expected);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a round trip through an empty data directory restores every row and the audit chain', { timeout: 120_000 }, async () => {
    const backup = await throughgate(['backup', file], { DATA_DIR: source });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, new RegExp(`Wrote ${file.replaceAll('.', '\\.')} \\(.+, PGlite data directory tarball\\): organisation 4, app_user 9, person 6, episode 6, contact 18, audit_event ${expected.audit_event.length}`));
    assert.match(backup.stderr, /personal data/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual((await pglite('inspect', source)).rows, expected, 'backing up changes nothing');

    const again = await throughgate(['backup', file], { DATA_DIR: source });
    assertCleanFailure(again, 2, /already exists; choose another name or pass --force/);

    const target = path.join(dir, 'target');
    const restore = await throughgate(['restore', file], { DATA_DIR: target });
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /Restored .+ into DATA_DIR .+: organisation 4, app_user 9, person 6, episode 6, contact 18, audit_event \d+/);
    assert.match(restore.stdout, new RegExp(`Audit chain intact: ${expected.audit_event.length} events checked`));

    const restored = await pglite('inspect', target);
    assert.deepEqual(restored.rows, expected);
    assert.deepEqual(restored.hashes, expectedHashes);
    assert.deepEqual(restored.verify, { checked: expected.audit_event.length });
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('.restoring-')), [], 'no staging directory is left behind');
  });

  test('restoring into a data directory that holds data is refused without --force and changes nothing', { timeout: 120_000 }, async () => {
    const occupied = path.join(dir, 'occupied');
    const before = (await pglite('migrate', occupied)).rows;
    const digest = await directoryDigest(occupied);

    const refused = await throughgate(['restore', file], { DATA_DIR: occupied });
    assertCleanFailure(refused, 2, /already holds data\. Restore into an empty directory, or pass --force/);
    assert.equal(await directoryDigest(occupied), digest, 'not one byte of DATA_DIR changed');

    const forced = await throughgate(['restore', file, '--force'], { DATA_DIR: occupied });
    assert.equal(forced.code, 0, forced.stderr);
    const aside = /Moved the existing DATA_DIR aside to (\S+)/.exec(forced.stdout)?.[1];
    assert.ok(aside && aside.startsWith(`${occupied}.before-restore-`), forced.stdout);
    assert.deepEqual((await pglite('inspect', aside)).rows, before, 'the old data is kept, not deleted');
    assert.deepEqual((await pglite('inspect', occupied)).rows, expected);
  });

  test('a missing, corrupt, truncated or wrong-kind backup file is a clear error with exit 2', { timeout: 120_000 }, async () => {
    const target = path.join(dir, 'never-created');
    const whole = await readFile(file);
    const corrupt = path.join(dir, 'corrupt.backup');
    const truncated = path.join(dir, 'truncated.backup');
    const pgDump = path.join(dir, 'pg-dump.backup');
    await writeFile(corrupt, randomBytes(4096));
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await writeFile(pgDump, Buffer.concat([Buffer.from('PGDMP'), randomBytes(100)]));
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'no-such.backup'), /There is no backup file at .*no-such\.backup/],
      [corrupt, /is not a usable Throughgate PGlite backup \(not a tar archive\)/],
      [truncated, /is not a usable Throughgate PGlite backup \(its compressed data is damaged or truncated\)/],
      [pgDump, /it is a pg_dump archive: restore it with DATABASE_URL set/],
    ];
    for (const [backupFile, message] of cases) {
      const run = await throughgate(['restore', backupFile], { DATA_DIR: target });
      assertCleanFailure(run, 2, message);
      assert.equal(existsSync(target), false, 'the data directory is not created');
    }
    assertCleanFailure(await throughgate(['restore'], { DATA_DIR: target }), 2, /Give exactly one file to restore/);
    assertCleanFailure(await throughgate(['backup', path.join(dir, 'x')], { DATA_DIR: target }), 2, /There is no database in DATA_DIR/);
  });
});

describe('throughgate backup and restore with PostgreSQL (command line)', { skip: process.env.TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (set by the PostgreSQL stage of npm test)' }, () => {
  const serverUrl = process.env.TEST_DATABASE_URL ?? '';
  const created: string[] = [];
  let dir: string;
  let file: string;
  let sourceUrl: string;
  let expected: Record<string, string[]>;
  let expectedHashes: Inspection['hashes'];

  async function admin(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  async function createDatabase(): Promise<string> {
    const name = `tg_backup_${randomBytes(6).toString('hex')}`;
    await admin(`create database ${name}`);
    created.push(name);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tg-backup-postgres-'));
    file = path.join(dir, 'throughgate.dump');
    sourceUrl = await createDatabase();
    ({ rows: expected, hashes: expectedHashes } = await withDatabase(
      () => openPostgres(sourceUrl),
      async (database) => {
        await seed(database);
        return inspect(database);
      },
    ));
    assertSeeded(expected);
  });
  after(async () => {
    for (const name of created) await admin(`drop database if exists ${name} with (force)`);
    await rm(dir, { recursive: true, force: true });
  });

  test('a round trip through a new, empty database restores every row and the audit chain', { timeout: 120_000 }, async () => {
    const backup = await throughgate(['backup', file], { DATABASE_URL: sourceUrl });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, new RegExp(`pg_dump custom format\\): organisation 4, app_user 9, person 6, episode 6, contact 18, audit_event ${expected.audit_event.length}`));
    assert.match(backup.stderr, /personal data/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readFile(file)).subarray(0, 5).toString(), 'PGDMP');

    const targetUrl = await createDatabase();
    const restore = await throughgate(['restore', file], { DATABASE_URL: targetUrl });
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, new RegExp(`Audit chain intact: ${expected.audit_event.length} events checked`));
    const restored = await withDatabase(() => openPostgres(targetUrl), inspect);
    assert.deepEqual(restored.rows, expected);
    assert.deepEqual(restored.hashes, expectedHashes);
    assert.deepEqual(restored.verify, { checked: expected.audit_event.length });

    // A non-empty target is refused and left as it was; --force replaces its contents.
    const occupiedUrl = await createDatabase();
    await withDatabase(() => openPostgres(occupiedUrl), (database) => migrate(database));
    const before = await withDatabase(() => openPostgres(occupiedUrl), snapshot);
    const refused = await throughgate(['restore', file], { DATABASE_URL: occupiedUrl });
    assertCleanFailure(refused, 2, /already holds \d+ tables, views or sequences\. Restore into an empty database, or pass --force/);
    assert.deepEqual(await withDatabase(() => openPostgres(occupiedUrl), snapshot), before);
    const forced = await throughgate(['restore', file, '--force'], { DATABASE_URL: occupiedUrl });
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(await withDatabase(() => openPostgres(occupiedUrl), snapshot), expected);
  });

  test('a missing, corrupt, truncated or wrong-kind backup file is a clear error with exit 2', { timeout: 120_000 }, async () => {
    const targetUrl = await createDatabase();
    const whole = await readFile(file);
    const corrupt = path.join(dir, 'corrupt.dump');
    const truncated = path.join(dir, 'truncated.dump');
    await writeFile(corrupt, randomBytes(4096));
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'no-such.dump'), /There is no backup file at .*no-such\.dump/],
      [corrupt, /is not a usable Throughgate PostgreSQL backup \(it is not a pg_dump custom-format archive\)/],
      [truncated, /truncated\.dump is a damaged pg_dump archive/],
    ];
    for (const [backupFile, message] of cases) {
      const run = await throughgate(['restore', backupFile], { DATABASE_URL: targetUrl });
      assertCleanFailure(run, 2, message);
    }
    const tables = await withDatabase(() => openPostgres(targetUrl), snapshot);
    assert.deepEqual(tables, { '(sequences)': [] }, 'the target database is still empty');
  });
});
