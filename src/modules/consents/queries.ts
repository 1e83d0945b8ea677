import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { PersonConsentTable } from './tables.ts';

/** A person's consents, newest given first, with who recorded and withdrew each. */
export function listConsents(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('person_consent as c')
    .leftJoin('app_user as recorder', (join) => join.onRef('recorder.id', '=', 'c.recorded_by'))
    .leftJoin('app_user as withdrawer', (join) => join.onRef('withdrawer.id', '=', 'c.withdrawn_by'))
    .selectAll('c')
    .select(['recorder.display_name as recorded_by_name', 'withdrawer.display_name as withdrawn_by_name'])
    .where('c.organisation_id', '=', organisationId)
    .where('c.person_id', '=', personId)
    .orderBy('c.given_on', 'desc')
    .orderBy('c.recorded_at', 'desc')
    .execute();
}

export type ConsentRow = Awaited<ReturnType<typeof listConsents>>[number];

export function findConsent(db: Db, organisationId: string, personId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('person_consent')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function insertConsent(db: Db, row: Insertable<PersonConsentTable>) {
  return db.insertInto('person_consent').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Withdraws only a consent still in force at `version`; false when someone saved first or it is already withdrawn. */
export async function withdrawConsent(
  db: Db,
  organisationId: string,
  id: string,
  version: number,
  values: { withdrawn_on: string; withdrawn_by: string | null; withdrawal_note: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('person_consent')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('withdrawn_on', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether a consent of this kind held on the day: given on or before it, and not withdrawn by then. */
export async function consentHeldOn(db: Db, organisationId: string, personId: string, kindCode: string, onDate: string): Promise<boolean> {
  const row = await db
    .selectFrom('person_consent')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('kind_code', '=', kindCode)
    .where('given_on', '<=', onDate)
    .where((eb) => eb.or([eb('withdrawn_on', 'is', null), eb('withdrawn_on', '>', onDate)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
