import type { Db } from '../../../platform/db/database.ts';

/** Commissions held by a commissioning organisation, with the providers each covers. */
export async function commissionsHeldBy(db: Db, commissionerOrganisationId: string) {
  return db
    .selectFrom('commission as c')
    .leftJoin('commission_provider as cp', (join) => join.onRef('cp.commission_id', '=', 'c.id').onRef('cp.organisation_id', '=', 'c.organisation_id'))
    .leftJoin('organisation as p', 'p.id', 'cp.provider_organisation_id')
    .select(['c.id', 'c.name', 'c.starts_on', 'c.ends_on', 'p.id as provider_id', 'p.name as provider_name'])
    .where('c.organisation_id', '=', commissionerOrganisationId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.name')
    .orderBy('p.name')
    .execute();
}

/** Commissions that cover a provider: a provider may narrow its own report to one, to see the commission's targets. */
export async function commissionsCovering(db: Db, providerOrganisationId: string) {
  return db
    .selectFrom('commission as c')
    .innerJoin('commission_provider as cp', (join) => join.onRef('cp.commission_id', '=', 'c.id').onRef('cp.organisation_id', '=', 'c.organisation_id'))
    .select(['c.id', 'c.name', 'c.starts_on', 'c.ends_on'])
    .where('cp.provider_organisation_id', '=', providerOrganisationId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.name')
    .execute();
}

export async function organisationName(db: Db, id: string) {
  const row = await db.selectFrom('organisation').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? '';
}

/** Teams of the given organisations, for the report's team filter. */
export async function teamsOf(db: Db, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('team')
    .select(['id', 'name', 'organisation_id'])
    .where('organisation_id', 'in', [...organisationIds])
    .orderBy('name')
    .execute();
}
