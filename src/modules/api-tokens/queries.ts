import type { Db } from '../../platform/db/database.ts';

export async function insertToken(
  db: Db,
  row: { organisation_id: string; name: string; role: string; token_hash: string; token_prefix: string; created_by: string },
) {
  return db.insertInto('api_token').values(row).returning(['id', 'name', 'role', 'token_prefix', 'created_at']).executeTakeFirstOrThrow();
}

export async function listTokens(db: Db, organisationId: string) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('app_user as u', (join) => join.onRef('u.id', '=', 't.created_by').onRef('u.organisation_id', '=', 't.organisation_id'))
    .select(['t.id', 't.name', 't.role', 't.token_prefix', 't.created_at', 't.last_used_at', 't.revoked_at', 'u.display_name as created_by_name'])
    .where('t.organisation_id', '=', organisationId)
    .orderBy('t.revoked_at', (ob) => ob.nullsFirst())
    .orderBy('t.created_at', 'desc')
    .execute();
}

export async function findToken(db: Db, organisationId: string, id: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'role', 'token_prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function revokeToken(db: Db, organisationId: string, id: string, revokedBy: string): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date(), revoked_by: revokedBy })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
