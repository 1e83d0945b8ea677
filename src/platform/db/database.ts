import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from '../config.ts';
import { Mutex, PGliteDialect } from './pglite-dialect.ts';
import type { Tables } from './tables.ts';

export type Db = Kysely<Tables>;

/** A session that can run multi-statement scripts, used by migrations and backups. */
export interface ScriptSession {
  exec(script: string): Promise<void>;
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Holds one connection for the whole callback, so session-level locks and scripts work. */
  withSession<T>(fn: (session: ScriptSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Dates stay 'YYYY-MM-DD' strings (a release date has no time zone), and
// 64-bit counts become numbers: no count we keep approaches 2^53.
const DATE_OID = 1082;
const INT8_OID = 20;
const keepDateString = (value: string) => value;
const int8ToNumber = (value: string) => Number(value);

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // JIT compilation cost more than it saved on every statement measured: 0.2–3 s on the report's and the
    // release board's at 100,000 and 1,000,000 people (docs/benchmarks.md), and the app's other statements are
    // short. PGlite is given the same setting, so both databases plan alike.
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID) return keepDateString;
        if (oid === INT8_OID) return int8ToNumber;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose server connection drops (a restart, a failover, a dropped test database) makes the
  // pool emit 'error'; unheard, that would end the process. The pool replaces the client on next use.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection lost: ${error.message}`);
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          async exec(script) {
            await client.query(script);
          },
          async query<R>(text: string, params: unknown[] = []) {
            const result = await client.query(text, params);
            return result.rows as R[];
          },
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

export interface PGliteOptions {
  /** Postgres's shared_buffers inside PGlite, in MiB: resident from start-up, so it sets the floor of the process's memory. */
  sharedBuffersMb?: number;
}

/** dataDir undefined gives an in-memory database, used by tests. */
export async function openPGlite(dataDir: string | undefined, options: PGliteOptions = {}): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const sharedBuffersMb = options.sharedBuffersMb ?? DEFAULT_PGLITE_SHARED_BUFFERS_MB;
  const client = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    parsers: { [DATE_OID]: keepDateString, [INT8_OID]: int8ToNumber },
    // PGlite's own start parameters plus ours: it replaces its defaults with whatever is given here.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', 'jit=off'],
  });
  const mutex = new Mutex();
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(client, mutex) });
  return {
    kind: 'pglite',
    db,
    async withSession(fn) {
      const release = await mutex.lock();
      try {
        return await fn({
          async exec(script) {
            await client.exec(script);
          },
          async query<R>(text: string, params: unknown[] = []) {
            return (await client.query<R>(text, params)).rows;
          },
        });
      } finally {
        release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Runs fn in a transaction, joining the caller's when there is one, so services compose into one atomic change. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  pgliteSharedBuffersMb?: number;
}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPGlite(options.dataDir, { sharedBuffersMb: options.pgliteSharedBuffersMb });
}
