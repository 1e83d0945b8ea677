import type { Db } from '../../platform/db/database.ts';

/** The values a contact records: what a form or API body sets, and what a revision keeps. */
export interface ContactValues {
  occurred_at: Date;
  type_code: string;
  setting_code: string;
  with_code: string;
  attended: boolean;
  duration_minutes: number | null;
  note: string | null;
  pathway_code: string | null;
}

/**
 * Locks the episode row for the rest of the transaction, so two contacts saved
 * at once on one episode recompute its stage one after the other, each seeing
 * the other's contact. (The episodes module owns the row; this only locks it.)
 */
export async function lockEpisode(db: Db, organisationId: string, episodeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('episode')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', episodeId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function episodeStage(db: Db, organisationId: string, episodeId: string) {
  const row = await db
    .selectFrom('episode')
    .select('stage')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  return row.stage;
}

// Contacts are shown with who recorded or deleted them: a read-only join to
// app_user for display names, the same projection the audit log makes.
function contactSelect(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('contact as c')
    .leftJoin('app_user as recorder', (join) => join.onRef('recorder.id', '=', 'c.recorded_by'))
    .leftJoin('app_user as deleter', (join) => join.onRef('deleter.id', '=', 'c.deleted_by'))
    .where('c.organisation_id', '=', organisationId)
    .where('c.episode_id', '=', episodeId);
}

const CONTACT_COLUMNS = [
  'c.id',
  'c.episode_id',
  'c.occurred_at',
  'c.type_code',
  'c.setting_code',
  'c.with_code',
  'c.attended',
  'c.duration_minutes',
  'c.note',
  'c.pathway_code',
  'c.recorded_by',
  'recorder.display_name as recorded_by_name',
  'c.deleted_at',
  'deleter.display_name as deleted_by_name',
  'c.delete_reason',
  'c.created_at',
  'c.updated_at',
  'c.version',
] as const;

/** One page of an episode's contacts, newest first, and how many there are in all. */
export async function listContacts(
  db: Db,
  organisationId: string,
  episodeId: string,
  options: { includeDeleted: boolean; limit: number; offset: number },
) {
  const filtered = () => {
    const query = contactSelect(db, organisationId, episodeId);
    return options.includeDeleted ? query : query.where('c.deleted_at', 'is', null);
  };
  const rows = await filtered()
    .select(CONTACT_COLUMNS)
    .orderBy('c.occurred_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  const count = await filtered()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

export async function findContact(db: Db, organisationId: string, episodeId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = contactSelect(db, organisationId, episodeId).select(CONTACT_COLUMNS).where('c.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('c');
  return query.executeTakeFirst();
}

export type ContactRow = NonNullable<Awaited<ReturnType<typeof findContact>>>;

export async function insertContact(
  db: Db,
  row: ContactValues & { organisation_id: string; episode_id: string; recorded_by: string | null },
): Promise<{ id: string }> {
  return db.insertInto('contact').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertRevision(
  db: Db,
  row: { organisation_id: string; contact_id: string; revised_by: string | null; previous: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('contact_revision')
    .values({ ...row, previous: JSON.stringify(row.previous) })
    .execute();
}

/** Returns false when the version has moved on: someone else saved first, and nothing is written. */
export async function updateContact(
  db: Db,
  organisationId: string,
  id: string,
  version: number,
  values: ContactValues,
): Promise<boolean> {
  const result = await db
    .updateTable('contact')
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function softDeleteContact(
  db: Db,
  organisationId: string,
  id: string,
  values: { deleted_by: string | null; delete_reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('contact')
    .set((eb) => ({ ...values, deleted_at: new Date(), updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A contact's earlier versions, newest first, with who changed each. */
export async function listRevisions(db: Db, organisationId: string, contactId: string) {
  return db
    .selectFrom('contact_revision as r')
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'r.revised_by'))
    .select(['r.id', 'r.revised_at', 'u.display_name as revised_by_name', 'r.previous'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.contact_id', '=', contactId)
    .orderBy('r.revised_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}
