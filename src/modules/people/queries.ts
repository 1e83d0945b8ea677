import { type Expression, type Selectable, type SqlBool, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { PersonTable } from './tables.ts';

/** The columns a caller may insert or update: everything but identity, tenancy, timestamps and version. */
export type PersonValues = Omit<Selectable<PersonTable>, 'id' | 'organisation_id' | 'created_at' | 'updated_at' | 'version' | 'merged_into_id'>;

export async function findPerson(db: Db, organisationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('person').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function insertPerson(db: Db, organisationId: string, values: PersonValues) {
  return db
    .insertInto('person')
    .values({ ...values, organisation_id: organisationId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * Many people in one statement, with ids made by the caller. The rows travel
 * as one JSON parameter (jsonb_populate_recordset casts each column, arrays
 * included), so a statement is not limited by the number of bind parameters.
 * Column names come from PersonValues' keys, never from input.
 */
export async function insertPeople(db: Db, organisationId: string, people: ReadonlyArray<PersonValues & { id: string }>) {
  if (people.length === 0) return;
  const columns = sql.join(Object.keys(people[0]).map((column) => sql.ref(column)));
  await sql`
    insert into person (organisation_id, ${columns})
    select ${organisationId}::uuid, ${columns}
      from jsonb_populate_recordset(null::person, ${JSON.stringify(people)}::jsonb)
  `.execute(db);
}

/** Saves only if nobody saved since `version` was read; returns false for a stale save. */
export async function updatePerson(db: Db, organisationId: string, id: string, version: number, values: Partial<PersonValues>) {
  const result = await db
    .updateTable('person')
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Keeps the previous values of an edit's changed columns (rectification history), in the edit's transaction. */
export async function insertRevision(
  db: Db,
  row: { organisation_id: string; person_id: string; revised_by: string | null; reason: string | null; previous: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('person_revision')
    .values({ ...row, previous: JSON.stringify(row.previous) })
    .execute();
}

/** A person's revisions, oldest first, with who made each. */
export async function listRevisions(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('person_revision as r')
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'r.revised_by'))
    .select(['r.id', 'r.revised_at', 'r.reason', 'r.previous', 'u.display_name as revised_by_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.person_id', '=', personId)
    .orderBy('r.revised_at')
    .orderBy('r.id')
    .execute();
}

export async function aliasesOf(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('person_alias')
    .select(['id', 'given_name', 'family_name', 'kind'])
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
}

export async function insertAliases(
  db: Db,
  organisationId: string,
  personId: string,
  aliases: Array<{ givenName: string; familyName: string; kind?: 'alias' | 'previous_name' | 'other_spelling' }>,
) {
  if (aliases.length === 0) return;
  await db
    .insertInto('person_alias')
    .values(
      aliases.map((alias) => ({
        organisation_id: organisationId,
        person_id: personId,
        given_name: alias.givenName,
        family_name: alias.familyName,
        kind: alias.kind ?? 'alias',
      })),
    )
    .execute();
}

export async function deleteAliases(db: Db, organisationId: string, personId: string, aliasIds: string[]) {
  if (aliasIds.length === 0) return;
  await db
    .deleteFrom('person_alias')
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('id', 'in', aliasIds)
    .execute();
}

/** Identifier values already normalised by identifiers.ts; the PNC is compared by its century-free key. */
export interface IdentifierQuery {
  prisonNumber?: string | null;
  crn?: string | null;
  pncKey?: string | null;
  nhsNumber?: string | null;
  niNumber?: string | null;
}

export interface PersonSearch {
  name: string;
  dateOfBirth: string | null;
  identifiers: IdentifierQuery;
}

// How alike two names must be to count as a match: pg_trgm's similarity, 0 to 1.
// 0.3 is pg_trgm's own default; below it, unrelated names start to appear.
const NAME_THRESHOLD = 0.3;

const fullName = sql<string>`lower(p.given_name || ' ' || p.family_name)`;
const reversedName = sql<string>`lower(p.family_name || ' ' || p.given_name)`;

/** How well the query matches the main name (either order) and, separately, the best alias. */
function nameScores(name: string) {
  const q = name.toLowerCase();
  const main = sql<number>`greatest(similarity(${fullName}, ${q}), similarity(${reversedName}, ${q}))`;
  const alias = sql<number>`coalesce((
    select max(greatest(similarity(lower(a.given_name || ' ' || a.family_name), ${q}),
                        similarity(lower(a.family_name || ' ' || a.given_name), ${q})))
    from person_alias a where a.organisation_id = p.organisation_id and a.person_id = p.id), 0)`;
  return { main, alias };
}

function identifierConditions(ids: IdentifierQuery): Array<Expression<SqlBool>> {
  const conditions: Array<Expression<SqlBool>> = [];
  if (ids.prisonNumber) conditions.push(sql<SqlBool>`p.prison_number = ${ids.prisonNumber}`);
  if (ids.crn) conditions.push(sql<SqlBool>`p.crn = ${ids.crn}`);
  if (ids.pncKey) conditions.push(sql<SqlBool>`right(p.pnc_id, 11) = ${ids.pncKey}`);
  if (ids.nhsNumber) conditions.push(sql<SqlBool>`p.nhs_number = ${ids.nhsNumber}`);
  if (ids.niNumber) conditions.push(sql<SqlBool>`p.ni_number = ${ids.niNumber}`);
  return conditions;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}

/**
 * The people list: each filter given narrows the list. A name matches when it
 * is similar (in either order, or to an alias) or contains the text typed.
 */
export async function searchPeople(db: Db, organisationId: string, search: PersonSearch, limit: number, offset: number) {
  const { main, alias } = nameScores(search.name || '');
  const contains = `%${escapeLike(search.name.toLowerCase())}%`;
  let query = db
    .selectFrom('person as p')
    .where('p.organisation_id', '=', organisationId)
    .where('p.merged_into_id', 'is', null);
  if (search.name) {
    query = query.where(
      sql<SqlBool>`(${main} >= ${NAME_THRESHOLD} or ${alias} >= ${NAME_THRESHOLD}
        or ${fullName} like ${contains} or ${reversedName} like ${contains})`,
    );
  }
  if (search.dateOfBirth) query = query.where('p.date_of_birth', '=', search.dateOfBirth);
  const ids = identifierConditions(search.identifiers);
  if (ids.length > 0) query = query.where((eb) => eb.or(ids));

  const totalRow = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth', 'p.prison_number', 'p.crn'])
    .select(sql<number>`greatest(${main}, ${alias})`.as('score'))
    .orderBy(search.name ? sql`greatest(${main}, ${alias})` : sql`p.family_name`, search.name ? 'desc' : 'asc')
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('p.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(totalRow.total) };
}

/** A person who may be the one an import row describes: what the importer compares. */
export type CandidatePerson = Pick<
  Selectable<PersonTable>,
  'id' | 'given_name' | 'family_name' | 'date_of_birth' | 'prison_number' | 'crn' | 'pnc_id' | 'nhs_number' | 'ni_number'
>;

const CANDIDATE_COLUMNS = [
  'p.id',
  'p.given_name',
  'p.family_name',
  'p.date_of_birth',
  'p.prison_number',
  'p.crn',
  'p.pnc_id',
  'p.nhs_number',
  'p.ni_number',
] as const;

/**
 * Candidates for "is this person already here?": anyone sharing an
 * identifier, anyone with a similar name, and anyone born the same day whose
 * name is at least loosely alike. The service scores and explains them.
 */
export async function matchCandidates(db: Db, organisationId: string, search: PersonSearch, limit: number) {
  const { main, alias } = nameScores(search.name || '');
  const conditions: Array<Expression<SqlBool>> = identifierConditions(search.identifiers);
  if (search.name) conditions.push(sql<SqlBool>`(${main} >= ${NAME_THRESHOLD} or ${alias} >= ${NAME_THRESHOLD})`);
  if (search.name && search.dateOfBirth) {
    conditions.push(sql<SqlBool>`(p.date_of_birth = ${search.dateOfBirth} and greatest(${main}, ${alias}) >= 0.1)`);
  } else if (search.dateOfBirth && !search.name) {
    conditions.push(sql<SqlBool>`p.date_of_birth = ${search.dateOfBirth}`);
  }
  if (conditions.length === 0) return [];
  return db
    .selectFrom('person as p')
    .where('p.organisation_id', '=', organisationId)
    .where('p.merged_into_id', 'is', null)
    .where((eb) => eb.or(conditions))
    .select(CANDIDATE_COLUMNS)
    .select(main.as('name_score'))
    .select(alias.as('alias_score'))
    .limit(limit)
    .execute();
}

/** Identifier values of many rows at once, normalised by identifiers.ts; PNC ids by their century-free key. */
export interface IdentifierSets {
  prisonNumbers: string[];
  crns: string[];
  pncKeys: string[];
  nhsNumbers: string[];
  niNumbers: string[];
}

/** Unmerged people of the organisation holding any of these identifiers: one statement for a whole import chunk. */
export async function peopleHoldingIdentifiers(db: Db, organisationId: string, ids: IdentifierSets): Promise<CandidatePerson[]> {
  const conditions: Array<Expression<SqlBool>> = [];
  if (ids.prisonNumbers.length > 0) conditions.push(sql<SqlBool>`p.prison_number = any(${sql.val(ids.prisonNumbers)}::text[])`);
  if (ids.crns.length > 0) conditions.push(sql<SqlBool>`p.crn = any(${sql.val(ids.crns)}::text[])`);
  if (ids.pncKeys.length > 0) conditions.push(sql<SqlBool>`right(p.pnc_id, 11) = any(${sql.val(ids.pncKeys)}::text[])`);
  if (ids.nhsNumbers.length > 0) conditions.push(sql<SqlBool>`p.nhs_number = any(${sql.val(ids.nhsNumbers)}::text[])`);
  if (ids.niNumbers.length > 0) conditions.push(sql<SqlBool>`p.ni_number = any(${sql.val(ids.niNumbers)}::text[])`);
  if (conditions.length === 0) return [];
  return db
    .selectFrom('person as p')
    .select(CANDIDATE_COLUMNS)
    .where('p.organisation_id', '=', organisationId)
    .where('p.merged_into_id', 'is', null)
    .where((eb) => eb.or(conditions))
    .execute();
}

/**
 * Unmerged people born on one of these days whose names have the same
 * person_name_key (migration 0011) as the names given that day: candidates,
 * coarser than the exact comparison the caller then makes. Uses the index
 * person_birth_name_key, one probe a name.
 */
export async function peopleByBirthAndNameKey(
  db: Db,
  organisationId: string,
  names: ReadonlyArray<{ givenName: string; familyName: string; dateOfBirth: string }>,
): Promise<CandidatePerson[]> {
  if (names.length === 0) return [];
  // Lateral, so each name is one index probe even when the planner's statistics say the table is tiny
  // (a big import into a new organisation): a hash join would key every person of the organisation.
  const result = await sql<CandidatePerson>`
    select distinct p.id, p.given_name, p.family_name, p.date_of_birth, p.prison_number, p.crn, p.pnc_id, p.nhs_number, p.ni_number
      from unnest(${sql.val(names.map((n) => n.givenName))}::text[], ${sql.val(names.map((n) => n.familyName))}::text[],
                  ${sql.val(names.map((n) => n.dateOfBirth))}::date[]) as k(given_name, family_name, date_of_birth)
      cross join lateral (
        select * from person
         where organisation_id = ${organisationId}
           and date_of_birth is not null
           and date_of_birth = k.date_of_birth
           and person_name_key(family_name) = person_name_key(k.family_name)
           and person_name_key(given_name) = person_name_key(k.given_name)
           and merged_into_id is null
      ) p
  `.execute(db);
  return result.rows;
}

/**
 * Folds `duplicateId` into `keptId`: the duplicate keeps its row (history)
 * but points at the kept person, and everything hanging off it moves across.
 * Episodes belong to people, so moving them is a people-owned operation.
 */
export async function mergeInto(db: Db, organisationId: string, duplicateId: string, keptId: string) {
  await db
    .updateTable('person')
    .set((eb) => ({ merged_into_id: keptId, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', duplicateId)
    .execute();
  // Anyone merged into the duplicate earlier now points straight at the kept person.
  await db
    .updateTable('person')
    .set({ merged_into_id: keptId })
    .where('organisation_id', '=', organisationId)
    .where('merged_into_id', '=', duplicateId)
    .execute();
  const episodes = await db
    .updateTable('episode')
    .set({ person_id: keptId, updated_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', duplicateId)
    .returning('id')
    .execute();
  const aliases = await db
    .updateTable('person_alias')
    .set({ person_id: keptId })
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', duplicateId)
    .returning('id')
    .execute();
  await moveEmploymentRecords(db, organisationId, duplicateId, keptId);
  await db
    .updateTable('person')
    .set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', keptId)
    .execute();
  return { episodeIds: episodes.map((row) => row.id), aliasCount: aliases.length };
}

/**
 * Person-level employment records follow the kept person. The two vocational
 * profiles' versions become one history, numbered again in the order they were
 * recorded, so the most recently recorded profile is the current one.
 */
async function moveEmploymentRecords(db: Db, organisationId: string, duplicateId: string, keptId: string) {
  for (const table of ['benefit_claim', 'stored_file'] as const) {
    await db.updateTable(table).set({ person_id: keptId }).where('organisation_id', '=', organisationId).where('person_id', '=', duplicateId).execute();
  }
  await sql`
    update vocational_profile
       set person_id = ${keptId}, version = version + case when person_id = ${duplicateId} then 2000000 else 1000000 end
     where organisation_id = ${organisationId} and person_id in (${duplicateId}, ${keptId})`.execute(db);
  await sql`
    update vocational_profile p set version = n.version
      from (select id, row_number() over (order by recorded_at, id) as version
              from vocational_profile where organisation_id = ${organisationId} and person_id = ${keptId}) n
     where p.id = n.id`.execute(db);
}
