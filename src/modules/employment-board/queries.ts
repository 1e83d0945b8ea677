import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { isOpenEpisode } from '../episodes/service.ts';

/**
 * The employment board reads across the journey and employment tables
 * (episode, person, app_user, employer_contact and its participants): a read
 * model that writes nothing, like the caseload.
 */

export interface BoardRow {
  episode_id: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  key_worker_name: string | null;
  days_since_employer_contact: number | null;
}

/** Open episodes of one key worker, or of the whole organisation, with days since the last employer contact on each person's behalf. */
export async function boardEpisodes(db: Db, organisationId: string, keyWorkerId: string | null, today: string): Promise<BoardRow[]> {
  const result = await sql<BoardRow>`
    select e.id as episode_id, p.given_name, p.family_name, p.preferred_name, kw.display_name as key_worker_name,
           (${today}::date - last.on_date) as days_since_employer_contact
      from episode e
      join person p on p.organisation_id = e.organisation_id and p.id = e.person_id
      left join app_user kw on kw.organisation_id = e.organisation_id and kw.id = e.key_worker_id
      left join lateral (
        select max(ec.occurred_on) as on_date from employer_contact ec
          join employer_contact_participant ecp on ecp.employer_contact_id = ec.id and ecp.organisation_id = ec.organisation_id
         where ecp.organisation_id = e.organisation_id and ecp.episode_id = e.id and ec.occurred_on <= ${today}::date
      ) last on true
     where e.organisation_id = ${organisationId}
       and ${isOpenEpisode('e')}
       and (${keyWorkerId}::uuid is null or e.key_worker_id = ${keyWorkerId}::uuid)
     order by lower(p.family_name), lower(p.given_name), e.id
  `.execute(db);
  return result.rows.map((row) => ({
    ...row,
    days_since_employer_contact: row.days_since_employer_contact === null ? null : Number(row.days_since_employer_contact),
  }));
}

export interface WorkerRow {
  id: string;
  display_name: string;
  caseload: number;
  face_to_face_this_week: number;
}

/**
 * Users with their open caseload and their face-to-face employer contacts in
 * the Monday-to-Sunday week containing `today`: one named user (whatever
 * their role), or else every practitioner and manager not deactivated.
 */
export async function workers(db: Db, organisationId: string, today: string, onlyUserId: string | null = null): Promise<WorkerRow[]> {
  const which = onlyUserId
    ? sql`u.id = ${onlyUserId}`
    : sql`u.status <> 'deactivated' and u.role in ('practitioner', 'manager')`;
  const result = await sql<WorkerRow>`
    select u.id, u.display_name,
           (select count(*) from episode e
             where e.organisation_id = u.organisation_id and e.key_worker_id = u.id and ${isOpenEpisode('e')})::int as caseload,
           (select count(*) from employer_contact ec
             where ec.organisation_id = u.organisation_id and ec.specialist_id = u.id and ec.method_code = 'face_to_face'
               and ec.occurred_on >= date_trunc('week', ${today}::date)::date
               and ec.occurred_on < date_trunc('week', ${today}::date)::date + 7)::int as face_to_face_this_week
      from app_user u
     where u.organisation_id = ${organisationId} and ${which}
     order by lower(u.display_name), u.id
  `.execute(db);
  return result.rows.map((row) => ({ ...row, caseload: Number(row.caseload), face_to_face_this_week: Number(row.face_to_face_this_week) }));
}
