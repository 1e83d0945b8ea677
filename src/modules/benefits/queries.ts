import type { Db } from '../../platform/db/database.ts';
import type { Insertable } from 'kysely';
import type { BenefitClaimTable, BenefitsSessionTable } from './tables.ts';

export function counsellingDates(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db
    .selectFrom('benefits_session')
    .select(['episode_id', 'held_on'])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', 'in', [...episodeIds])
    .orderBy('held_on')
    .execute();
}

/** The rates row whose tax year contains the date, if any. */
export function ratesOn(db: Db, date: string) {
  return db.selectFrom('benefit_rate').selectAll().where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst();
}

export function listClaims(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('benefit_claim')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .orderBy('started_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** A claim of this person in this organisation, locked for the transaction when asked. */
export function findClaim(db: Db, organisationId: string, personId: string, claimId: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('benefit_claim')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('id', '=', claimId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function insertClaim(db: Db, values: Insertable<BenefitClaimTable>) {
  return db.insertInto('benefit_claim').values(values).returning('id').executeTakeFirstOrThrow();
}

export function endClaim(db: Db, organisationId: string, claimId: string, endedOn: string) {
  return db.updateTable('benefit_claim').set({ ended_on: endedOn }).where('organisation_id', '=', organisationId).where('id', '=', claimId).execute();
}

export function listSessions(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('benefits_session')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .orderBy('held_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export function insertSession(db: Db, values: Insertable<BenefitsSessionTable>) {
  return db.insertInto('benefits_session').values(values).returning('id').executeTakeFirstOrThrow();
}
