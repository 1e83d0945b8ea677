import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { isOpenEpisode } from '../episodes/service.ts';
import type { OpenToConvictions } from './tables.ts';

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

// Employers ----------------------------------------------------------------------

export interface EmployerValues {
  name: string;
  sector_code: string | null;
  size_code: string | null;
  locations: string | null;
  job_types: string[];
  work_features: string[];
  open_to_convictions: OpenToConvictions;
  convictions_note: string | null;
  placements_offered: string | null;
  note: string | null;
}

export interface EmployerFilters {
  q: string;
  sector: string;
  area: string;
  openness: string;
}

/** A user's text inside a LIKE pattern matches literally: its own % and _ are not wildcards. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

function filteredEmployers(db: Db, organisationId: string, filters: EmployerFilters) {
  let query = db.selectFrom('employer as e').where('e.organisation_id', '=', organisationId);
  if (filters.q) query = query.where(sql<boolean>`lower(e.name) like ${containing(filters.q)}`);
  if (filters.sector) query = query.where('e.sector_code', '=', filters.sector);
  if (filters.area) query = query.where(sql<boolean>`lower(coalesce(e.locations, '')) like ${containing(filters.area)}`);
  if (filters.openness) query = query.where('e.open_to_convictions', '=', filters.openness as OpenToConvictions);
  return query;
}

/** One page of the organisation's employers, by name, and how many match in all. */
export async function listEmployers(db: Db, organisationId: string, filters: EmployerFilters, page: { limit: number; offset: number }) {
  const rows = await filteredEmployers(db, organisationId, filters)
    .selectAll('e')
    .orderBy(sql`lower(e.name)`)
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await filteredEmployers(db, organisationId, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

export async function findEmployer(db: Db, organisationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('employer').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type EmployerRow = NonNullable<Awaited<ReturnType<typeof findEmployer>>>;

/** Every employer's id and name, for the contact log's employer select. */
export function employerNames(db: Db, organisationId: string) {
  return db
    .selectFrom('employer')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

export function insertEmployer(db: Db, row: EmployerValues & { organisation_id: string }): Promise<{ id: string }> {
  return db.insertInto('employer').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Returns false when the version has moved on: someone else saved first, and nothing is written. */
export async function updateEmployer(db: Db, organisationId: string, id: string, version: number, values: EmployerValues): Promise<boolean> {
  const result = await db
    .updateTable('employer')
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function employerPeople(db: Db, organisationId: string, employerId: string) {
  return db
    .selectFrom('employer_person')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('employer_id', '=', employerId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

export function insertEmployerPerson(
  db: Db,
  row: { organisation_id: string; employer_id: string; name: string; role: string | null; phone: string | null; email: string | null },
): Promise<{ id: string }> {
  return db.insertInto('employer_person').values(row).returning('id').executeTakeFirstOrThrow();
}

export interface VacancyValues {
  kind: 'job' | 'work_experience';
  title: string;
  job_type_code: string | null;
  hours_per_week: number | null;
  hourly_pay: number | null;
  closes_on: string | null;
  note: string | null;
}

export function vacancies(db: Db, organisationId: string, employerId: string) {
  return db
    .selectFrom('vacancy')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('employer_id', '=', employerId)
    .orderBy('filled')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export function findVacancy(db: Db, organisationId: string, employerId: string, vacancyId: string) {
  return db
    .selectFrom('vacancy')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('employer_id', '=', employerId)
    .where('id', '=', vacancyId)
    .forUpdate()
    .executeTakeFirst();
}

export function insertVacancy(db: Db, row: VacancyValues & { organisation_id: string; employer_id: string }): Promise<{ id: string }> {
  return db.insertInto('vacancy').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function markVacancyFilled(db: Db, organisationId: string, vacancyId: string): Promise<boolean> {
  const result = await db
    .updateTable('vacancy')
    .set({ filled: true })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', vacancyId)
    .where('filled', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// Employer contacts ------------------------------------------------------------

// Contacts are shown with who made them: a read-only join to app_user for
// display names, as the contacts module does.
function contactSelect(db: Db, organisationId: string) {
  return db
    .selectFrom('employer_contact as c')
    .innerJoin('employer as e', (join) => join.onRef('e.id', '=', 'c.employer_id').onRef('e.organisation_id', '=', 'c.organisation_id'))
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'c.specialist_id'))
    .where('c.organisation_id', '=', organisationId);
}

const CONTACT_COLUMNS = [
  'c.id',
  'c.employer_id',
  'e.name as employer_name',
  'c.specialist_id',
  'u.display_name as specialist_name',
  'c.occurred_on',
  'c.method_code',
  'c.purpose_code',
  'c.note',
  'c.created_at',
] as const;

/** The most recent contacts with one employer, by anyone in the organisation. */
export function employerContactsFor(db: Db, organisationId: string, employerId: string, limit: number) {
  return contactSelect(db, organisationId)
    .select(CONTACT_COLUMNS)
    .where('c.employer_id', '=', employerId)
    .orderBy('c.occurred_on', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

/** One page of a specialist's contacts, newest first, optionally within dates; and how many in all. */
export async function specialistContacts(
  db: Db,
  organisationId: string,
  specialistId: string,
  range: { from: string; to: string } | null,
  page: { limit: number; offset: number },
) {
  const filtered = () => {
    const query = contactSelect(db, organisationId).where('c.specialist_id', '=', specialistId);
    return range ? query.where('c.occurred_on', '>=', range.from).where('c.occurred_on', '<=', range.to) : query;
  };
  const rows = await filtered()
    .select(CONTACT_COLUMNS)
    .orderBy('c.occurred_on', 'desc')
    .orderBy('c.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await filtered()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

export type EmployerContactRow = Awaited<ReturnType<typeof employerContactsFor>>[number];

/** The participants of some contacts, with the person's name. */
export function participantsOf(db: Db, organisationId: string, contactIds: readonly string[]) {
  return db
    .selectFrom('employer_contact_participant as p')
    .innerJoin('episode as ep', (join) => join.onRef('ep.id', '=', 'p.episode_id').onRef('ep.organisation_id', '=', 'p.organisation_id'))
    .innerJoin('person as pe', (join) => join.onRef('pe.id', '=', 'ep.person_id').onRef('pe.organisation_id', '=', 'ep.organisation_id'))
    .select(['p.employer_contact_id', 'p.episode_id', 'ep.person_id', 'pe.given_name', 'pe.family_name', 'pe.preferred_name'])
    .where('p.organisation_id', '=', organisationId)
    .where('p.employer_contact_id', 'in', [...contactIds])
    .orderBy('pe.family_name')
    .orderBy('pe.given_name')
    .execute();
}

export function insertEmployerContact(
  db: Db,
  row: {
    organisation_id: string;
    employer_id: string;
    specialist_id: string;
    occurred_on: string;
    method_code: string;
    purpose_code: string;
    note: string | null;
  },
): Promise<{ id: string }> {
  return db.insertInto('employer_contact').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertParticipants(db: Db, organisationId: string, contactId: string, episodeIds: readonly string[]): Promise<void> {
  if (episodeIds.length === 0) return;
  await db
    .insertInto('employer_contact_participant')
    .values(episodeIds.map((episodeId) => ({ organisation_id: organisationId, employer_contact_id: contactId, episode_id: episodeId })))
    .execute();
}

/** Which of these ids are the organisation's episodes. */
export function episodesIn(db: Db, organisationId: string, episodeIds: readonly string[]) {
  return db.selectFrom('episode').select(['id', 'person_id']).where('organisation_id', '=', organisationId).where('id', 'in', [...episodeIds]).execute();
}

/** A worker's open episodes as key worker, with the person's name: the "on behalf of" choices. */
export function openCaseload(db: Db, organisationId: string, keyWorkerId: string) {
  return db
    .selectFrom('episode as ep')
    .innerJoin('person as pe', (join) => join.onRef('pe.id', '=', 'ep.person_id').onRef('pe.organisation_id', '=', 'ep.organisation_id'))
    .select(['ep.id', 'pe.given_name', 'pe.family_name', 'pe.preferred_name'])
    .where('ep.organisation_id', '=', organisationId)
    .where('ep.key_worker_id', '=', keyWorkerId)
    .where(isOpenEpisode('ep'))
    .orderBy('pe.family_name')
    .orderBy('pe.given_name')
    .orderBy('ep.id')
    .execute();
}

/** One episode with its person's name, for prefilling "on behalf of". */
export function episodeWithName(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('episode as ep')
    .innerJoin('person as pe', (join) => join.onRef('pe.id', '=', 'ep.person_id').onRef('pe.organisation_id', '=', 'ep.organisation_id'))
    .select(['ep.id', 'pe.given_name', 'pe.family_name', 'pe.preferred_name'])
    .where('ep.organisation_id', '=', organisationId)
    .where('ep.id', '=', episodeId)
    .executeTakeFirst();
}

/** People who log employer contacts: the organisation's active practitioners and managers. */
export function specialists(db: Db, organisationId: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('organisation_id', '=', organisationId)
    .where('role', 'in', ['practitioner', 'manager'])
    .where('status', '<>', 'deactivated')
    .orderBy(sql`lower(display_name)`)
    .orderBy('id')
    .execute();
}

export function findUser(db: Db, organisationId: string, userId: string) {
  return db.selectFrom('app_user').select(['id', 'display_name']).where('organisation_id', '=', organisationId).where('id', '=', userId).executeTakeFirst();
}

/** A specialist's contacts between two dates (inclusive), with the employer's job types, for the weekly figures. */
export function contactsBetween(db: Db, organisationId: string, specialistId: string, from: string, to: string) {
  return db
    .selectFrom('employer_contact as c')
    .innerJoin('employer as e', (join) => join.onRef('e.id', '=', 'c.employer_id').onRef('e.organisation_id', '=', 'c.organisation_id'))
    .select(['c.id', 'c.occurred_on', 'c.method_code', 'e.job_types'])
    .where('c.organisation_id', '=', organisationId)
    .where('c.specialist_id', '=', specialistId)
    .where('c.occurred_on', '>=', from)
    .where('c.occurred_on', '<=', to)
    .execute();
}
