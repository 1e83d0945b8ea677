import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Row, SeedTable, Value } from './journey.ts';

/**
 * The seed's SQL. Rows go in as one INSERT … SELECT FROM unnest(arrays) per
 * batch: a statement carries one array per column however many rows it has,
 * so a batch of thousands of rows is one round trip and one parse, on PGlite
 * and PostgreSQL alike. Every value travels as text and is cast in the select.
 */

type ColumnType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'int' | 'bool' | 'numeric' | 'text[]';
type Columns = Readonly<Record<string, ColumnType>>;

/** The columns the seed writes; organisation_id is added to every row. Identifiers here are constants, never input. */
export const SEED_COLUMNS: Readonly<Record<SeedTable | 'employer' | 'app_user' | 'cost_period', Columns>> = {
  app_user: { team_id: 'uuid', email: 'text', display_name: 'text', role: 'text', practitioner_kind: 'text', status: 'text' },
  employer: { id: 'uuid', name: 'text', sector_code: 'text', size_code: 'text', job_types: 'text[]', open_to_convictions: 'text' },
  cost_period: { team_id: 'uuid', starts_on: 'date', ends_on: 'date', staff_fte: 'numeric', specialist_fte: 'numeric', salaries: 'numeric', overheads: 'numeric', management: 'numeric', travel: 'numeric', other: 'numeric', note: 'text' },
  person: {
    id: 'uuid', given_name: 'text', family_name: 'text', date_of_birth: 'date', sex_code: 'text', ethnicity_code: 'text',
    offence_category_code: 'text', primary_diagnosis_code: 'text', prison_number: 'text', crn: 'text', phone: 'text',
    right_to_work_code: 'text', priority_offender: 'bool',
  },
  episode: { id: 'uuid', person_id: 'uuid', team_id: 'uuid', key_worker_id: 'uuid', referred_on: 'date', exited_on: 'date', exit_reason_code: 'text' },
  referral: {
    episode_id: 'uuid', status: 'text', source_code: 'text', received_on: 'date', person_knows: 'bool', person_agrees: 'bool',
    decision_reason_code: 'text', decided_on: 'date', external_source: 'text', external_id: 'text',
  },
  allocation: { id: 'uuid', episode_id: 'uuid', worker_id: 'uuid', allocated_at: 'timestamptz' },
  custody_spell: { id: 'uuid', episode_id: 'uuid', status_code: 'text', sentence_length_days: 'int', started_on: 'date' },
  prison_stay: { id: 'uuid', episode_id: 'uuid', prison_code: 'text', arrived_on: 'date', left_on: 'date' },
  release_date: { episode_id: 'uuid', kind_code: 'text', on_date: 'date' },
  release: { episode_id: 'uuid', released_on: 'date', release_type_code: 'text', without_notice: 'bool' },
  contact: {
    id: 'uuid', episode_id: 'uuid', occurred_at: 'timestamptz', type_code: 'text', setting_code: 'text', with_code: 'text',
    attended: 'bool', duration_minutes: 'int', recorded_by: 'uuid',
  },
  job_search_activity: {
    id: 'uuid', episode_id: 'uuid', kind: 'text', occurred_on: 'date', employer_id: 'uuid', title: 'text', outcome_code: 'text',
    provider: 'text', ends_on: 'date', completed: 'bool', recorded_by: 'uuid',
  },
  employer_contact: { id: 'uuid', employer_id: 'uuid', specialist_id: 'uuid', occurred_on: 'date', method_code: 'text', purpose_code: 'text' },
  employer_contact_participant: { employer_contact_id: 'uuid', episode_id: 'uuid' },
  job: {
    id: 'uuid', episode_id: 'uuid', employer_id: 'uuid', title: 'text', job_type_code: 'text', starts_on: 'date', counted_start_on: 'date',
    ends_on: 'date', hours_per_week: 'numeric', hourly_pay: 'numeric', permanent: 'bool', open_to_anyone: 'bool', competitive: 'bool',
    minimum_hourly_rate: 'numeric', end_reason_code: 'text', recorded_by: 'uuid',
  },
  custody_event: { id: 'uuid', episode_id: 'uuid', kind_code: 'text', reason_code: 'text', occurred_on: 'date', recorded_by: 'uuid' },
};

export type SeedTableName = keyof typeof SEED_COLUMNS;

