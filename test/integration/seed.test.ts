import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { figureSections } from '../../src/modules/outcomes/figures/index.ts';
import { runSeedCommand } from '../../src/modules/seed/cli.ts';
import { staffPlan } from '../../src/modules/seed/generator.ts';
import { skipReferenceChecks } from '../../src/modules/seed/queries.ts';
import { contentFingerprint, countRows, GENERATOR_VERSION, SEEDED_TABLES, seedDataset, seedRuns } from '../../src/modules/seed/service.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const PEOPLE = 200;
const TODAY = '2026-06-30';
const options = (seed: number, organisationName = 'Seed test service') => ({ people: PEOPLE, years: 3, seed, organisationName, today: TODAY });

async function fingerprints(db: Db, organisationId: string) {
  const entries = [];
  for (const table of SEEDED_TABLES) entries.push([table, await contentFingerprint(db, table, organisationId)]);
  return Object.fromEntries(entries);
}

describe('throughgate seed: the synthetic dataset', () => {
  let first: TestApp;
  let second: TestApp;
  let organisationId: string;
  let secondOrganisationId: string;

  before(async () => {
    first = await createTestApp();
    second = await createTestApp();
    organisationId = (await seedDataset(first.deps.db, options(42))).organisationId;
    secondOrganisationId = (await seedDataset(second.deps.db, options(42))).organisationId;
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  test('the same seed into two fresh databases gives the same rows, table by table', async () => {
    const counts = await countRows(first.deps.db, organisationId);
    assert.deepEqual(await countRows(second.deps.db, secondOrganisationId), counts);
    assert.equal(counts.person, PEOPLE);
    for (const table of ['episode', 'contact', 'job', 'employer_contact', 'employer_contact_participant', 'custody_event', 'cost_period'] as const) {
      assert.ok(counts[table] > 0, `${table} has rows`);
    }
    assert.deepEqual(await fingerprints(second.deps.db, secondOrganisationId), await fingerprints(first.deps.db, organisationId));
  });

  test('a different seed gives different people', async () => {
    const other = await seedDataset(first.deps.db, options(43, 'Seed test service, seed 43'));
    assert.notEqual(await contentFingerprint(first.deps.db, 'person', other.organisationId), await contentFingerprint(first.deps.db, 'person', organisationId));
    assert.notEqual(await contentFingerprint(first.deps.db, 'contact', other.organisationId), await contentFingerprint(first.deps.db, 'contact', organisationId));
  });

  test('every reference points at a row of the same organisation', async () => {
    const db = first.deps.db;
    const orphans = async (child: string, column: string, parent: string) => {
      const result = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(child)} c
         where not exists (select 1 from ${sql.table(parent)} p where p.id = c.${sql.ref(column)} and p.organisation_id = c.organisation_id)
      `.execute(db);
      return Number(result.rows[0].n);
    };
    assert.equal(await orphans('episode', 'person_id', 'person'), 0, 'episodes without their person');
    assert.equal(await orphans('episode', 'key_worker_id', 'app_user'), 0, 'episodes without their key worker');
    assert.equal(await orphans('contact', 'episode_id', 'episode'), 0, 'contacts without their episode');
    assert.equal(await orphans('job', 'episode_id', 'episode'), 0, 'jobs without their episode');
    assert.equal(await orphans('job', 'employer_id', 'employer'), 0, 'jobs without their employer');
    assert.equal(await orphans('employer_contact', 'employer_id', 'employer'), 0, 'employer contacts without their employer');
    assert.equal(await orphans('employer_contact_participant', 'episode_id', 'episode'), 0, 'participants without their episode');
    assert.equal(await orphans('custody_event', 'episode_id', 'episode'), 0, 'custody events without their episode');
    assert.equal(await orphans('prison_stay', 'episode_id', 'episode'), 0, 'prison stays without their episode');
  });

  test('codes come from the reference lists and identifiers are well formed and unique', async () => {
    const db = first.deps.db;
    const unknown = await sql<{ n: number }>`
      select count(*)::int as n from person p
       where p.organisation_id = ${organisationId}
         and ((p.offence_category_code is not null and not exists (select 1 from reference_item r where r.list_code = 'offence_category' and r.code = p.offence_category_code))
           or (p.primary_diagnosis_code is not null and not exists (select 1 from reference_item r where r.list_code = 'diagnosis' and r.code = p.primary_diagnosis_code))
           or (p.ethnicity_code is not null and not exists (select 1 from reference_item r where r.list_code = 'ethnicity' and r.code = p.ethnicity_code)))
    `.execute(db);
    assert.equal(Number(unknown.rows[0].n), 0);
    const prisons = await sql<{ n: number }>`
      select count(*)::int as n from prison_stay s
       where s.organisation_id = ${organisationId} and not exists (select 1 from reference_item r where r.list_code = 'prison' and r.code = s.prison_code)
    `.execute(db);
    assert.equal(Number(prisons.rows[0].n), 0);
    const numbers = await db.selectFrom('person').select('prison_number').where('organisation_id', '=', organisationId).where('prison_number', 'is not', null).execute();
    assert.equal(new Set(numbers.map((row) => row.prison_number)).size, numbers.length, 'prison numbers are unique');
    const ages = await sql<{ youngest: number; oldest: number; median: number }>`
      select min(extract(year from age(e.referred_on, p.date_of_birth)))::int as youngest,
             max(extract(year from age(e.referred_on, p.date_of_birth)))::int as oldest,
             percentile_cont(0.5) within group (order by extract(year from age(e.referred_on, p.date_of_birth))) as median
        from episode e join person p on p.id = e.person_id
       where e.organisation_id = ${organisationId} and p.date_of_birth is not null
    `.execute(db);
    const { youngest, oldest, median } = ages.rows[0];
    assert.ok(youngest >= 18 && oldest <= 72, `ages ${youngest} to ${oldest}`);
    assert.ok(Number(median) >= 25 && Number(median) <= 40, `median age ${median}`);
  });

  test('the outcomes report’s funnel lands in the documented ranges', async () => {
    const sections = await figureSections(
      first.deps.db,
      { organisationIds: [organisationId] },
      { from: '2023-06-30', to: TODAY, asAt: TODAY },
      organisationId,
    );
    const funnel = sections[0].tables.find((table) => table.id === 'funnel')!;
    const count = (key: string) => Number(funnel.rows.find((row) => row.key === key)!.cells.count);
    const referred = count('referred');
    const share = (key: string) => count(key) / referred;
    // The ranges in docs/benchmarks.md (and journey.ts): wide enough for 200 people, narrow enough to catch a broken journey.
    assert.ok(share('met_in_custody') >= 0.6 && share('met_in_custody') <= 0.8, `met in custody ${share('met_in_custody')}`);
    assert.ok(share('seen_in_community') >= 0.45 && share('seen_in_community') <= 0.65, `seen ${share('seen_in_community')}`);
    assert.ok(share('engaged') >= 0.32 && share('engaged') <= 0.5, `engaged ${share('engaged')}`);
    assert.ok(share('into_work') >= 0.12 && share('into_work') <= 0.25, `into work ${share('into_work')}`);
    assert.ok(count('job_starts') >= count('into_work'));
  });

  test('each run is recorded with its parameters and figures, for a benchmark deciding whether to reuse the database', async () => {
    const [run] = await seedRuns(second.deps.db);
    assert.equal((await seedRuns(second.deps.db)).length, 1);
    assert.equal(run.organisationId, secondOrganisationId);
    assert.deepEqual({ people: run.people, years: run.years, seed: run.seed, generator: run.generator }, { people: PEOPLE, years: 3, seed: 42, generator: GENERATOR_VERSION });
    const counts = await countRows(second.deps.db, secondOrganisationId);
    // Every row written: the counted tables, and the teams.
    assert.equal(run.rows, Object.values(counts).reduce((sum, n) => sum + n, 0) + staffPlan(PEOPLE, 3).teams);
    assert.ok(run.seconds !== null && run.seconds >= 0);
    assert.equal(run.endsOn, TODAY);
    assert.equal(run.startsOn, '2023-07-02', 'the day after three years before the last day');
  });

  test('the foreign-key checks are skipped only inside the seed’s own transaction', async () => {
    const db = second.deps.db;
    const inside = await db.transaction().execute(async (trx) => {
      const skipped = await skipReferenceChecks(trx);
      const setting = await sql<{ role: string }>`select current_setting('session_replication_role') as role`.execute(trx);
      return { skipped, role: setting.rows[0].role };
    });
    assert.deepEqual(inside, { skipped: true, role: 'replica' });
    const after = await sql<{ role: string }>`select current_setting('session_replication_role') as role`.execute(db);
    assert.equal(after.rows[0].role, 'origin', 'back to normal checks once the transaction ends');
  });

  test('refuses to run under NODE_ENV=production without --allow-production, before touching a database', async () => {
    const messages: string[] = [];
    const original = console.error;
    console.error = (message: string) => messages.push(message);
    try {
      assert.equal(await runSeedCommand(['--people', '10'], { NODE_ENV: 'production' }), 2);
    } finally {
      console.error = original;
    }
    assert.match(messages.join('\n'), /Refusing to seed synthetic data: NODE_ENV is production\. Give --allow-production/);
  });
});
