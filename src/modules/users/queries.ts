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
