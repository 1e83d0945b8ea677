import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { databaseLabel, freshDatabase } from '../support/database.ts';

test(`every connection the app opens has JIT compilation off (${databaseLabel()})`, async () => {
  const { database, drop } = await freshDatabase();
  try {
    // Ten at once, so the pool opens (on PostgreSQL) ten connections, each of which must have the setting.
    const settings = await Promise.all(
      Array.from({ length: 10 }, () => sql<{ jit: string; pid: number }>`select current_setting('jit') as jit, pg_backend_pid() as pid, pg_sleep(0.05)`.execute(database.db)),
    );
    for (const result of settings) assert.equal(result.rows[0].jit, 'off');
  } finally {
    await database.close();
    await drop();
  }
});
