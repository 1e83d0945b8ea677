import type { Db } from '../../platform/db/database.ts';

/** Everyone in the organisation who could appear as an actor, deactivated people included. */
export async function listActors(db: Db, organisationId: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('organisation_id', '=', organisationId)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}
