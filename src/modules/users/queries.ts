import type { Db } from '../../platform/db/database.ts';

export async function insertUser(
  db: Db,
  row: {
    organisation_id: string;
    team_id: string | null;
    email: string;
    display_name: string;
    role: string;
    practitioner_kind: string | null;
    status: 'invited' | 'active';
    password_hash: string | null;
  },
) {
  return db.insertInto('app_user').values(row).returning(['id', 'organisation_id', 'email', 'display_name', 'role']).executeTakeFirstOrThrow();
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export type UserStatus = 'invited' | 'active' | 'deactivated';

export interface UserListFilters {
  search: string;
  role: string;
  /** A team id, 'none' for users with no team, or '' for any. */
  team: string;
  status: UserStatus | '';
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}

function userSelect(db: Db, organisationId: string) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('team as t', (join) => join.onRef('t.id', '=', 'u.team_id').onRef('t.organisation_id', '=', 'u.organisation_id'))
    .where('u.organisation_id', '=', organisationId);
}

const USER_COLUMNS = [
  'u.id',
  'u.organisation_id',
  'u.email',
  'u.display_name',
  'u.role',
  'u.practitioner_kind',
  'u.status',
  'u.team_id',
  't.name as team_name',
  'u.totp_enabled_at',
  'u.failed_sign_ins',
  'u.locked_until',
  'u.last_sign_in_at',
  'u.password_hash',
  'u.created_at',
  'u.version',
] as const;

function filtered(db: Db, organisationId: string, filters: UserListFilters) {
  let query = userSelect(db, organisationId);
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search)}%`;
    query = query.where((eb) => eb.or([eb('u.display_name', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
  }
  if (filters.role) query = query.where('u.role', '=', filters.role);
  if (filters.team === 'none') query = query.where('u.team_id', 'is', null);
  else if (filters.team) query = query.where('u.team_id', '=', filters.team);
  if (filters.status) query = query.where('u.status', '=', filters.status);
  return query;
}

/** One page of an organisation's users, by name, and how many match in all. */
export async function listUsers(db: Db, organisationId: string, filters: UserListFilters, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, organisationId, filters)
      .select(USER_COLUMNS)
      .orderBy((eb) => eb.fn('lower', ['u.display_name']))
      .orderBy('u.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered(db, organisationId, filters)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One user of the organisation; `forUpdate` locks the row for the rest of the transaction. */
export async function findUser(db: Db, organisationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = userSelect(db, organisationId).select(USER_COLUMNS).where('u.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('u');
  return query.executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

/** Returns false when the version has moved on: someone else saved first, and nothing is written. */
export async function updateRoleAndTeam(
  db: Db,
  organisationId: string,
  id: string,
  version: number,
  values: { role: string; practitioner_kind: string | null; team_id: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('app_user')
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setStatus(db: Db, organisationId: string, id: string, status: UserStatus): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) => ({ status, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

export async function clearLock(db: Db, organisationId: string, id: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) => ({ locked_until: null, failed_sign_ins: 0, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** Stops every unused emailed link of a user working, so a deactivated account cannot be brought back by one. */
export async function expireOneTimeTokens(db: Db, organisationId: string, userId: string): Promise<number> {
  const result = await db
    .updateTable('one_time_token')
    .set({ expires_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The team a user belongs to, if any: where a new episode is opened, and where the caseload and release board open. */
export async function teamOfUser(db: Db, organisationId: string, userId: string): Promise<string | null> {
  const row = await db.selectFrom('app_user').select('team_id').where('organisation_id', '=', organisationId).where('id', '=', userId).executeTakeFirst();
  return row?.team_id ?? null;
}
