import type { Db } from '../db/database.ts';

export interface SessionPrincipalRow {
  session_id: string;
  second_factor_verified: boolean;
  last_seen_at: Date;
  user_id: string;
  organisation_id: string;
  organisation_name: string;
  display_name: string;
  email: string;
  role: string;
  totp_enabled_at: Date | null;
}

export async function findLiveSession(
  db: Db,
  sessionId: string,
  idleSince: Date,
): Promise<SessionPrincipalRow | undefined> {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', (join) =>
      join.onRef('u.id', '=', 's.user_id').onRef('u.organisation_id', '=', 's.organisation_id'),
    )
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      's.id as session_id',
      's.second_factor_verified',
      's.last_seen_at',
      'u.id as user_id',
      'u.organisation_id',
      'o.name as organisation_name',
      'u.display_name',
      'u.email',
      'u.role',
      'u.totp_enabled_at',
    ])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', new Date())
    .where('s.last_seen_at', '>', idleSince)
    .where('u.status', '=', 'active')
    .executeTakeFirst();
}

export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: new Date() }).where('id', '=', sessionId).execute();
}

export async function insertSession(
  db: Db,
  row: { id: string; organisation_id: string; user_id: string; second_factor_verified: boolean; expires_at: Date },
): Promise<void> {
  await db.insertInto('user_session').values(row).execute();
}

export async function markSecondFactorVerified(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('user_session').set({ second_factor_verified: true }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Db, organisationId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom('user_session')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, idleSince: Date): Promise<number> {
  const result = await db
    .deleteFrom('user_session')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('last_seen_at', '<=', idleSince)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface ApiTokenPrincipalRow {
  id: string;
  organisation_id: string;
  organisation_name: string;
  name: string;
  role: string;
  last_used_at: Date | null;
}

export async function findActiveApiToken(db: Db, tokenHash: string): Promise<ApiTokenPrincipalRow | undefined> {
  return db
    .selectFrom('api_token as t')
    .innerJoin('organisation as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.organisation_id', 'o.name as organisation_name', 't.name', 't.role', 't.last_used_at'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}
