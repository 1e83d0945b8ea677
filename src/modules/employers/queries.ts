import type { Db } from '../../platform/db/database.ts';

/** Date of the first face-to-face employer contact made on each episode's behalf. */
export function firstFaceToFaceContacts(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db
    .selectFrom('employer_contact_participant as p')
    .innerJoin('employer_contact as c', (join) => join.onRef('c.id', '=', 'p.employer_contact_id').onRef('c.organisation_id', '=', 'p.organisation_id'))
    .select(['p.episode_id'])
    .select((eb) => eb.fn.min('c.occurred_on').as('first_on'))
    .where('p.organisation_id', '=', organisationId)
    .where('p.episode_id', 'in', [...episodeIds])
    .where('c.method_code', '=', 'face_to_face')
    .groupBy('p.episode_id')
    .execute();
}
