import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Database, openPGlite } from './database.ts';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from './migrate.ts';

async function tempDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'throughgate-migrations-'));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

async function rows<R>(database: Database, text: string, params: unknown[] = []): Promise<R[]> {
  return database.withSession((session) => session.query<R>(text, params));
}

async function tableExists(database: Database, name: string): Promise<boolean> {
  const found = await rows<{ name: string | null }>(database, 'select to_regclass($1)::text as name', [name]);
  return found[0].name !== null;
}

describe('migrate', () => {
  const dirs: string[] = [];
  const databases: Database[] = [];

  async function fresh(): Promise<Database> {
    const database = await openPGlite(undefined);
    databases.push(database);
    return database;
  }

  async function dir(files: Record<string, string>): Promise<string> {
    const made = await tempDir(files);
    dirs.push(made);
    return made;
  }

  after(async () => {
    for (const database of databases) await database.close();
    for (const made of dirs) await rm(made, { recursive: true, force: true });
  });

  describe('the real migrations on a fresh database', () => {
    let database: Database;
    let expected: string[];
    let first: string[];

    before(async () => {
      database = await fresh();
      expected = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
      first = await migrate(database);
    });

    test('applies every file once, in order', async () => {
      assert.ok(expected.length >= 1);
      assert.deepEqual(first, expected);
      const applied = await rows<{ version: number; name: string; checksum: string }>(
        database,
        'select version, name, checksum from schema_migration order by version',
      );
      assert.deepEqual(
        applied.map((row) => row.name),
        expected,
      );
      assert.deepEqual(
        applied.map((row) => row.version),
        expected.map((_, index) => index + 1),
      );
      const files = await readMigrations();
      assert.deepEqual(
        applied.map((row) => row.checksum),
        files.map((file) => file.checksum),
      );
      assert.equal(await tableExists(database, 'app_user'), true);
      assert.equal(await tableExists(database, 'audit_event'), true);
    });

    test('a second run applies nothing and adds no rows', async () => {
      assert.deepEqual(await migrate(database), []);
      const count = await rows<{ n: number }>(database, 'select count(*)::int as n from schema_migration');
      assert.equal(count[0].n, expected.length);
    });
  });

  test('pending files are applied on a later run, and only they', async () => {
    const database = await fresh();
    const migrations = await dir({ '0001_one.sql': 'create table one (id int);' });
    assert.deepEqual(await migrate(database, migrations), ['0001_one.sql']);
    await writeFile(path.join(migrations, '0002_two.sql'), 'create table two (id int);');
    assert.deepEqual(await migrate(database, migrations), ['0002_two.sql']);
    assert.equal(await tableExists(database, 'two'), true);
  });

  test('a file changed after it was applied is an error', async () => {
    const database = await fresh();
    const migrations = await dir({ '0001_one.sql': 'create table one (id int);' });
    await migrate(database, migrations);
    await writeFile(path.join(migrations, '0001_one.sql'), 'create table one (id int, name text);');
    await assert.rejects(
      () => migrate(database, migrations),
      (error: unknown) => error instanceof MigrationError && /0001_one\.sql has changed/.test(error.message),
    );
    const columns = await rows<{ column_name: string }>(
      database,
      "select column_name from information_schema.columns where table_name = 'one'",
    );
    assert.deepEqual(
      columns.map((c) => c.column_name),
      ['id'],
    );
  });

  test('a failing migration rolls back entirely: no partial table, no schema_migration row', async () => {
    const database = await fresh();
    const migrations = await dir({
      '0001_good.sql': 'create table good (id int);',
      '0002_bad.sql': 'create table partial (id int);\ninsert into partial values (1);\nselect * from no_such_table;',
      '0003_after.sql': 'create table after_bad (id int);',
    });
    await assert.rejects(
      () => migrate(database, migrations),
      (error: unknown) => error instanceof MigrationError && /0002_bad\.sql failed/.test(error.message) && /no_such_table/.test(error.message),
    );
    assert.equal(await tableExists(database, 'good'), true, 'the earlier migration stays applied');
    assert.equal(await tableExists(database, 'partial'), false);
    assert.equal(await tableExists(database, 'after_bad'), false, 'later migrations do not run');
    const applied = await rows<{ version: number }>(database, 'select version from schema_migration order by version');
    assert.deepEqual(
      applied.map((row) => row.version),
      [1],
    );

    // The lock was released and the connection is usable: fixing the file lets the run finish.
    await writeFile(path.join(migrations, '0002_bad.sql'), 'create table partial (id int);');
    assert.deepEqual(await migrate(database, migrations), ['0002_bad.sql', '0003_after.sql']);
  });

  test('badly named files are rejected before anything runs', async () => {
    for (const name of ['1_init.sql', '0001-init.sql', '0001_Init.sql', '00001_init.sql', '0001_.sql']) {
      const migrations = await dir({ [name]: 'create table should_not_exist (id int);' });
      await assert.rejects(
        () => readMigrations(migrations),
        (error: unknown) => error instanceof MigrationError && error.message.includes(name),
        name,
      );
    }
    const database = await fresh();
    const migrations = await dir({ '0001_ok.sql': 'create table ok (id int);', '0002_Bad.sql': 'create table bad (id int);' });
    await assert.rejects(() => migrate(database, migrations), MigrationError);
    assert.equal(await tableExists(database, 'ok'), false, 'nothing applied when one name is bad');
  });

  test('gaps and duplicate numbers are rejected', async () => {
    const gap = await dir({ '0001_one.sql': 'select 1;', '0003_three.sql': 'select 1;' });
    await assert.rejects(() => readMigrations(gap), (error: unknown) => error instanceof MigrationError && /no gaps: 0003_three\.sql/.test(error.message));
    const notFromOne = await dir({ '0002_two.sql': 'select 1;' });
    await assert.rejects(() => readMigrations(notFromOne), MigrationError);
    const duplicate = await dir({ '0001_one.sql': 'select 1;', '0001_again.sql': 'select 1;' });
    await assert.rejects(() => readMigrations(duplicate), MigrationError);
  });

  test('files that are not .sql are ignored', async () => {
    const migrations = await dir({ '0001_one.sql': 'select 1;', 'README.md': '# notes', '0002_draft.sql.bak': 'x' });
    const files = await readMigrations(migrations);
    assert.deepEqual(
      files.map((file) => file.name),
      ['0001_one.sql'],
    );
  });
});
