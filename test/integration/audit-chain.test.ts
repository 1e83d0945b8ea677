import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as organisations from '../../src/modules/organisations/service.ts';
import * as users from '../../src/modules/users/service.ts';
import * as audit from '../../src/platform/audit/service.ts';
import { type Db, openPGlite } from '../../src/platform/db/database.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

/** Runs a statement with the append-only trigger off, as an attacker with table-owner rights could. */
async function withTriggerOff(db: Db, change: (db: Db) => Promise<unknown>): Promise<void> {
  await sql`alter table audit_event disable trigger audit_event_append_only`.execute(db);
  try {
    await change(db);
  } finally {
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(db);
  }
}

async function chain(db: Db, organisationId: string) {
  return db.selectFrom('audit_event').select(['id', 'detail']).where('organisation_id', '=', organisationId).orderBy('id').execute();
}

async function countBefore(db: Db, id: number): Promise<number> {
  return (await db.selectFrom('audit_event').select('id').where('id', '<', id).execute()).length;
}

describe(`audit chain (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Chain Org')).id;
    const otherId = (await t.organisation('Chain Neighbour')).id;
    // Interleave two organisations' chains, through real audited actions.
    for (const org of [organisationId, otherId, organisationId, otherId]) {
      const user = await t.user(org, 'practitioner');
      await t.browser().submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
      await t.browser().submit('/sign-in', '/sign-in', { email: user.email, password: 'not the password' });
    }
  });
  after(() => t.close());

  test('the trigger refuses UPDATE and DELETE on audit_event', async () => {
    const [first] = await chain(t.deps.db, organisationId);
    await assert.rejects(
      sql`update audit_event set detail = '{"forged":true}' where id = ${first.id}`.execute(t.deps.db),
      /audit_event is append-only/,
    );
    await assert.rejects(sql`delete from audit_event where id = ${first.id}`.execute(t.deps.db), /audit_event is append-only/);
    const [still] = await chain(t.deps.db, organisationId);
    assert.deepEqual(still, first);
  });

  test('after audited actions every event is intact', async () => {
    const total = (await t.deps.db.selectFrom('audit_event').select('id').execute()).length;
    assert.ok(total >= 16, `expected a real trail, found ${total} events`);
    const result = await audit.verify(t.deps.db);
    assert.deepEqual(result, { checked: total });
    assert.deepEqual(await audit.verify(t.deps.db, 3), { checked: total }, 'the same across page boundaries');
  });

  test('recordMany chains a batch across two organisations in the order given, each after its chain\'s last event', async () => {
    const db = t.deps.db;
    const otherId = (await t.organisation('Chain Batch Neighbour')).id;
    const lastBefore = (await chain(db, organisationId)).at(-1)?.id ?? 0;
    const entries = [organisationId, otherId, organisationId, organisationId, otherId].map((org, index) => ({
      organisationId: org,
      actor: audit.SYSTEM_ACTOR,
      action: 'test.batch',
      detail: { index },
    }));
    await audit.recordMany(db, entries);
    const mine = (await chain(db, organisationId)).filter((row) => row.id > lastBefore);
    assert.deepEqual(mine.map((row) => row.detail), [{ index: 0 }, { index: 2 }, { index: 3 }]);
    assert.deepEqual(await audit.verify(db), { checked: (await db.selectFrom('audit_event').select('id').execute()).length });
  });

  test('an altered detail makes that event the first broken link', async () => {
    const events = await chain(t.deps.db, organisationId);
    const target = events[Math.floor(events.length / 2)];
    await withTriggerOff(t.deps.db, (db) =>
      sql`update audit_event set detail = ${JSON.stringify({ ...target.detail, ip: '10.9.9.9' })}::jsonb where id = ${target.id}`.execute(db),
    );
    const result = await audit.verify(t.deps.db);
    assert.equal(result.firstBroken?.id, target.id);
    assert.equal(result.firstBroken?.organisationId, organisationId);
    assert.match(result.firstBroken?.problem ?? '', /altered/);
    assert.equal(result.checked, await countBefore(t.deps.db, target.id));

    // Putting the original back makes the chain whole again: the hash covers content, not the act of writing.
    await withTriggerOff(t.deps.db, (db) =>
      sql`update audit_event set detail = ${JSON.stringify(target.detail)}::jsonb where id = ${target.id}`.execute(db),
    );
    assert.equal((await audit.verify(t.deps.db)).firstBroken, undefined);
  });

  test('deleting an event from the middle of a chain breaks the link after it', async () => {
    const events = await chain(t.deps.db, organisationId);
    const removed = events[2];
    const next = events[3];
    await withTriggerOff(t.deps.db, (db) => sql`delete from audit_event where id = ${removed.id}`.execute(db));
    const result = await audit.verify(t.deps.db);
    assert.equal(result.firstBroken?.id, next.id);
    assert.match(result.firstBroken?.problem ?? '', /removed or reordered/);
    assert.equal(result.checked, await countBefore(t.deps.db, next.id));
  });
});

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

describe('throughgate audit verify (command line)', { skip: process.env.TEST_DATABASE_URL ? 'runs once, in the PGlite pass' : false }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tg-audit-cli-'));
    env = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test', SEED_DEMO_DATA: 'false', SESSION_SECRET: 'cli-test-secret-0123456789abcdefghijklmn' };
    for (const name of ['DATABASE_URL', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete env[name];
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(NODE, ['bin/throughgate.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
  }

  /** Opens the same data directory in this process; it must be closed before the CLI opens it. */
  async function withDataDir<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const database = await openPGlite(dataDir);
    try {
      return await fn(database.db);
    } finally {
      await database.close();
    }
  }

  test('exits 0 for an intact chain, and 1 naming the first tampered event', { timeout: 120_000 }, async () => {
    const migrated = await cli('migrate');
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /Applied 0001_platform/);

    const { total, targetId } = await withDataDir(async (db) => {
      const actor = audit.SYSTEM_ACTOR;
      const organisation = await organisations.createOrganisation(db, actor, { name: 'CLI Org', kind: 'provider' });
      await organisations.createTeam(db, actor, organisation.id, 'CLI team');
      await users.createUserWithPassword(db, actor, {
        organisationId: organisation.id,
        email: 'cli-user@example.org',
        displayName: 'CLI User',
        role: 'practitioner',
        password: TEST_PASSWORD,
      });
      const rows = await chain(db, organisation.id);
      return { total: rows.length, targetId: rows[1].id };
    });
    assert.equal(total, 3);

    const intact = await cli('audit', 'verify');
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stdout, new RegExp(`Audit chain intact: ${total} events checked`));

    await withDataDir((db) =>
      withTriggerOff(db, (trx) => sql`update audit_event set detail = '{"name":"Renamed team"}' where id = ${targetId}`.execute(trx)),
    );
    const broken = await cli('audit', 'verify');
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, new RegExp(`Audit chain broken at event ${targetId} \\(organisation [0-9a-f-]{36}\\)`));
    assert.match(broken.stderr, /altered/);
    assert.doesNotMatch(broken.stdout, /intact/);
  });
});