function asText(value: Value | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return `{${value.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Inserts rows (each with the table's seed columns) in one statement. */
export async function insertRows(db: Db, table: SeedTableName, organisationId: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(SEED_COLUMNS[table]);
  const arrays = columns.map(([name]) => rows.map((row) => asText(row[name])));
  const aliases = columns.map((_, index) => sql.raw(`c${index}`));
  const casts = columns.map(([, type], index) => sql.raw(`c${index}::${type}`));
  await sql`
    insert into ${sql.table(table)} (organisation_id, ${sql.join(columns.map(([name]) => sql.ref(name)))})
    select ${organisationId}::uuid, ${sql.join(casts)}
      from unnest(${sql.join(arrays.map((values) => sql`${sql.val(values)}::text[]`))}) as t(${sql.join(aliases)})
  `.execute(db);
}

/**
 * For the seed's bulk transactions: skips the per-row foreign-key triggers
 * for the rest of the transaction (session_replication_role = replica, as
 * pg_restore --disable-triggers does), which more than halves the cost of each
 * row. Safe because the seed writes only ids it has just written or read in
 * the same organisation (test/integration/seed.test.ts checks every reference
 * afterwards). Only a superuser may set it; any other role keeps the checks,
 * which is slower but the same data. True when the checks are off.
 */
export async function skipReferenceChecks(trx: Db): Promise<boolean> {
  const result = await sql<{ skipped: string | null }>`
    select case when current_setting('is_superuser') = 'on' then set_config('session_replication_role', 'replica', true) end as skipped
  `.execute(trx);
  return result.rows[0]?.skipped === 'replica';
}

export async function findTeams(db: Db, organisationId: string, names: readonly string[]) {
  if (names.length === 0) return [];
  return db.selectFrom('team').select(['id', 'name']).where('organisation_id', '=', organisationId).where('name', 'in', [...names]).execute();
}

export async function insertMissingTeams(db: Db, organisationId: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await db
    .insertInto('team')
    .values(names.map((name) => ({ organisation_id: organisationId, name })))
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export async function findUsersByEmail(db: Db, organisationId: string, emails: readonly string[]) {
  if (emails.length === 0) return [];
  return db.selectFrom('app_user').select(['id', 'email', 'team_id']).where('organisation_id', '=', organisationId).where('email', 'in', [...emails]).execute();
}

export async function findEmployersByName(db: Db, organisationId: string, names: readonly string[]) {
  if (names.length === 0) return [];
  return db.selectFrom('employer').select(['id', 'name']).where('organisation_id', '=', organisationId).where('name', 'in', [...names]).execute();
}

/** How many synthetic people the organisation already has, so another run numbers its people after them. */
export async function countSyntheticPeople(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('family_name', 'like', '%-Synthetic%')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every seed run recorded in the database, oldest first: the seed.generated audit events. */
export async function findSeedRuns(db: Db, action: string) {
  return db
    .selectFrom('audit_event')
    .select(['organisation_id', 'detail'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

export const COUNTED_TABLES = [...Object.keys(SEED_COLUMNS)] as SeedTableName[];

/** Rows per table for one organisation. */
export async function countRows(db: Db, organisationId: string): Promise<Record<SeedTableName, number>> {
  const selects = COUNTED_TABLES.map(
    (table) => sql`select ${table} as name, count(*)::int as n from ${sql.table(table)} where organisation_id = ${organisationId}`,
  );
  const result = await sql<{ name: SeedTableName; n: number }>`${sql.join(selects, sql` union all `)}`.execute(db);
  return Object.fromEntries(result.rows.map((row) => [row.name, Number(row.n)])) as Record<SeedTableName, number>;
}

/**
 * An md5 of a table's seeded content for one organisation: every seed column
 * except ids (uuids differ from run to run), rows sorted, so two runs with
 * the same seed compare equal whatever order the rows were written in.
 */
export async function contentFingerprint(db: Db, table: SeedTableName, organisationId: string): Promise<string> {
  const columns = Object.entries(SEED_COLUMNS[table]).filter(([, type]) => type !== 'uuid');
  // A table of ids only (employer_contact_participant) still fingerprints its row count.
  const text = sql.join([sql`'row'`, ...columns.map(([name]) => sql`coalesce(${sql.ref(name)}::text, '∅')`)], sql`, `);
  const result = await sql<{ fingerprint: string }>`
    select md5(coalesce(string_agg(line, E'\n' order by line), '')) as fingerprint
      from (select concat_ws('|', ${text}) as line from ${sql.table(table)} where organisation_id = ${organisationId}) rows
  `.execute(db);
  return result.rows[0].fingerprint;
}

/**
 * Refreshes the planner's statistics for the tables the seed wrote. PGlite
 * runs no autovacuum, so without this a freshly seeded database is planned as
 * if every table held one row, and the report's nested loops go quadratic.
 * VACUUM too: the stage derivation rewrites every episode, and until a vacuum
 * clears the old versions and marks the pages all-visible, index-only scans
 * still visit the table and the first readers of each page pay to set its hint bits.
 */
export async function vacuumAnalyzeSeededTables(db: Db): Promise<void> {
  for (const table of COUNTED_TABLES) await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
}
