import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/** The only SQL of the importer: its batches and errors, and the bulk path that creates episodes and referrals. */

export async function insertBatch(
  db: Db,
  values: { organisation_id: string; file_name: string; file_sha256: string; created_by: string | null },
) {
  return db
    .insertInto('import_batch')
    .values({ ...values, kind: 'referrals' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findBatch(db: Db, organisationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('import_batch')
    .leftJoin('app_user', (join) => join.onRef('app_user.id', '=', 'import_batch.created_by'))
    .selectAll('import_batch')
    .select('app_user.display_name as created_by_name')
    .where('import_batch.organisation_id', '=', organisationId)
    .where('import_batch.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('import_batch');
  return query.executeTakeFirst();
}

export async function listBatches(db: Db, organisationId: string, limit: number, offset: number) {
  const rows = await db
    .selectFrom('import_batch')
    .leftJoin('app_user', (join) => join.onRef('app_user.id', '=', 'import_batch.created_by'))
    .selectAll('import_batch')
    .select('app_user.display_name as created_by_name')
    .where('import_batch.organisation_id', '=', organisationId)
    .orderBy('import_batch.created_at', 'desc')
    .orderBy('import_batch.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const count = await db
    .selectFrom('import_batch')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

export interface BatchCounts {
  status?: 'previewed' | 'running' | 'finished' | 'failed';
  total_rows?: number;
  imported_rows?: number;
  skipped_rows?: number;
  error_rows?: number;
  finished_at?: Date | null;
}

export async function updateBatch(db: Db, organisationId: string, id: string, values: BatchCounts) {
  await db.updateTable('import_batch').set(values).where('organisation_id', '=', organisationId).where('id', '=', id).execute();
}

/** Moves a previewed batch to running; false when someone else already started it. */
export async function claimBatch(db: Db, organisationId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('import_batch')
    .set({ status: 'running', imported_rows: 0, skipped_rows: 0 })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', '=', 'previewed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRowErrors(db: Db, organisationId: string, batchId: string, errors: Array<{ line: number; reason: string }>) {
  await db.deleteFrom('import_row_error').where('organisation_id', '=', organisationId).where('batch_id', '=', batchId).execute();
  for (let start = 0; start < errors.length; start += 500) {
    const chunk = errors.slice(start, start + 500);
    await db
      .insertInto('import_row_error')
      .values(chunk.map((error) => ({ organisation_id: organisationId, batch_id: batchId, ...error })))
      .execute();
  }
}

export async function rowErrors(db: Db, organisationId: string, batchId: string, limit: number) {
  return db
    .selectFrom('import_row_error')
    .select(['line', 'reason'])
    .where('organisation_id', '=', organisationId)
    .where('batch_id', '=', batchId)
    .orderBy('line')
    .limit(limit)
    .execute();
}

/** Which of these (source, id) pairs already have a referral: the rows a run would skip. */
export async function existingExternalIds(db: Db, organisationId: string, pairs: Array<{ source: string; id: string }>) {
  const found = new Set<string>();
  // Slices of 10,000: a preview of a 100,000-row file is ten statements.
  for (let start = 0; start < pairs.length; start += 10_000) {
    const chunk = pairs.slice(start, start + 10_000);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('referral')
      .select(['external_source', 'external_id'])
      .where('organisation_id', '=', organisationId)
      .where('external_id', 'is not', null)
      .where(
        sql<boolean>`(external_source, external_id) in (select * from unnest(${sql.val(chunk.map((p) => p.source))}::text[], ${sql.val(chunk.map((p) => p.id))}::text[]))`,
      )
      .execute();
    for (const row of rows) found.add(`${row.external_source}\u0000${row.external_id}`);
  }
  return found;
}

export async function referralByExternalId(db: Db, organisationId: string, source: string, externalId: string) {
  return db
    .selectFrom('referral')
    .select('episode_id')
    .where('organisation_id', '=', organisationId)
    .where('external_source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function insertEpisode(db: Db, organisationId: string, personId: string, referredOn: string) {
  return db
    .insertInto('episode')
    .values({ organisation_id: organisationId, person_id: personId, referred_on: referredOn })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertReferral(
  db: Db,
  values: {
    episode_id: string;
    organisation_id: string;
    source_code: string | null;
    referring_organisation: string | null;
    received_on: string;
    reason: string | null;
    created_by: string | null;
    external_source: string;
    external_id: string;
  },
) {
  await db
    .insertInto('referral')
    .values({ ...values, status: 'pending' })
    .execute();
}

export async function insertPrisonStay(db: Db, organisationId: string, episodeId: string, prisonCode: string) {
  await db.insertInto('prison_stay').values({ organisation_id: organisationId, episode_id: episodeId, prison_code: prisonCode }).execute();
}

export async function insertConditionalReleaseDate(db: Db, organisationId: string, episodeId: string, onDate: string) {
  await db
    .insertInto('release_date')
    .values({ organisation_id: organisationId, episode_id: episodeId, kind_code: 'conditional_release', on_date: onDate })
    .execute();
}

/** One imported referral with the ids made for it: what a chunk writes in bulk. */
export interface NewReferral {
  episodeId: string;
  personId: string;
  receivedOn: string;
  sourceCode: string | null;
  referringOrganisation: string | null;
  reason: string | null;
  externalSource: string;
  externalId: string;
  /** Id for the prison stay, when there is a prison. */
  prisonStayId: string | null;
  prisonCode: string | null;
  conditionalReleaseDate: string | null;
}

const column = <T>(rows: readonly NewReferral[], pick: (row: NewReferral) => T) => sql.val(rows.map(pick));

/**
 * A chunk's episodes, pending referrals, prison stays and conditional release
 * dates: four statements however many rows, each INSERT … SELECT FROM unnest
 * (one array per column), as the seed writes.
 */
export async function insertReferralsInBulk(db: Db, organisationId: string, createdBy: string | null, rows: readonly NewReferral[]) {
  if (rows.length === 0) return;
  await sql`
    insert into episode (id, organisation_id, person_id, referred_on)
    select id, ${organisationId}::uuid, person_id, referred_on
      from unnest(${column(rows, (r) => r.episodeId)}::uuid[], ${column(rows, (r) => r.personId)}::uuid[],
                  ${column(rows, (r) => r.receivedOn)}::date[]) as t(id, person_id, referred_on)
  `.execute(db);
  await sql`
    insert into referral (episode_id, organisation_id, status, source_code, referring_organisation, received_on, reason, created_by,
                          external_source, external_id)
    select episode_id, ${organisationId}::uuid, 'pending', source_code, referring_organisation, received_on, reason, ${createdBy}::uuid,
           external_source, external_id
      from unnest(${column(rows, (r) => r.episodeId)}::uuid[], ${column(rows, (r) => r.sourceCode)}::text[],
                  ${column(rows, (r) => r.referringOrganisation)}::text[], ${column(rows, (r) => r.receivedOn)}::date[],
                  ${column(rows, (r) => r.reason)}::text[], ${column(rows, (r) => r.externalSource)}::text[],
                  ${column(rows, (r) => r.externalId)}::text[])
        as t(episode_id, source_code, referring_organisation, received_on, reason, external_source, external_id)
  `.execute(db);
  const stays = rows.filter((row) => row.prisonCode && row.prisonStayId);
  if (stays.length > 0) {
    await sql`
      insert into prison_stay (id, organisation_id, episode_id, prison_code)
      select id, ${organisationId}::uuid, episode_id, prison_code
        from unnest(${column(stays, (r) => r.prisonStayId)}::uuid[], ${column(stays, (r) => r.episodeId)}::uuid[],
                    ${column(stays, (r) => r.prisonCode)}::text[]) as t(id, episode_id, prison_code)
    `.execute(db);
  }
  const releases = rows.filter((row) => row.conditionalReleaseDate);
  if (releases.length > 0) {
    await sql`
      insert into release_date (organisation_id, episode_id, kind_code, on_date)
      select ${organisationId}::uuid, episode_id, 'conditional_release', on_date
        from unnest(${column(releases, (r) => r.episodeId)}::uuid[], ${column(releases, (r) => r.conditionalReleaseDate)}::date[])
          as t(episode_id, on_date)
    `.execute(db);
  }
}

const IMPORTED_TABLES = ['person', 'episode', 'referral', 'prison_stay', 'release_date'] as const;

/** How many episodes the planner thinks there are (pg_class.reltuples; never analysed counts as none). */
export async function plannedEpisodeRows(db: Db): Promise<number> {
  const result = await sql<{ rows: number }>`select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'episode'::regclass`.execute(db);
  return Number(result.rows[0]?.rows ?? 0);
}

/**
 * Refreshes the planner's statistics for the tables an import writes. PGlite
 * runs no autovacuum, and PostgreSQL's lags a big import: planned as if an
 * organisation had a few dozen episodes when it has thousands, a chunk's
 * statements turn to nested loops over everything imported so far.
 */
export async function analyseImportedTables(db: Db): Promise<void> {
  for (const table of IMPORTED_TABLES) await sql`analyze ${sql.table(table)}`.execute(db);
}
