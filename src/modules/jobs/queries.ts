import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { WageRate } from './rules.ts';

/** What a save sets on a job row; competitive and minimum_hourly_rate are derived by the service. */
export interface JobValues {
  employer_id: string;
  title: string;
  job_type_code: string;
  starts_on: string;
  counted_start_on: string | null;
  hours_per_week: number;
  hourly_pay: number;
  permanent: boolean;
  self_employed: boolean;
  open_to_anyone: boolean;
  competitive: boolean;
  minimum_hourly_rate: number | null;
}

export interface JobEndValues {
  ends_on: string;
  end_reason_code: string;
  helped_with_next_job: boolean;
  end_note: string | null;
}

/**
 * Locks the episode row for the rest of the transaction, so two job saves on
 * one episode recompute its stage one after the other. (The episodes module
 * owns the row; this only locks it.)
 */
export async function lockEpisode(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('episode as e')
    .innerJoin('person as p', (join) => join.onRef('p.id', '=', 'e.person_id').onRef('p.organisation_id', '=', 'e.organisation_id'))
    .select(['e.id', 'p.date_of_birth'])
    .where('e.organisation_id', '=', organisationId)
    .where('e.id', '=', episodeId)
    .forUpdate('e')
    .executeTakeFirst();
}

export async function episodeStage(db: Db, organisationId: string, episodeId: string) {
  const row = await db
    .selectFrom('episode')
    .select(['stage', 'in_work_on'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  return row;
}

/** The person's date of birth for each episode: the competitive test needs their age on the start date. */
export async function datesOfBirth(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db
    .selectFrom('episode as e')
    .innerJoin('person as p', (join) => join.onRef('p.id', '=', 'e.person_id').onRef('p.organisation_id', '=', 'e.organisation_id'))
    .select(['e.id as episode_id', 'p.date_of_birth'])
    .where('e.organisation_id', '=', organisationId)
    .where('e.id', 'in', [...episodeIds])
    .execute();
}

/** Minimum wage rates are national reference data, not organisation-owned: a small table read whole. */
export async function wageRates(db: Db): Promise<WageRate[]> {
  const rows = await db.selectFrom('minimum_wage_rate').selectAll().orderBy('effective_from').orderBy('min_age').execute();
  return rows.map((row) => ({ effectiveFrom: row.effective_from, minAge: row.min_age, hourlyRate: Number(row.hourly_rate), label: row.label }));
}

/** The organisation's employers for the job form's select, by name. */
export async function employerChoices(db: Db, organisationId: string) {
  return db.selectFrom('employer').select(['id', 'name']).where('organisation_id', '=', organisationId).orderBy(sql`lower(name)`).orderBy('id').execute();
}

export async function employerExists(db: Db, organisationId: string, employerId: string): Promise<boolean> {
  const row = await db.selectFrom('employer').select('id').where('organisation_id', '=', organisationId).where('id', '=', employerId).executeTakeFirst();
  return row !== undefined;
}

function jobSelect(db: Db, organisationId: string) {
  return db
    .selectFrom('job as j')
    .innerJoin('employer as emp', (join) => join.onRef('emp.id', '=', 'j.employer_id').onRef('emp.organisation_id', '=', 'j.organisation_id'))
    .selectAll('j')
    .select('emp.name as employer_name')
    .where('j.organisation_id', '=', organisationId)
    .where('j.deleted_at', 'is', null);
}

/** Every job on the episodes, oldest start first. */
export async function listJobs(db: Db, organisationId: string, episodeIds: readonly string[]) {
  if (episodeIds.length === 0) return [];
  return jobSelect(db, organisationId).where('j.episode_id', 'in', [...episodeIds]).orderBy('j.starts_on').orderBy('j.id').execute();
}

export async function findJob(db: Db, organisationId: string, episodeId: string, jobId: string, options: { forUpdate?: boolean } = {}) {
  let query = jobSelect(db, organisationId).where('j.episode_id', '=', episodeId).where('j.id', '=', jobId);
  if (options.forUpdate) query = query.forUpdate('j');
  return query.executeTakeFirst();
}

export type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

export async function insertJob(
  db: Db,
  row: JobValues & Partial<JobEndValues> & { organisation_id: string; episode_id: string; recorded_by: string | null },
): Promise<{ id: string }> {
  return db.insertInto('job').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Returns false when the version has moved on: someone else saved first, and nothing is written. */
export async function updateJob(db: Db, organisationId: string, id: string, version: number, values: Partial<JobValues & JobEndValues>): Promise<boolean> {
  const result = await db
    .updateTable('job')
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function checkpointsOf(db: Db, organisationId: string, jobIds: readonly string[]) {
  if (jobIds.length === 0) return [];
  return db
    .selectFrom('job_checkpoint')
    .select(['job_id', 'weeks', 'still_in_work', 'confirmed_on'])
    .where('organisation_id', '=', organisationId)
    .where('job_id', 'in', [...jobIds])
    .execute();
}

/** A later confirmation of the same checkpoint replaces the earlier one: the audit trail keeps both. */
export async function saveCheckpoint(
  db: Db,
  row: { organisation_id: string; job_id: string; weeks: 13 | 26 | 52; still_in_work: boolean; confirmed_on: string; confirmed_by: string | null },
): Promise<void> {
  await db
    .insertInto('job_checkpoint')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['job_id', 'weeks']).doUpdateSet({ still_in_work: row.still_in_work, confirmed_on: row.confirmed_on, confirmed_by: row.confirmed_by }),
    )
    .execute();
}

/**
 * The dates of in-work support on each episode's behalf, for follow-along
 * timing: attended contacts (not deleted) with the person or their employer,
 * as UK calendar dates, and the specialist's employer contacts for in-work
 * support naming the episode. Read-only over the contacts and employers
 * modules' tables.
 */
export async function inWorkContactDates(db: Db, organisationId: string, episodeIds: readonly string[]) {
  if (episodeIds.length === 0) return [];
  const contacts = await db
    .selectFrom('contact')
    .select(['episode_id', sql<string>`to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('on')])
    .where('organisation_id', '=', organisationId)
    .where('episode_id', 'in', [...episodeIds])
    .where('attended', '=', true)
    .where('deleted_at', 'is', null)
    .where('with_code', 'in', ['person', 'employer'])
    .execute();
  const employerContacts = await db
    .selectFrom('employer_contact as ec')
    .innerJoin('employer_contact_participant as ecp', (join) =>
      join.onRef('ecp.employer_contact_id', '=', 'ec.id').onRef('ecp.organisation_id', '=', 'ec.organisation_id'),
    )
    .select(['ecp.episode_id', sql<string>`to_char(ec.occurred_on, 'YYYY-MM-DD')`.as('on')])
    .where('ec.organisation_id', '=', organisationId)
    .where('ecp.episode_id', 'in', [...episodeIds])
    .where('ec.purpose_code', '=', 'in_work_support')
    .execute();
  return [...contacts, ...employerContacts];
}
