import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/**
 * The subject access read model: everything held on one person, across the
 * tables of every module that keeps something about them. These queries only
 * read; the owning modules keep their rules. Every query filters by the
 * organisation and by the person's own ids (their person id, their episodes'
 * ids, their contacts' and jobs' ids), so nobody else's rows can appear.
 * Table and column names here are constants of this file, never input.
 */

export type Row = Record<string, unknown>;

/** Rows of `table` whose `column` is one of `ids`, oldest first by `orderBy`. */
async function rowsWhere(db: Db, organisationId: string, table: string, column: string, ids: readonly string[], orderBy: string, columns = sql`*`): Promise<Row[]> {
  if (ids.length === 0) return [];
  const result = await sql<Row>`
    select ${columns} from ${sql.table(table)}
     where organisation_id = ${organisationId}
       and ${sql.ref(column)} in (${sql.join(ids.map((id) => sql`${id}::uuid`))})
     order by ${sql.ref(orderBy)}`.execute(db);
  return result.rows;
}

export async function personRow(db: Db, organisationId: string, personId: string): Promise<Row | undefined> {
  const result = await sql<Row>`select * from person where organisation_id = ${organisationId} and id = ${personId}::uuid`.execute(db);
  return result.rows[0];
}

const ids = (rows: Row[], column = 'id') => rows.map((row) => String(row[column]));

/** The episode-owned tables, each with its column ordering rows oldest first. */
const EPISODE_TABLES = [
  ['referrals', 'referral', 'received_on'],
  ['custodySpells', 'custody_spell', 'id'],
  ['prisonStays', 'prison_stay', 'arrived_on'],
  ['releaseDates', 'release_date', 'on_date'],
  ['releases', 'release', 'released_on'],
  ['releasePlans', 'release_plan', 'episode_id'],
  ['releaseChecklist', 'release_checklist', 'item_code'],
  ['tasks', 'task', 'due_on'],
  ['allocations', 'allocation', 'allocated_at'],
  ['custodyEvents', 'custody_event', 'occurred_on'],
  ['benefitsSessions', 'benefits_session', 'held_on'],
  ['employmentPlans', 'employment_plan', 'episode_id'],
  ['jobSearchActivities', 'job_search_activity', 'occurred_on'],
] as const;

export type SectionKey =
  | 'aliases'
  | 'episodes'
  | (typeof EPISODE_TABLES)[number][0]
  | 'contacts'
  | 'contactRevisions'
  | 'vocationalProfiles'
  | 'benefitClaims'
  | 'employerContacts'
  | 'jobs'
  | 'jobCheckpoints'
  | 'storedFiles'
  | 'referralDrafts'
  | 'consents'
  | 'personRevisions'
  | 'auditEvents';

/** Everything held on the person, section by section (raw rows; the service marks what needs review). */
export async function everythingAbout(db: Db, organisationId: string, personId: string): Promise<Record<SectionKey, Row[]>> {
  const byPerson = (table: string, orderBy: string, columns?: ReturnType<typeof sql>) =>
    rowsWhere(db, organisationId, table, 'person_id', [personId], orderBy, columns);
  const episodes = await byPerson('episode', 'referred_on');
  const episodeIds = ids(episodes);
  const byEpisode = (table: string, orderBy: string) => rowsWhere(db, organisationId, table, 'episode_id', episodeIds, orderBy);
  const episodeSections = Object.fromEntries(
    await Promise.all(EPISODE_TABLES.map(async ([key, table, orderBy]) => [key, await byEpisode(table, orderBy)] as const)),
  ) as Record<(typeof EPISODE_TABLES)[number][0], Row[]>;
  const contacts = await byEpisode('contact', 'occurred_at');
  const jobs = await byEpisode('job', 'starts_on');
  return {
    aliases: await byPerson('person_alias', 'family_name'),
    episodes,
    ...episodeSections,
    contacts,
    contactRevisions: await rowsWhere(db, organisationId, 'contact_revision', 'contact_id', ids(contacts), 'revised_at'),
    vocationalProfiles: await byPerson('vocational_profile', 'version'),
    benefitClaims: await byPerson('benefit_claim', 'created_at'),
    employerContacts: await employerContactsFor(db, organisationId, episodeIds),
    jobs,
    jobCheckpoints: await rowsWhere(db, organisationId, 'job_checkpoint', 'job_id', ids(jobs), 'confirmed_on'),
    // The file's details, never its bytes: the files themselves are released separately if asked for.
    storedFiles: await byPerson(
      'stored_file',
      'uploaded_at',
      sql`id, organisation_id, person_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at`,
    ),
    referralDrafts: await byPerson('referral_draft', 'created_at'),
    consents: await byPerson('person_consent', 'given_on'),
    personRevisions: await byPerson('person_revision', 'revised_at'),
    auditEvents: await auditEventsAbout(db, organisationId, personId, episodeIds),
  };
}

/**
 * Contacts with employers made on the person's behalf: only the contact's own
 * details and the employer's name, not who else it was for.
 */
async function employerContactsFor(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<Row[]> {
  if (episodeIds.length === 0) return [];
  const result = await sql<Row>`
    select ec.id, p.episode_id, e.name as employer_name, ec.occurred_on, ec.method_code, ec.purpose_code, ec.note, ec.created_at
      from employer_contact_participant p
      join employer_contact ec on ec.id = p.employer_contact_id and ec.organisation_id = p.organisation_id
      join employer e on e.id = ec.employer_id and e.organisation_id = ec.organisation_id
     where p.organisation_id = ${organisationId}
       and p.episode_id in (${sql.join(episodeIds.map((id) => sql`${id}::uuid`))})
     order by ec.occurred_on, ec.id`.execute(db);
  return result.rows;
}

/** Who viewed or changed the record: audit events whose subject is the person or one of their episodes. */
async function auditEventsAbout(db: Db, organisationId: string, personId: string, episodeIds: readonly string[]): Promise<Row[]> {
  const episodes = episodeIds.length > 0 ? sql`or (subject_type = 'episode' and subject_id in (${sql.join([...episodeIds])}))` : sql``;
  const result = await sql<Row>`
    select id, occurred_at, actor_label, action, subject_type, subject_id, reason, detail
      from audit_event
     where organisation_id = ${organisationId}
       and ((subject_type = 'person' and subject_id = ${personId}) ${episodes})
     order by id`.execute(db);
  return result.rows;
}
