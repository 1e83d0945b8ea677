import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openPGlite, openPostgres } from '../../src/platform/db/database.ts';

/**
 * A fresh, empty database for one test app. With TEST_DATABASE_URL set (as
 * test/run.ts does for the PostgreSQL pass) each call creates its own
 * database on that server and drops it on close; otherwise it is an
 * in-memory PGlite.
 */
export async function freshDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await openPGlite(undefined);
    return { database, drop: async () => {} };
  }
  const name = `tg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  return {
    database,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export function databaseLabel(): string {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}
