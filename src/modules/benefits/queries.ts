import type { Db } from '../../platform/db/database.ts';

export function counsellingDates(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db
    .selectFrom('benefits_session')
    .select(['episode_id', 'held_on'])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', 'in', [...episodeIds])
    .orderBy('held_on')
    .execute();
}
