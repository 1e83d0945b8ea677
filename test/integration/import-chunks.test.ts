import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { batchErrors, previewImport, type RunOptions, runImport } from '../../src/modules/imports/service.ts';
import * as audit from '../../src/platform/audit/service.ts';
import { directPrincipal, type Principal } from '../../src/platform/http/context.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

const HEADER = 'external_id,source_system,given_name,family_name,date_of_birth,prison_number,crn,received_on,prison';

describe(`import written in set-based chunks (${databaseLabel()})`, () => {
  let t: TestApp;

  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  /** A manager of a new organisation of their own, so counts are the test's alone. */
  async function manager(name: string): Promise<Principal> {
    const org = await t.organisation(name);
    const user = await t.user(org.id, 'manager');
    return directPrincipal({ id: org.id, name }, 'manager', { id: user.id, displayName: 'Test manager', email: null });
  }

  async function importLines(principal: Principal, lines: string[], options: RunOptions & { beforeRun?: () => Promise<void> } = {}) {
    const preview = await previewImport(t.deps.db, principal, { fileName: 'chunks.csv', content: Buffer.from([HEADER, ...lines].join('\n')) });
    await options.beforeRun?.();
    const retried: Array<{ firstLine: number; lastLine: number }> = [];
    const progress: number[] = [];
    const result = await runImport(t.deps.db, principal, preview.id, {
      chunkSize: 3,
      onChunkRetried: ({ firstLine, lastLine }) => retried.push({ firstLine, lastLine }),
      onProgress: ({ done }) => progress.push(done),
      ...options,
    });
    assert.ok(result);
    return { batchId: preview.id, result, retried, progress };
  }

  const referral = (principal: Principal, externalId: string) =>
    t.deps.db
      .selectFrom('referral')
      .innerJoin('episode', 'episode.id', 'referral.episode_id')
      .select(['episode.person_id', 'episode.stage', 'referral.status', 'referral.created_by'])
      .where('referral.organisation_id', '=', principal.organisationId)
      .where('referral.external_id', '=', externalId)
      .executeTakeFirst();
  const count = async (table: 'person' | 'episode' | 'referral' | 'prison_stay', principal: Principal) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where organisation_id = ${principal.organisationId}`.execute(t.deps.db))
        .rows[0].n,
    );
  /** Marks an episode's referral as imported from elsewhere. */
  const importedAs = (episodeId: string, source: string, externalId: string) =>
    t.deps.db.updateTable('referral').set({ external_source: source, external_id: externalId }).where('episode_id', '=', episodeId).execute();
  const events = (principal: Principal, action: string) =>
    t.deps.db
      .selectFrom('audit_event')
      .select(['subject_id', 'detail'])
      .where('organisation_id', '=', principal.organisationId)
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  test('rows across chunk boundaries: later rows match people made by earlier ones, repeats are skipped, progress comes per chunk', async () => {
    const principal = await manager('Chunk boundaries');
    const { result, retried, progress } = await importLines(principal, [
      'CB-1,Chunk Test,Ada,First,1980-01-01,A1111AA,,2026-01-01,leeds',
      'CB-2,Chunk Test,Bob,Second,1981-02-02,,,2026-01-02,',
      // The same prison number as CB-1, in the same chunk: Ada's second referral.
      'CB-3,Chunk Test,Ada,Renamed,,a1111aa,,2026-01-03,',
      // Next chunk: the same names and date of birth as CB-2 (case and accents aside) find Bob.
      'CB-4,Chunk Test,BOB,sécond,1981-02-02,,,2026-01-04,',
      // A repeat of CB-1 in a later chunk is skipped, as one imported before.
      'CB-1,Chunk Test,Ada,First,1980-01-01,A1111AA,,2026-01-01,leeds',
      'CB-6,Chunk Test,Cy,Third,1982-03-03,,X123456,2026-01-06,new_hall',
      // A bad row among good ones.
      'CB-7,Chunk Test,,Nameless,,,,2026-01-07,',
      // Same CRN as CB-6, two chunks later.
      'CB-8,Chunk Test,Cyril,Third,,,x123456,2026-01-08,',
    ]);
    assert.deepEqual(retried, [], 'every chunk was written in bulk');
    assert.deepEqual(progress, [3, 6, 8]);
    assert.deepEqual([result.total, result.imported, result.skipped, result.errors.length], [8, 6, 1, 1]);
    assert.equal(result.errors[0].line, 8);
    const [ada1, ada3, bob2, bob4, cy6, cy8] = await Promise.all(['CB-1', 'CB-3', 'CB-2', 'CB-4', 'CB-6', 'CB-8'].map((id) => referral(principal, id)));
    assert.equal(ada3?.person_id, ada1?.person_id);
    assert.equal(bob4?.person_id, bob2?.person_id);
    assert.equal(cy8?.person_id, cy6?.person_id);
    assert.equal(await count('person', principal), 3);
    assert.equal(await count('episode', principal), 6);
    assert.equal(await count('prison_stay', principal), 2);
    assert.equal(ada1?.stage, 'referred');
    assert.equal(ada1?.status, 'pending');
    assert.equal(ada1?.created_by, principal.userId);

    const created = await events(principal, 'person.created');
    assert.equal(created.length, 3, 'one person.created event for each new person, as createPerson writes');
    const rows = await events(principal, 'import.row-imported');
    assert.deepEqual(
      rows.map((row) => [(row.detail as { line: number }).line, (row.detail as { newPerson: boolean }).newPerson]),
      [
        [2, true],
        [3, true],
        [4, false],
        [5, false],
        [7, true],
        [9, false],
      ],
    );
    assert.deepEqual((await audit.verify(t.deps.db)).firstBroken, undefined, 'the audit chain still verifies');
  });

  test('a row that fits two people is refused while the rest of its chunk imports; re-importing the file skips every row', async () => {
    const principal = await manager('Chunk ambiguity');
    for (const name of ['Twin', 'Twain']) {
      const { personId } = await personWithEpisode(t, principal.organisationId, { givenName: name, familyName: 'Dup' });
      await t.deps.db.updateTable('person').set({ crn: 'W999888' }).where('id', '=', personId).execute();
    }
    // Two people with the same names and date of birth (personWithEpisode's 1990-01-01), spelt with other accents and case.
    await personWithEpisode(t, principal.organisationId, { givenName: 'Zoë', familyName: 'Ølsen' });
    await personWithEpisode(t, principal.organisationId, { givenName: 'ZOE', familyName: 'olsen' });
    // The same key (punctuation is dropped from it) but not the same name: compared exactly, it is someone else.
    const oneill = await personWithEpisode(t, principal.organisationId, { givenName: 'Sean', familyName: "O'Neill" });
    const lines = [
      'AM-1,Ambiguous Test,Twin,Dup,,,W999888,2026-02-01,',
      'AM-2,Ambiguous Test,Nia,Clear,,,,2026-02-02,',
      'AM-3,Ambiguous Test,zoe,OLSEN,1990-01-01,,,2026-02-03,',
      'AM-4,Ambiguous Test,Sean,ONeill,1990-01-01,,,2026-02-04,',
      "AM-5,Ambiguous Test,SEAN,o'neill,1990-01-01,,,2026-02-05,",
    ];
    const first = await importLines(principal, lines);
    assert.deepEqual(first.retried, []);
    assert.deepEqual([first.result.imported, first.result.skipped], [3, 0]);
    assert.deepEqual(
      first.result.errors.map((error) => [error.line, error.reason]),
      [
        [2, 'matches 2 people by identifier: merge the duplicate records, then import the row again'],
        [4, 'matches 2 people by name and date of birth: merge the duplicate records, then import the row again'],
      ],
    );
    assert.ok(await referral(principal, 'AM-2'));
    assert.notEqual((await referral(principal, 'AM-4'))?.person_id, oneill.personId);
    assert.equal((await referral(principal, 'AM-5'))?.person_id, oneill.personId);

    const people = await count('person', principal);
    const again = await importLines(principal, lines);
    assert.deepEqual([again.result.imported, again.result.skipped, again.result.errors.length], [0, 3, 2]);
    assert.equal(await count('person', principal), people, 'nothing new on the second run');
    assert.deepEqual((await audit.verify(t.deps.db)).firstBroken, undefined);
  });

  test('a chunk that fails in bulk is rolled back and imported row by row, with the outcomes a row-by-row run gives', async () => {
    const principal = await manager('Chunk fallback');
    const { result, retried, batchId } = await importLines(
      principal,
      [
        'FB-1,Fallback Test,Fay,One,1970-01-01,,,2026-03-01,',
        'FB-2,Fallback Test,Gus,Two,1971-01-01,,,2026-03-02,',
        'FB-3,Fallback Test,Fay,One,1970-01-01,,,2026-03-03,',
        'FB-4,Fallback Test,Hal,Four,1972-01-01,,,2026-03-04,',
      ],
      {
        // Another import writes FB-2 after the file was checked: the chunk's bulk insert hits the unique index.
        beforeRun: async () => {
          const { episodeId } = await personWithEpisode(t, principal.organisationId, { givenName: 'Gus', familyName: 'Elsewhere' });
          await importedAs(episodeId, 'Fallback Test', 'FB-2');
        },
      },
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual([result.imported, result.skipped], [3, 1]);
    assert.deepEqual(retried, [], 'FB-2 existed before the run began, so the bulk path skipped it itself');
    assert.deepEqual(await batchErrors(t.deps.db, principal, batchId), []);

    // A bulk insert that fails after the chunk's own checks passed (as when another import wins a race for the same
    // referral): forced here with a unique index only this test has, which RC-2's referral breaks.
    const raced = await manager('Chunk race');
    const preview = await previewImport(t.deps.db, raced, {
      fileName: 'race.csv',
      content: Buffer.from([HEADER, 'RC-1,Race Test,Ivy,One,,,,2026-03-01,', 'RC-2,Race Test,Jo,Two,,,,2026-03-02,', 'RC-3,Race Test,Kit,Three,,,,2026-03-03,'].join('\n')),
    });
    await sql`create unique index import_chunks_test_race on referral (organisation_id, received_on) where external_source = 'Race Test'`.execute(t.deps.db);
    try {
      const { episodeId } = await personWithEpisode(t, raced.organisationId, { givenName: 'Other', familyName: 'Import', referredOn: '2026-03-02' });
      await importedAs(episodeId, 'Race Test', 'RC-OTHER');
      const retriedRace: Array<{ firstLine: number; lastLine: number }> = [];
      const run = await runImport(t.deps.db, raced, preview.id, { chunkSize: 3, onChunkRetried: ({ firstLine, lastLine }) => retriedRace.push({ firstLine, lastLine }) });
      assert.deepEqual(retriedRace, [{ firstLine: 2, lastLine: 4 }], 'the chunk failed whole and was retried row by row');
      assert.ok(run);
      assert.deepEqual([run.imported, run.skipped, run.errors.length], [2, 1, 0], 'the row that collided is a skip, as importRow reports it');
      assert.ok(await referral(raced, 'RC-1'));
      assert.ok(await referral(raced, 'RC-3'));
      assert.equal(await referral(raced, 'RC-2'), undefined);
      assert.equal(await count('referral', raced), 3, 'RC-1, RC-3 and the other import’s referral: nothing of the failed bulk write is left');
      assert.equal((await events(raced, 'import.row-imported')).length, 2);
    } finally {
      await sql`drop index import_chunks_test_race`.execute(t.deps.db);
    }
    assert.deepEqual((await audit.verify(t.deps.db)).firstBroken, undefined);
  });

  test('an import that outgrows what the planner knows of refreshes its statistics as it goes', async () => {
    const principal = await manager('Chunk statistics');
    const planned = async () =>
      Number((await sql<{ rows: number }>`select reltuples::float8 as rows from pg_class where oid = 'episode'::regclass`.execute(t.deps.db)).rows[0].rows);
    const before = Math.max(await planned(), 0);
    const lines = Array.from({ length: Math.ceil(before) + 6 }, (_, n) => `ST-${n},Statistics Test,Sam${n},Stats,,,,2026-04-01,`);
    const { result } = await importLines(principal, lines);
    assert.equal(result.imported, lines.length);
    assert.ok((await planned()) > before, 'episode was analysed during the import');
  });

  test('person_name_key never tells apart names that compare equal ignoring case and accents', async () => {
    const collator = new Intl.Collator('en', { sensitivity: 'base' });
    const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
    const spellings = [...letters, ...letters.flatMap((a) => letters.map((b) => a + b))];
    const pairs: Array<[string, string]> = [];
    for (let code = 0xc0; code <= 0x24f; code += 1) {
      const letter = String.fromCodePoint(code);
      const plain = spellings.find((spelling) => collator.compare(letter, spelling) === 0);
      if (plain) pairs.push([`X${letter}y`, `x${plain}Y`]);
    }
    pairs.push(['Siân', 'SIAN'], ['Łukasz', 'lukasz'], ['Ærøskøbing', 'AEROSKOBING'], ['Straße', 'strasse'], ['Zoë', 'zoe']);
    assert.ok(pairs.length > 150, 'the Latin letters with accents are covered');
    for (const [a, b] of pairs) assert.equal(collator.compare(a, b), 0, `${a} = ${b}`);
    const keys = await sql<{ a: string; b: string }>`
      select person_name_key(a) as a, person_name_key(b) as b
        from unnest(${pairs.map(([a]) => a)}::text[], ${pairs.map(([, b]) => b)}::text[]) as t(a, b)
    `.execute(t.deps.db);
    const differing = keys.rows.filter((row) => row.a !== row.b);
    assert.deepEqual(differing, []);
  });
});
