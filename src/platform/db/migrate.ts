import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations');

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 7_220_2026;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
    if (!match) throw new MigrationError(`Migration file name not understood: ${name}`);
    const sql = await readFile(path.join(dir, name), 'utf8');
    files.push({
      version: Number(match[1]),
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  files.forEach((file, index) => {
    if (file.version !== index + 1) {
      throw new MigrationError(`Migrations must be numbered 0001 upwards with no gaps: ${file.name}`);
    }
  });
  return files;
}

/**
 * Applies pending migrations in order, each in its own transaction, under a
 * session-level advisory lock so that two instances starting together do not
 * race. An applied migration whose file has since changed is an error: history
 * is never rewritten.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  return database.withSession(async (session) => {
    await session.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(`
        create table if not exists schema_migration (
          version integer primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`);
      const applied = await session.query<{ version: number; name: string; checksum: string }>(
        'select version, name, checksum from schema_migration order by version',
      );
      const byVersion = new Map(applied.map((row) => [row.version, row]));
      const ran: string[] = [];
      for (const file of files) {
        const previous = byVersion.get(file.version);
        if (previous) {
          if (previous.checksum !== file.checksum) {
            throw new MigrationError(
              `Migration ${file.name} has changed since it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        await session.exec('begin');
        try {
          await session.exec(file.sql);
          await session.query(
            'insert into schema_migration (version, name, checksum) values ($1, $2, $3)',
            [file.version, file.name, file.checksum],
          );
          await session.exec('commit');
        } catch (error) {
          await session.exec('rollback');
          throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
        }
        ran.push(file.name);
      }
      return ran;
    } finally {
      await session.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
