import { type Insertable, type RawBuilder, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { AllocationTable, CustodyEventTable, EpisodeTable, ReferralTable } from './tables.ts';

/**
 * The only SQL of the episodes module. Every query is scoped by
 * organisation_id, so another organisation's episode is simply not found.
 */

const EPISODE_WITH_PERSON = [
  'episode.id',
  'episode.person_id',
  'episode.team_id',
  'episode.key_worker_id',
  'episode.referred_on',
  'episode.stage',
  'episode.met_in_custody_on',
  'episode.seen_in_community_on',
  'episode.engaged_on',
  'episode.in_work_on',
  'episode.exited_on',
  'episode.exit_reason_code',
  'episode.exit_note',
  'episode.version',
  'person.given_name',
  'person.family_name',
  'person.preferred_name',
  'key_worker.display_name as key_worker_name',
] as const;

export async function findEpisode(db: Db, organisationId: string, episodeId: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('episode')
    .innerJoin('person', (join) =>
      join.onRef('person.id', '=', 'episode.person_id').onRef('person.organisation_id', '=', 'episode.organisation_id'),
    )
    .leftJoin('app_user as key_worker', 'key_worker.id', 'episode.key_worker_id')
    .select(EPISODE_WITH_PERSON)
    .where('episode.organisation_id', '=', organisationId)
    .where('episode.id', '=', episodeId);
  if (options.forUpdate) query = query.forUpdate('episode');
  return query.executeTakeFirst();
}

export async function episodesForPerson(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('episode')
    .leftJoin('referral', (join) =>
      join.onRef('referral.episode_id', '=', 'episode.id').onRef('referral.organisation_id', '=', 'episode.organisation_id'),
    )
    .leftJoin('app_user as key_worker', 'key_worker.id', 'episode.key_worker_id')
    .select([
      'episode.id',
      'episode.referred_on',
      'episode.stage',
      'episode.exited_on',
      'episode.exit_reason_code',
      'key_worker.display_name as key_worker_name',
      'referral.status as referral_status',
    ])
    .where('episode.organisation_id', '=', organisationId)
    .where('episode.person_id', '=', personId)
    .orderBy('episode.referred_on', 'desc')
    .orderBy('episode.id', 'desc')
    .execute();
}

export async function findReferral(db: Db, organisationId: string, episodeId: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('referral')
    .leftJoin('app_user as decider', 'decider.id', 'referral.decided_by')
    .leftJoin('app_user as creator', 'creator.id', 'referral.created_by')
    .selectAll('referral')
    .select(['decider.display_name as decided_by_name', 'creator.display_name as created_by_name'])
    .where('referral.organisation_id', '=', organisationId)
    .where('referral.episode_id', '=', episodeId);
  if (options.forUpdate) query = query.forUpdate('referral');
  return query.executeTakeFirst();
}

export type EpisodeRow = NonNullable<Awaited<ReturnType<typeof findEpisode>>>;
export type ReferralRow = NonNullable<Awaited<ReturnType<typeof findReferral>>>;

/**
 * Serialises changes to one person's episodes for the rest of the
 * transaction, so two referrals submitted at once cannot both open an episode.
 */
export async function lockPersonEpisodes(trx: Db, personId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`episodes:${personId}`}, 0))`.execute(trx);
}

/**
 * The one definition of an open episode, as SQL over an episode alias, for
 * caseloads, boards and counts: not exited, and its referral not declined or
 * withdrawn.
 */
export function isOpenEpisode(alias: string): RawBuilder<boolean> {
  const episode = sql.table(alias);
  return sql<boolean>`(${episode}.exited_on is null and not exists (
    select 1 from referral closed
     where closed.episode_id = ${episode}.id
       and closed.organisation_id = ${episode}.organisation_id
       and closed.status in ('declined', 'withdrawn')))`;
}

/**
 * An open episode: not exited, and its referral not declined or withdrawn
 * (a declined referral never started support, so it must not block a new one).
 */
export async function openEpisodeFor(db: Db, organisationId: string, personId: string, exceptEpisodeId?: string) {
  let query = db
    .selectFrom('episode')
    .leftJoin('referral', (join) =>
      join.onRef('referral.episode_id', '=', 'episode.id').onRef('referral.organisation_id', '=', 'episode.organisation_id'),
    )
    .select(['episode.id', 'episode.referred_on'])
    .where('episode.organisation_id', '=', organisationId)
    .where('episode.person_id', '=', personId)
    .where('episode.exited_on', 'is', null)
    .where((eb) => eb.or([eb('referral.status', 'is', null), eb('referral.status', 'in', ['pending', 'accepted'])]));
  if (exceptEpisodeId) query = query.where('episode.id', '<>', exceptEpisodeId);
  return query.executeTakeFirst();
}

export async function insertEpisode(trx: Db, values: Insertable<EpisodeTable>) {
  return trx.insertInto('episode').values(values).returning(['id', 'version']).executeTakeFirstOrThrow();
}

export async function insertReferral(trx: Db, values: Insertable<ReferralTable>) {
  await trx.insertInto('referral').values(values).execute();
}

export async function insertAllocation(trx: Db, values: Insertable<AllocationTable>) {
  await trx.insertInto('allocation').values(values).execute();
}

/** Closes whichever allocation is current, so exactly one row per episode has no end. */
export async function endCurrentAllocation(trx: Db, organisationId: string, episodeId: string, at: Date) {
  await trx
    .updateTable('allocation')
    .set({ ended_at: at })
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('ended_at', 'is', null)
    .execute();
}

export async function allocationHistory(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('allocation')
    .leftJoin('app_user as worker', 'worker.id', 'allocation.worker_id')
    .leftJoin('app_user as allocator', 'allocator.id', 'allocation.allocated_by')
    .select([
      'allocation.id',
      'allocation.worker_id',
      'allocation.allocated_at',
      'allocation.ended_at',
      'allocation.handover_note',
      'worker.display_name as worker_name',
      'allocator.display_name as allocated_by_name',
    ])
    .where('allocation.organisation_id', '=', organisationId)
    .where('allocation.episode_id', '=', episodeId)
    .orderBy('allocation.allocated_at', 'desc')
    .orderBy('allocation.id', 'desc')
    .execute();
}

/** Active users of the organisation in roles that may hold a caseload. */
export async function workers(db: Db, organisationId: string, roles: readonly string[]) {
  if (roles.length === 0) return [];
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'active')
    .where('role', 'in', roles as never[])
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

/** Changes an episode only if it is still at the version the form was loaded from; undefined when stale. */
export async function updateEpisodeIfCurrent(
  trx: Db,
  organisationId: string,
  episodeId: string,
  version: number,
  values: Updateable<EpisodeTable>,
) {
  return trx
    .updateTable('episode')
    .set({ ...values, updated_at: new Date(), version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', episodeId)
    .where('version', '=', version)
    .returning(['id', 'version'])
    .executeTakeFirst();
}

export async function updateReferralIfCurrent(
  trx: Db,
  organisationId: string,
  episodeId: string,
  version: number,
  values: Updateable<ReferralTable>,
) {
  return trx
    .updateTable('referral')
    .set({ ...values, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('version', '=', version)
    .returning(['episode_id', 'version'])
    .executeTakeFirst();
}

export async function insertCustodyEvent(trx: Db, values: Insertable<CustodyEventTable>) {
  return trx
    .insertInto('custody_event')
    .values(values)
    .returning(['id', 'episode_id', 'kind_code', 'reason_code', 'occurred_on', 'note'])
    .executeTakeFirstOrThrow();
}

export async function custodyEvents(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('custody_event')
    .leftJoin('app_user as recorder', 'recorder.id', 'custody_event.recorded_by')
    .select([
      'custody_event.id',
      'custody_event.kind_code',
      'custody_event.reason_code',
      'custody_event.occurred_on',
      'custody_event.note',
      'recorder.display_name as recorded_by_name',
    ])
    .where('custody_event.organisation_id', '=', organisationId)
    .where('custody_event.episode_id', '=', episodeId)
    .orderBy('custody_event.occurred_on', 'desc')
    .orderBy('custody_event.id', 'desc')
    .execute();
}

/** Pending referrals, oldest first, optionally only those from the peer-advisor intake. */
export async function pendingReferrals(
  db: Db,
  organisationId: string,
  filters: { peerOnly: boolean },
  limit: number,
  offset: number,
) {
  let query = db
    .selectFrom('referral')
    .innerJoin('episode', (join) =>
      join.onRef('episode.id', '=', 'referral.episode_id').onRef('episode.organisation_id', '=', 'referral.organisation_id'),
    )
    .innerJoin('person', (join) =>
      join.onRef('person.id', '=', 'episode.person_id').onRef('person.organisation_id', '=', 'episode.organisation_id'),
    )
    .where('referral.organisation_id', '=', organisationId)
    .where('referral.status', '=', 'pending');
  if (filters.peerOnly) query = query.where('referral.created_by_peer_advisor', '=', true);
  const rows = await query
    .select([
      'episode.id as episode_id',
      'referral.received_on',
      'referral.source_code',
      'referral.reason',
      'referral.created_by_peer_advisor',
      'person.given_name',
      'person.family_name',
      'person.preferred_name',
      'person.prison_number',
    ])
    .orderBy('referral.received_on')
    .orderBy('episode.id')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export async function findDraft(db: Db, organisationId: string, personId: string, userId: string) {
  return db
    .selectFrom('referral_draft')
    .select(['id', 'answers', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('created_by', '=', userId)
    .executeTakeFirst();
}

export async function saveDraft(db: Db, organisationId: string, personId: string, userId: string, answers: Record<string, unknown>) {
  await db
    .insertInto('referral_draft')
    .values({ organisation_id: organisationId, person_id: personId, created_by: userId, answers: JSON.stringify(answers) })
    .onConflict((oc) =>
      oc
        .columns(['organisation_id', 'person_id', 'created_by'])
        .doUpdateSet({ answers: JSON.stringify(answers), updated_at: new Date() }),
    )
    .execute();
}

export async function deleteDraft(trx: Db, organisationId: string, personId: string, userId: string) {
  await trx
    .deleteFrom('referral_draft')
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('created_by', '=', userId)
    .execute();
}
