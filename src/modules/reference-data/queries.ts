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

export async function findList(db: Db, code: string) {
  return db.selectFrom('reference_list').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Each list's count of seeded items and of this organisation's own items. */
export async function itemCounts(db: Db, organisationId: string) {
  return db
    .selectFrom('reference_item')
    .select('list_code')
    .select((eb) => eb.fn.countAll<number>().filterWhere('organisation_id', 'is', null).as('seeded'))
    .select((eb) => eb.fn.countAll<number>().filterWhere('organisation_id', '=', organisationId).as('own'))
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]))
    .groupBy('list_code')
    .execute();
}

export async function findOwnItem(db: Db, organisationId: string, listCode: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('reference_item')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('list_code', '=', listCode)
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function insertItem(db: Db, values: { organisation_id: string; list_code: string; code: string; label: string }) {
  const last = await db
    .selectFrom('reference_item')
    .select((eb) => eb.fn.max('sort_order').as('highest'))
    .where('list_code', '=', values.list_code)
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', values.organisation_id)]))
    .executeTakeFirst();
  return db
    .insertInto('reference_item')
    .values({ ...values, sort_order: Number(last?.highest ?? 0) + 1 })
    .returning(['id', 'code', 'label'])
    .executeTakeFirstOrThrow();
}

export async function setItemActive(db: Db, organisationId: string, id: string, active: boolean) {
  await db.updateTable('reference_item').set({ active }).where('organisation_id', '=', organisationId).where('id', '=', id).execute();
}

export async function findSettings(db: Db, organisationId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('organisation_setting').selectAll().where('organisation_id', '=', organisationId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Creates the organisation's settings row; false when another request created it first. */
export async function insertSettings(db: Db, values: { organisation_id: string; engaged_after_contacts: number; service_area: string | null }) {
  const result = await db
    .insertInto('organisation_setting')
    .values(values)
    .onConflict((conflict) => conflict.column('organisation_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Saves the settings if they are still at `version`; false when someone else saved first. */
export async function updateSettings(
  db: Db,
  organisationId: string,
  version: number,
  values: { engaged_after_contacts: number; service_area: string | null },
) {
  const result = await db
    .updateTable('organisation_setting')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
