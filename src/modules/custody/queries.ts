import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/**
 * The release date kinds that say when someone may walk out. The earliest of
 * them is the episode's expected release date; licence end is not a release.
 * This is the one place that rule lives (see docs/journey.md, "Release dates").
 */
export const EXPECTED_RELEASE_KINDS = ['conditional_release', 'hdc_eligibility', 'parole_eligibility'] as const;

/** One row per episode with any expected-release kind: episode_id and expected_on, the earliest of them. */
export function expectedReleaseDates(db: Db, organisationId: string) {
  return db
    .selectFrom('release_date')
    .select(['episode_id', (eb) => eb.fn.min<string>('on_date').as('expected_on')])
    .where('organisation_id', '=', organisationId)
    .where('kind_code', 'in', [...EXPECTED_RELEASE_KINDS])
    .groupBy('episode_id');
}

/**
 * The same expected date for one episode, as a lateral subquery over its own
 * release_date rows (the primary key's prefix): a page or a team reads only
 * its episodes' dates, never the whole organisation's.
 */
export function expectedReleaseDateOf(episode: string): RawBuilder<{ expected_on: string | null }> {
  const e = sql.table(episode);
  return sql`(select min(rd.on_date) as expected_on from release_date rd
    where rd.organisation_id = ${e}.organisation_id and rd.episode_id = ${e}.id
      and rd.kind_code in (${sql.join(EXPECTED_RELEASE_KINDS)}))`;
}

// ---------------------------------------------------------------- episode

/** The episode columns custody reads and owns (release area, address, local authority). */
export async function findEpisode(db: Db, organisationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('episode')
    .select([
      'id',
      'version',
      'referred_on',
      'key_worker_id',
      'exited_on',
      'expected_release_area',
      'release_address',
      'release_address_status',
      'local_authority',
    ])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type EpisodeRow = NonNullable<Awaited<ReturnType<typeof findEpisode>>>;

export interface EpisodeReleaseColumns {
  expected_release_area: string | null;
  release_address: string | null;
  release_address_status: 'known' | 'unknown' | 'no_fixed_abode';
  local_authority: string | null;
}

/** Returns false when the version has moved on: someone else saved first, and nothing is written. */
export async function updateEpisodeReleaseColumns(
  db: Db,
  organisationId: string,
  id: string,
  version: number,
  values: EpisodeReleaseColumns,
): Promise<boolean> {
  const result = await db
    .updateTable('episode')
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------- custody spell and prison stays

/** The episode's current custody spell: the latest started (a spell with no start date counts as oldest). */
export async function currentSpell(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('custody_spell')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .orderBy(sql`started_on desc nulls last`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertSpell(
  db: Db,
  values: { organisation_id: string; episode_id: string; status_code: string; sentence_length_days: number | null; started_on: string | null },
) {
  return db.insertInto('custody_spell').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateSpell(
  db: Db,
  organisationId: string,
  id: string,
  version: number,
  values: { status_code: string; sentence_length_days: number | null; started_on: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('custody_spell')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function prisonStays(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('prison_stay')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .orderBy(sql`arrived_on nulls first`)
    .orderBy('id')
    .execute();
}

/** The stay with no leaving date: where the person is now. */
export async function openStay(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('prison_stay')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('left_on', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** The stay most recently left: the one a release closed. */
export async function lastClosedStay(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('prison_stay')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('left_on', 'is not', null)
    .orderBy('left_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function setStayLeftOn(db: Db, organisationId: string, stayId: string, leftOn: string | null): Promise<void> {
  await db
    .updateTable('prison_stay')
    .set({ left_on: leftOn })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', stayId)
    .execute();
}

export async function insertStay(db: Db, values: { organisation_id: string; episode_id: string; prison_code: string; arrived_on: string }) {
  return db.insertInto('prison_stay').values(values).returning('id').executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------- release dates and release

export async function releaseDates(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('release_date')
    .select(['kind_code', 'on_date'])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .execute();
}

export async function setReleaseDate(db: Db, organisationId: string, episodeId: string, kind: string, onDate: string): Promise<void> {
  await db
    .insertInto('release_date')
    .values({ organisation_id: organisationId, episode_id: episodeId, kind_code: kind, on_date: onDate })
    .onConflict((oc) => oc.columns(['organisation_id', 'episode_id', 'kind_code']).doUpdateSet({ on_date: onDate, updated_at: new Date() }))
    .execute();
}

export async function deleteReleaseDate(db: Db, organisationId: string, episodeId: string, kind: string): Promise<void> {
  await db
    .deleteFrom('release_date')
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('kind_code', '=', kind)
    .execute();
}

export async function findRelease(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('release')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
}

export interface ReleaseValues {
  released_on: string;
  release_type_code: string;
  without_notice: boolean;
  note: string | null;
}

export async function insertRelease(db: Db, organisationId: string, episodeId: string, values: ReleaseValues): Promise<void> {
  await db
    .insertInto('release')
    .values({ organisation_id: organisationId, episode_id: episodeId, ...values })
    .execute();
}

export async function updateRelease(db: Db, organisationId: string, episodeId: string, version: number, values: ReleaseValues) {
  const result = await db
    .updateTable('release')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------- release plan and checklist

export async function findPlan(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('release_plan')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
}

export interface PlanValues {
  meet_at_gate: boolean;
  gate_worker_id: string | null;
  meeting_point: string | null;
  meeting_time: string | null;
  note: string | null;
}

export async function insertPlan(db: Db, organisationId: string, episodeId: string, values: PlanValues): Promise<void> {
  await db
    .insertInto('release_plan')
    .values({ organisation_id: organisationId, episode_id: episodeId, ...values })
    .execute();
}

export async function updatePlan(db: Db, organisationId: string, episodeId: string, version: number, values: PlanValues) {
  const result = await db
    .updateTable('release_plan')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function checklist(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('release_checklist')
    .select(['item_code', 'state', 'note', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .execute();
}

export type ChecklistState = 'to_do' | 'done' | 'not_needed' | 'declined';

export async function setChecklistItem(
  db: Db,
  organisationId: string,
  episodeId: string,
  userId: string | null,
  item: { code: string; state: ChecklistState; note: string | null },
): Promise<void> {
  const values = { state: item.state, note: item.note, updated_at: new Date(), updated_by: userId };
  await db
    .insertInto('release_checklist')
    .values({ organisation_id: organisationId, episode_id: episodeId, item_code: item.code, ...values })
    .onConflict((oc) => oc.columns(['organisation_id', 'episode_id', 'item_code']).doUpdateSet(values))
    .execute();
}

/** Active users holding one of the roles, for the "who meets them at the gate" choice. */
export async function activeUsersWithRoles(db: Db, organisationId: string, roles: readonly string[]) {
  if (roles.length === 0) return [];
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'active')
    .where('role', 'in', [...roles])
    .orderBy((eb) => eb.fn('lower', ['display_name']))
    .orderBy('id')
    .execute();
}
