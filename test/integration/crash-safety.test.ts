/**
 * Crash safety: a real server process under a steady write load through the
 * API (new people, referrals for them, and contacts) is killed with SIGKILL
 * at random moments and restarted, 20 times, on the database this pass runs
 * on (PGlite data directory, or PostgreSQL when TEST_DATABASE_URL is set).
 * Every write the server acknowledged with a 2xx must be there afterwards,
 * and the database must pass its integrity checks: every table readable in
 * full, every index consistent with its table (PostgreSQL: amcheck), no
 * orphaned rows, and an unbroken audit chain.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createToken } from '../../src/modules/api-tokens/service.ts';
import * as audit from '../../src/platform/audit/service.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { type Database, openPGlite, openPostgres } from '../../src/platform/db/database.ts';
import { DEMO_ORGANISATION, seedDemoData } from '../../src/platform/demo-data.ts';
import { createRuntime } from '../../src/platform/runtime.ts';
import { freePort } from '../support/free-port.ts';
import { databaseLabel } from '../support/database.ts';
import { directPrincipal } from '../../src/platform/http/context.ts';

const CYCLES = 20;
const WRITERS = 4;
const SECRET = 'crash-test-secret-that-is-long-enough-0123456789';

interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

async function createTarget(): Promise<Target> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tg-crash-'));
    return { env: { DATA_DIR: dataDir }, open: () => openPGlite(dataDir), dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `tg_crash_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    open: () => openPostgres(url.toString()),
    dispose: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** Migrates the target, seeds the demo organisation and returns a practitioner API token and one episode to write contacts to. */
