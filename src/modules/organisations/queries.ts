import type { Db } from '../../platform/db/database.ts';

export async function insertOrganisation(db: Db, name: string, kind: 'provider' | 'commissioner' | 'operator') {
  return db.insertInto('organisation').values({ name, kind }).returning(['id', 'name', 'kind']).executeTakeFirstOrThrow();
}

export async function findOrganisationByName(db: Db, name: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind'])
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

/** Every organisation on the instance with its count of active and invited users: the system administrator's view. */
export async function listOrganisationsWithUserCounts(db: Db) {
  return db
    .selectFrom('organisation as o')
    .leftJoin('app_user as u', (join) => join.onRef('u.organisation_id', '=', 'o.id').on('u.status', '!=', 'deactivated'))
    .select((eb) => ['o.id', 'o.name', 'o.kind', 'o.created_at', eb.fn.count<number>('u.id').as('user_count')])
    .groupBy(['o.id', 'o.name', 'o.kind', 'o.created_at'])
    .orderBy('o.name')
    .execute();
}

export async function listOrganisationsOfKind(db: Db, kind: 'provider' | 'commissioner') {
  return db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', kind).orderBy('name').execute();
}

/** Every commission with its commissioning organisation and the providers it covers, one row per provider. */
export async function listCommissionsWithProviders(db: Db) {
  return db
    .selectFrom('commission as c')
    .innerJoin('organisation as co', 'co.id', 'c.organisation_id')
    .leftJoin('commission_provider as cp', (join) =>
      join.onRef('cp.commission_id', '=', 'c.id').onRef('cp.organisation_id', '=', 'c.organisation_id'),
    )
    .leftJoin('organisation as p', 'p.id', 'cp.provider_organisation_id')
    .select(['c.id', 'c.name', 'c.starts_on', 'c.ends_on', 'co.name as commissioner_name', 'p.name as provider_name'])
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.name')
    .orderBy('p.name')
    .execute();
}

export async function findOrganisation(db: Db, id: string) {
  return db.selectFrom('organisation').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

export async function insertTeam(db: Db, organisationId: string, name: string) {
  return db
    .insertInto('team')
    .values({ organisation_id: organisationId, name })
    .returning(['id', 'name', 'organisation_id', 'created_at', 'version'])
    .executeTakeFirstOrThrow();
}

export async function findTeam(db: Db, organisationId: string, id: string) {
  return db
    .selectFrom('team')
    .select(['id', 'name', 'organisation_id', 'created_at', 'version'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findTeamByName(db: Db, organisationId: string, name: string) {
  return db
    .selectFrom('team')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function listTeams(db: Db, organisationId: string) {
  return db
    .selectFrom('team')
    .select(['id', 'name', 'organisation_id', 'created_at', 'version'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export async function insertCommission(
  db: Db,
  row: { organisation_id: string; name: string; starts_on: string; ends_on: string | null },
) {
  return db.insertInto('commission').values(row).returning(['id']).executeTakeFirstOrThrow();
}

export async function insertCommissionProvider(
  db: Db,
  row: { organisation_id: string; commission_id: string; provider_organisation_id: string },
) {
  await db.insertInto('commission_provider').values(row).execute();
}

/** Provider organisations whose aggregates a commissioning organisation may see today. */
export async function commissionedProviders(db: Db, commissionerOrganisationId: string, onDate: string) {
  return db
    .selectFrom('commission as c')
    .innerJoin('commission_provider as cp', (join) =>
      join.onRef('cp.commission_id', '=', 'c.id').onRef('cp.organisation_id', '=', 'c.organisation_id'),
    )
    .innerJoin('organisation as o', 'o.id', 'cp.provider_organisation_id')
    .select(['c.id as commission_id', 'c.name as commission_name', 'o.id', 'o.name'])
    .where('c.organisation_id', '=', commissionerOrganisationId)
    .where('c.starts_on', '<=', onDate)
    .where((eb) => eb.or([eb('c.ends_on', 'is', null), eb('c.ends_on', '>=', onDate)]))
    .orderBy('o.name')
    .execute();
}

function teamsWithMemberCounts(db: Db, organisationId: string) {
  return db
    .selectFrom('team as t')
    .leftJoin('app_user as u', (join) =>
      join.onRef('u.team_id', '=', 't.id').onRef('u.organisation_id', '=', 't.organisation_id').on('u.status', '!=', 'deactivated'),
    )
    .select(['t.id', 't.name', 't.created_at', 't.version'])
    .select((eb) => eb.fn.count<number>('u.id').as('member_count'))
    .where('t.organisation_id', '=', organisationId)
    .groupBy(['t.id', 't.name', 't.created_at', 't.version']);
}

/** Teams with how many users (invited or active, not deactivated) belong to each. */
export async function listTeamsWithMemberCounts(db: Db, organisationId: string) {
  return teamsWithMemberCounts(db, organisationId).orderBy((eb) => eb.fn('lower', ['t.name'])).execute();
}

export async function findTeamWithMemberCount(db: Db, organisationId: string, id: string) {
  return teamsWithMemberCounts(db, organisationId).where('t.id', '=', id).executeTakeFirst();
}
