import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as audit from '../../src/platform/audit/service.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
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

const event = (organisationId: string, label: string) => ({ organisationId, actor: audit.SYSTEM_ACTOR, action: 'test.sealing', detail: { label } });

async function byLabel(db: Db, label: string) {
  return db
    .selectFrom('audit_event')
    .select(['id', 'chain_position', 'previous_hash', 'hash'])
    .where(sql<boolean>`detail->>'label' = ${label}`)
    .executeTakeFirstOrThrow();
}

describe(`audit sealing (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Sealing Org')).id;
  });
  after(() => t.close());

  test('an event is appended unsealed, and sealing chains it after its chain\'s last event', async () => {
    const db = t.deps.db;
    await audit.seal(db);
    await audit.record(db, event(organisationId, 'unsealed'));
    const appended = await byLabel(db, 'unsealed');
    assert.equal(appended.chain_position, null);
    assert.equal(appended.hash, null);
    assert.ok((await audit.seal(db)) >= 1);
    const sealed = await byLabel(db, 'unsealed');
    assert.ok(sealed.chain_position !== null && sealed.hash !== null);
    const before = await db
      .selectFrom('audit_event')
      .select('hash')
      .where('organisation_id', '=', organisationId)
      .where('chain_position', '<', sealed.chain_position)
      .orderBy('chain_position', 'desc')
      .executeTakeFirst();
    assert.equal(sealed.previous_hash, before?.hash, 'it follows the last sealed event of its organisation');
    assert.equal(await audit.seal(db), 0, 'nothing is sealed twice');
  });

  test('the trigger allows sealing once, and never a change to the contents', async () => {
    const db = t.deps.db;
    await audit.record(db, event(organisationId, 'forgery'));
    const { id } = await byLabel(db, 'forgery');
    await assert.rejects(
      sql`update audit_event set detail = '{"label":"forged"}', chain_position = 999999, previous_hash = 'x', hash = 'y' where id = ${id}`.execute(db),
      /append-only/,
      'sealing cannot change what the event says',
    );
    await audit.seal(db);
    await assert.rejects(sql`update audit_event set chain_position = 999999, previous_hash = 'x', hash = 'y' where id = ${id}`.execute(db), /append-only/, 'a sealed event cannot be resealed');
    assert.deepEqual(await audit.verify(db), { checked: (await db.selectFrom('audit_event').select('id').execute()).length });
  });

  test('concurrent appends end in one intact chain', async () => {
    const db = t.deps.db;
    const other = (await t.organisation('Sealing Neighbour')).id;
    await Promise.all(Array.from({ length: 40 }, (_, n) => audit.record(db, event(n % 2 ? organisationId : other, `concurrent ${n}`))));
    const total = (await db.selectFrom('audit_event').select('id').execute()).length;
    assert.deepEqual(await audit.verify(db), { checked: total });
    const unsealed = await db.selectFrom('audit_event').select('id').where('chain_position', 'is', null).execute();
    assert.deepEqual(unsealed, []);
  });

  test('an event that commits after a later one is chained after it, and the chain stays intact', { skip: process.env.TEST_DATABASE_URL ? false : 'PGlite runs one transaction at a time' }, async () => {
    const db = t.deps.db;
    await audit.seal(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appended!: () => void;
    const early = new Promise<void>((resolve) => {
      appended = resolve;
    });
    const slow = db.transaction().execute(async (trx) => {
      await audit.record(trx, event(organisationId, 'committed last'));
      appended();
      await held;
    });
    await early;
    await audit.record(db, event(organisationId, 'committed first'));
    await audit.seal(db);
    release();
    await slow;
    await audit.seal(db);
    const last = await byLabel(db, 'committed last');
    const first = await byLabel(db, 'committed first');
    assert.ok(last.id < first.id, 'the slow transaction took the lower id');
    assert.ok(first.chain_position! < last.chain_position!, 'but was chained after the one that committed first');
    assert.equal(last.previous_hash, first.hash);
    assert.equal((await audit.verify(db)).firstBroken, undefined);
  });

  test('swapping two sealed events\' places in the chain is detected', async () => {
    const db = t.deps.db;
    await audit.record(db, event(organisationId, 'swap a'));
    await audit.record(db, event(organisationId, 'swap b'));
    await audit.seal(db);
    const a = await byLabel(db, 'swap a');
    const b = await byLabel(db, 'swap b');
    await withTriggerOff(db, async (trx) => {
      await sql`update audit_event set chain_position = -1 where id = ${a.id}`.execute(trx);
      await sql`update audit_event set chain_position = ${a.chain_position} where id = ${b.id}`.execute(trx);
      await sql`update audit_event set chain_position = ${b.chain_position} where id = ${a.id}`.execute(trx);
    });
    const result = await audit.verify(db);
    assert.equal(result.firstBroken?.id, b.id);
    assert.match(result.firstBroken?.problem ?? '', /removed or reordered/);
    await withTriggerOff(db, async (trx) => {
      await sql`update audit_event set chain_position = -1 where id = ${a.id}`.execute(trx);
      await sql`update audit_event set chain_position = ${b.chain_position} where id = ${b.id}`.execute(trx);
      await sql`update audit_event set chain_position = ${a.chain_position} where id = ${a.id}`.execute(trx);
    });
    assert.equal((await audit.verify(db)).firstBroken, undefined, 'put back, the chain is whole');
  });

  test('the background sealer seals what is waiting when it stops', async () => {
    const db = t.deps.db;
    const errors: unknown[] = [];
    const sealer = audit.startSealer(db, (error) => errors.push(error), 60_000);
    await audit.record(db, event(organisationId, 'before stop'));
    await sealer.stop();
    assert.notEqual((await byLabel(db, 'before stop')).chain_position, null);
    assert.deepEqual(errors, []);
  });
});