async function prepare(target: Target): Promise<{ token: string; episodeId: string }> {
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: SECRET, ...target.env });
  const runtime = await createRuntime(config, { database: await target.open() });
  try {
    const db = runtime.deps.db;
    await seedDemoData(db);
    const organisation = await db.selectFrom('organisation').select('id').where('name', '=', DEMO_ORGANISATION).executeTakeFirstOrThrow();
    const admin = await db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where('organisation_id', '=', organisation.id)
      .where('role', '=', 'organisation_admin')
      .executeTakeFirstOrThrow();
    const { token } = await createToken(
      db,
      directPrincipal({ id: organisation.id, name: DEMO_ORGANISATION }, 'organisation_admin', { id: admin.id, displayName: 'Crash test admin', email: admin.email }),
      { name: 'crash test', role: 'practitioner' },
    );
    const person = await db
      .insertInto('person')
      .values({ organisation_id: organisation.id, given_name: 'Crash', family_name: 'Tester', date_of_birth: '1990-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await db
      .insertInto('episode')
      .values({ organisation_id: organisation.id, person_id: person.id, referred_on: '2026-01-05' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('referral')
      .values({ episode_id: episode.id, organisation_id: organisation.id, received_on: '2026-01-05', status: 'accepted', source_code: 'probation' })
      .execute();
    return { token, episodeId: episode.id };
  } finally {
    await runtime.close();
  }
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/throughgate.ts', 'serve'], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'test',
      SESSION_SECRET: SECRET,
      PORT: String(port),
      SEED_DEMO_DATA: 'false',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return { child, baseUrl };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start within a minute: ${stderr}`);
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

interface Acknowledged {
  people: string[];
  episodes: string[];
  contacts: string[];
  attempted: number;
}

/** One writer: person → referral → contact, over and over, until the server dies. Only 2xx answers are recorded. */
async function write(baseUrl: string, token: string, episodeId: string, acknowledged: Acknowledged, stop: { now: boolean }): Promise<void> {
  const post = async (url: string, body: unknown) => {
    acknowledged.attempted += 1;
    const response = await fetch(`${baseUrl}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { id?: string; episodeId?: string; contact?: { id: string } };
    if (response.status >= 300) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  let n = 0;
  while (!stop.now) {
    n += 1;
    try {
      const person = await post('/api/v1/people', { givenName: `Load${n}`, familyName: randomBytes(4).toString('hex'), dateOfBirth: '1988-03-04' });
      acknowledged.people.push(person.id!);
      const referral = await post('/api/v1/referrals', { personId: person.id, receivedOn: '2026-01-06', sourceCode: 'probation' });
      acknowledged.episodes.push(referral.episodeId!);
      const contact = await post(`/api/v1/episodes/${episodeId}/contacts`, {
        occurredAt: new Date(Date.UTC(2026, 0, 10, 9, n % 60)).toISOString(),
        type: 'face_to_face',
        setting: 'community',
        with: 'person',
      });
      acknowledged.contacts.push(contact.contact!.id);
    } catch (error) {
      // A refused connection or a reset is the kill: the write was never acknowledged. Anything else is a bug.
      if (error instanceof Error && error.message.includes('answered')) throw error;
      return;
    }
  }
}

const acknowledgedCount = (acknowledged: Acknowledged) => acknowledged.people.length + acknowledged.episodes.length + acknowledged.contacts.length;

/** Waits until a write is acknowledged after `count` had been, or 10 s, whichever is first. */
async function firstAcknowledgedSince(acknowledged: Acknowledged, count: number): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (acknowledgedCount(acknowledged) === count && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 5));
}

let target: Target;
before(async () => {
  target = await createTarget();
});
after(async () => {
  await target?.dispose();
});

test(`${CYCLES} SIGKILL cycles under write load lose no acknowledged write (${databaseLabel()})`, { timeout: 15 * 60_000 }, async (t) => {
  const { token, episodeId } = await prepare(target);
  const acknowledged: Acknowledged = { people: [], episodes: [], contacts: [], attempted: 0 };

  for (let cycle = 0; cycle < CYCLES; cycle += 1) {
    const { child, baseUrl } = await startServer(target.env);
    const stop = { now: false };
    const writers = Array.from({ length: WRITERS }, () => write(baseUrl, token, episodeId, acknowledged, stop));
    // The random moment is counted from the cycle's first acknowledged write, so a slow first request (a route's
    // schema compiled on first use, a busy machine) cannot leave a cycle with no writes in flight at the kill.
    await firstAcknowledgedSince(acknowledged, acknowledgedCount(acknowledged));
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 600)));
    await killed(child);
    stop.now = true;
    await Promise.all(writers);
  }

  const database = await target.open();
  try {
    const db = database.db;
    const found = async (table: 'person' | 'episode' | 'contact', ids: string[]) => {
      if (ids.length === 0) return 0;
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('id', 'in', ids).executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const writes = acknowledgedCount(acknowledged);
    const present =
      (await found('person', acknowledged.people)) + (await found('episode', acknowledged.episodes)) + (await found('contact', acknowledged.contacts));
    t.diagnostic(
      `people ${await found('person', acknowledged.people)}/${acknowledged.people.length}, referrals ${await found('episode', acknowledged.episodes)}/${acknowledged.episodes.length}, contacts ${await found('contact', acknowledged.contacts)}/${acknowledged.contacts.length} found/acknowledged`,
    );
    t.diagnostic(`writes attempted ${acknowledged.attempted}, acknowledged ${writes}, found ${present}, lost ${writes - present}`);
    assert.ok(writes >= CYCLES, `the load should have had writes acknowledged in most cycles (got ${writes})`);
    assert.equal(present, writes, 'every acknowledged write survives the kills');

    // Integrity: every table reads in full, referrals and contacts have their parents, and the audit chain is unbroken.
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    for (const { table_name } of tables.rows) await sql`select count(*) from ${sql.table(table_name)}`.execute(db);
    const orphans = await sql<{ n: string }>`
      select (select count(*) from referral r left join episode e on e.id = r.episode_id where e.id is null)
           + (select count(*) from episode e left join referral r on r.episode_id = e.id where r.episode_id is null)
           + (select count(*) from contact c left join episode e on e.id = c.episode_id where e.id is null) as n`.execute(db);
    assert.equal(Number(orphans.rows[0].n), 0, 'no referral without its episode, episode without its referral, or contact without its episode');
    const chain = await audit.verify(db);
    assert.equal(chain.firstBroken, undefined, `audit chain broken: ${JSON.stringify(chain.firstBroken)}`);
    assert.ok(chain.checked >= writes, 'every acknowledged write has its audit event');
    if (process.env.TEST_DATABASE_URL) {
      await sql`create extension if not exists amcheck`.execute(db);
      const indexes = await sql<{ name: string }>`
        select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
        join pg_namespace n on n.oid = c.relnamespace where a.amname = 'btree' and n.nspname = current_schema()`.execute(db);
      for (const index of indexes.rows) await sql`select bt_index_check(${index.name}::regclass, true)`.execute(db);
      t.diagnostic(`amcheck: ${indexes.rows.length} B-tree indexes consistent with their tables`);
    }
  } finally {
    await database.close();
  }
});
