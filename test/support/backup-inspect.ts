import assert from 'node:assert/strict';
import * as organisations from '../../src/modules/organisations/service.ts';
import * as audit from '../../src/platform/audit/service.ts';
import { type Database, openPGlite } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { DEMO_ORGANISATION, seedDemoData } from '../../src/platform/demo-data.ts';
import type { TestApp } from './app.ts';
import { contactFor, personWithEpisode } from './journey.ts';

/**
 * Seeding and reading databases for test/integration/backup-restore.test.ts.
 * Run as a script (`node test/support/backup-inspect.ts seed|migrate|inspect DATA_DIR`) it opens a PGlite
 * data directory in its own process and prints the result as JSON: PGlite 0.5 leaves a node --test process
 * unable to exit once it has opened one data directory several times.
 */
/** Seeds demo data, journey fixtures, a second organisation and some audit events of our own. */
export async function seed(database: Database): Promise<void> {
  await migrate(database);
  const db = database.db;
  assert.equal(await seedDemoData(db), true);
  const demo = await organisations.findOrganisationByName(db, DEMO_ORGANISATION);
  assert.ok(demo);
  const fixtures = { deps: { db } } as unknown as TestApp;
  const other = await organisations.createOrganisation(db, audit.SYSTEM_ACTOR, { name: 'Backup Neighbour', kind: 'provider' });
  for (const organisationId of [demo.id, other.id]) {
    for (const name of ['Zoë', 'Siân', "O'Brien"]) {
      const { episodeId } = await personWithEpisode(fixtures, organisationId, { givenName: name, familyName: 'Backup-Test' });
      await contactFor(fixtures, organisationId, episodeId, { at: '2026-02-03T10:15:30.123Z' });
      await contactFor(fixtures, organisationId, episodeId, { at: '2026-02-10T09:00:00Z', attended: false });
      await contactFor(fixtures, organisationId, episodeId, { at: '2026-02-11T09:00:00Z', deleted: true });
    }
    await audit.record(db, {
      organisationId,
      actor: audit.SYSTEM_ACTOR,
      action: 'backup_test.note',
      reason: 'round trip',
      detail: { text: 'ünïcødé — “quotes” <script>', nested: { b: 2, a: [1, null, true] } },
    });
  }
  await audit.record(db, { organisationId: null, actor: audit.SYSTEM_ACTOR, action: 'backup_test.instance' });
}

/** Every row of every table in primary-key order, as PostgreSQL's own JSON (microseconds and all), and every sequence. */
export async function snapshot(database: Database): Promise<Record<string, string[]>> {
  return database.withSession(async (session) => {
    const tables = await session.query<{ name: string; key: string | null }>(
      `select c.relname as name,
              (select string_agg(quote_ident(a.attname), ', ' order by array_position(i.indkey::int2[], a.attnum))
                 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey::int2[])
                where i.indrelid = c.oid and i.indisprimary) as key
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
        order by c.relname`,
    );
    const result: Record<string, string[]> = {};
    for (const { name, key } of tables) {
      const order = key ?? 'row_to_json(x)::text';
      const rows = await session.query<{ j: string }>(`select row_to_json(x)::text as j from public.${name} x order by ${order}`);
      result[name] = rows.map((row) => row.j);
    }
    const sequences = await session.query<{ j: string }>(
      `select json_build_object('name', sequencename, 'last_value', last_value)::text as j
         from pg_sequences where schemaname = 'public' order by sequencename`,
    );
    result['(sequences)'] = sequences.map((row) => row.j);
    return result;
  });
}

export async function lastHashes(database: Database): Promise<Array<{ organisation_id: string | null; hash: string }>> {
  return database.withSession((session) =>
    session.query(
      `select distinct on (organisation_id) organisation_id, hash from audit_event
        order by organisation_id nulls first, id desc`,
    ),
  );
}

export async function withDatabase<T>(open: () => Promise<Database>, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await open();
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Everything the round trip compares, once every audit event is sealed (a restore's check seals what the backup held unsealed). */
export async function inspect(database: Database) {
  await audit.seal(database.db);
  return { rows: await snapshot(database), hashes: await lastHashes(database), verify: await audit.verify(database.db) };
}

export type Inspection = Awaited<ReturnType<typeof inspect>>;

if (import.meta.main) {
  const [command, dataDir] = process.argv.slice(2);
  const result = await withDatabase(
    () => openPGlite(dataDir),
    async (database) => {
      if (command === 'seed') await seed(database);
      if (command === 'migrate') await migrate(database);
      return inspect(database);
    },
  );
  process.stdout.write(JSON.stringify(result));
}
