import type { Db } from '../../platform/db/database.ts';
import type { Insertable } from 'kysely';
import type { VocationalProfileTable } from './tables.ts';

/** The latest version of each person's profile: the facts other modules match against. */
export function currentProfileFacts(db: Db, organisationId: string, personIds: readonly string[]) {
  return db
    .selectFrom('vocational_profile')
    .select(['person_id', 'version', 'licence_conditions', 'preferred_job_types'])
    .distinctOn('person_id')
    .where('organisation_id', '=', organisationId)
    .where('person_id', 'in', [...personIds])
    .orderBy('person_id')
    .orderBy('version', 'desc')
    .execute();
}

/**
 * Locks the person's row for the rest of the transaction, so two saves of one
 * profile take version numbers one after the other. (The people module owns
 * the row; this only locks it.) False when the person is not the organisation's.
 */
export async function lockPerson(db: Db, organisationId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .where('merged_into_id', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

const withRecorder = (db: Db) =>
  db.selectFrom('vocational_profile as p').leftJoin('app_user as u', 'u.id', 'p.recorded_by').selectAll('p').select('u.display_name as recorded_by_name');

/** The newest version, or undefined when the person has no profile. */
export function latestProfile(db: Db, organisationId: string, personId: string) {
  return withRecorder(db)
    .where('p.organisation_id', '=', organisationId)
    .where('p.person_id', '=', personId)
    .orderBy('p.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** One version and the one before it (if any), newest first. */
export function versionAndPrevious(db: Db, organisationId: string, personId: string, version: number) {
  return withRecorder(db)
    .where('p.organisation_id', '=', organisationId)
    .where('p.person_id', '=', personId)
    .where('p.version', 'in', [version, version - 1])
    .orderBy('p.version', 'desc')
    .execute();
}

export function listVersions(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('vocational_profile as p')
    .leftJoin('app_user as u', 'u.id', 'p.recorded_by')
    .select(['p.version', 'p.recorded_at', 'u.display_name as recorded_by_name'])
    .where('p.organisation_id', '=', organisationId)
    .where('p.person_id', '=', personId)
    .orderBy('p.version', 'desc')
    .execute();
}

export function insertProfile(db: Db, values: Insertable<VocationalProfileTable>) {
  return db.insertInto('vocational_profile').values(values).returning(['id', 'version']).executeTakeFirstOrThrow();
}
