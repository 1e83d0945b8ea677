import type { Db } from '../../platform/db/database.ts';

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
