import { type Insertable, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ActivityKind, JobSearchActivityTable, StoredFileTable } from './tables.ts';

const activityColumns = [
  'a.id',
  'a.episode_id',
  'a.kind',
  'a.occurred_on',
  'a.employer_id',
  'a.employer_name',
  'a.title',
  'a.outcome_code',
  'a.note',
  'a.file_id',
  'a.provider',
  'a.ends_on',
  'a.completed',
  'a.certificate',
  'a.created_at',
  'a.deleted_at',
] as const;

/** Activities with the employer's name (from the organisation's employers, or as typed) and the CV's name. */
function activities(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('job_search_activity as a')
    .leftJoin('employer as e', (join) => join.onRef('e.id', '=', 'a.employer_id').onRef('e.organisation_id', '=', 'a.organisation_id'))
    .leftJoin('stored_file as f', (join) => join.onRef('f.id', '=', 'a.file_id').onRef('f.organisation_id', '=', 'a.organisation_id'))
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'a.recorded_by').onRef('u.organisation_id', '=', 'a.organisation_id'))
    .select(activityColumns)
    .select(['e.name as employer_record_name', 'f.file_name', 'f.size_bytes', 'f.content_type', 'u.display_name as recorded_by_name'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.episode_id', '=', episodeId);
}

export type ActivityRow = Awaited<ReturnType<typeof findActivity>> & {};

/** One page of an episode's current activities, newest first, with how many match in every row. */
export async function listActivities(db: Db, organisationId: string, episodeId: string, options: { kind: ActivityKind | ''; limit: number; offset: number }) {
  let query = activities(db, organisationId, episodeId)
    .select(sql<string>`count(*) over ()`.as('total'))
    .where('a.deleted_at', 'is', null);
  if (options.kind) query = query.where('a.kind', '=', options.kind);
  const rows = await query.orderBy('a.occurred_on', 'desc').orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(options.limit).offset(options.offset).execute();
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export function findActivity(db: Db, organisationId: string, episodeId: string, activityId: string) {
  return activities(db, organisationId, episodeId).where('a.id', '=', activityId).executeTakeFirst();
}

/** Current activities per episode and kind. */
export function countByKind(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db
    .selectFrom('job_search_activity')
    .select(['episode_id', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', 'in', [...episodeIds])
    .where('deleted_at', 'is', null)
    .groupBy(['episode_id', 'kind'])
    .execute();
}

export async function insertActivity(db: Db, values: Insertable<JobSearchActivityTable>): Promise<string> {
  const row = await db.insertInto('job_search_activity').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function softDeleteActivity(db: Db, organisationId: string, activityId: string): Promise<boolean> {
  const result = await db
    .updateTable('job_search_activity')
    .set({ deleted_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', activityId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertFile(db: Db, values: Insertable<StoredFileTable>): Promise<string> {
  const row = await db.insertInto('stored_file').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findFile(db: Db, organisationId: string, fileId: string) {
  return db
    .selectFrom('stored_file')
    .select(['id', 'person_id', 'file_name', 'content_type', 'size_bytes', 'content'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

/** The organisation's employers, for the employer list on the form. */
export function employerChoices(db: Db, organisationId: string) {
  return db.selectFrom('employer').select(['id', 'name']).where('organisation_id', '=', organisationId).orderBy(sql`lower(name)`).orderBy('id').execute();
}

export async function employerExists(db: Db, organisationId: string, employerId: string): Promise<boolean> {
  const row = await db.selectFrom('employer').select('id').where('organisation_id', '=', organisationId).where('id', '=', employerId).executeTakeFirst();
  return row !== undefined;
}

export function findPlan(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('employment_plan')
    .select(['episode_id', 'job_search_started_on', 'updated_at', 'version'])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
}

export function plansFor(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db
    .selectFrom('employment_plan')
    .select(['episode_id', 'job_search_started_on'])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', 'in', [...episodeIds])
    .execute();
}

export async function insertPlan(db: Db, organisationId: string, episodeId: string, startedOn: string | null): Promise<void> {
  await db.insertInto('employment_plan').values({ organisation_id: organisationId, episode_id: episodeId, job_search_started_on: startedOn }).execute();
}

/** Changes the plan only at the version the form showed; false when someone saved it since. */
export async function updatePlan(db: Db, organisationId: string, episodeId: string, version: number, startedOn: string | null): Promise<boolean> {
  const result = await db
    .updateTable('employment_plan')
    .set({ job_search_started_on: startedOn, updated_at: new Date(), version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
