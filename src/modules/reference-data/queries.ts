import type { Db } from '../../platform/db/database.ts';

/** Items an organisation may use from some lists: the seeded ones and its own, in display order. */
export async function itemsForLists(db: Db, organisationId: string, listCodes: readonly string[]) {
  if (listCodes.length === 0) return [];
  return db
    .selectFrom('reference_item')
    .select(['id', 'organisation_id', 'list_code', 'code', 'label', 'sort_order', 'active', 'attributes'])
    .where('list_code', 'in', [...listCodes])
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]))
    .orderBy('list_code')
    .orderBy('sort_order')
    .orderBy('label')
    .execute();
}

export async function listDefinitions(db: Db) {
  return db.selectFrom('reference_list').selectAll().orderBy('label').execute();
}
