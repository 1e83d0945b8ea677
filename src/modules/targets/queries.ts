import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { inOrganisations } from '../outcomes/queries/cohort.ts';

/** The commissions an organisation holds, newest first. */
export async function commissionsHeldBy(db: Db, organisationId: string) {
  return db
    .selectFrom('commission')
    .select(['id', 'name', 'starts_on', 'ends_on'])
    .where('organisation_id', '=', organisationId)
    .orderBy('starts_on', 'desc')
    .orderBy('name')
    .execute();
}

/** The providers each of the organisation's commissions covers. */
export async function providersOf(db: Db, organisationId: string) {
  return db
    .selectFrom('commission_provider as cp')
    .innerJoin('organisation as p', 'p.id', 'cp.provider_organisation_id')
    .select(['cp.commission_id', 'p.id', 'p.name'])
    .where('cp.organisation_id', '=', organisationId)
    .orderBy('p.name')
    .execute();
}

export async function targetsOf(db: Db, organisationId: string) {
  return db
    .selectFrom('commission_target')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('starts_on', 'desc')
    .orderBy('measure_code')
    .orderBy('id')
    .execute();
}

export async function findTarget(db: Db, organisationId: string, id: string) {
  return db
    .selectFrom('commission_target as t')
    .innerJoin('commission as c', (join) => join.onRef('c.id', '=', 't.commission_id').onRef('c.organisation_id', '=', 't.organisation_id'))
    .selectAll('t')
    .select('c.name as commission_name')
    .where('t.organisation_id', '=', organisationId)
    .where('t.id', '=', id)
    .executeTakeFirst();
}

export async function insertTarget(
  db: Db,
  values: { organisation_id: string; commission_id: string; measure_code: string; target: number; starts_on: string; ends_on: string; note: string | null; created_by: string | null },
) {
  return db.insertInto('commission_target').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function deleteTarget(db: Db, organisationId: string, id: string) {
  const result = await db.deleteFrom('commission_target').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * A commission's targets, for a report over some of its providers: none unless
 * the commission covers at least one of them, so a report can only show the
 * targets of a commission its organisations belong to.
 */
export async function targetsForReport(db: Db, commissionId: string, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('commission_target as t')
    .selectAll('t')
    .where('t.commission_id', '=', commissionId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('commission_provider as cp')
          .select(sql`1`.as('one'))
          .whereRef('cp.commission_id', '=', 't.commission_id')
          .whereRef('cp.organisation_id', '=', 't.organisation_id')
          .where(inOrganisations('cp.provider_organisation_id', organisationIds)),
      ),
    )
    .orderBy('t.starts_on')
    .orderBy('t.measure_code')
    .orderBy('t.id')
    .execute();
}

/** Of the given organisations, those the commission covers. */
export async function coveredProviders(db: Db, commissionId: string, organisationIds: readonly string[]): Promise<string[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom('commission_provider')
    .select('provider_organisation_id')
    .where('commission_id', '=', commissionId)
    .where(inOrganisations('provider_organisation_id', organisationIds))
    .execute();
  return [...new Set(rows.map((row) => row.provider_organisation_id))];
}

/** Every provider a commission covers. */
export async function providersOfCommission(db: Db, commissionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('commission_provider as cp')
    .innerJoin('commission as c', (join) => join.onRef('c.id', '=', 'cp.commission_id').onRef('c.organisation_id', '=', 'cp.organisation_id'))
    .select('cp.provider_organisation_id')
    .where('cp.commission_id', '=', commissionId)
    .execute();
  return [...new Set(rows.map((row) => row.provider_organisation_id))];
}
