import type { Db } from '../../platform/db/database.ts';

export async function findUserForSignIn(db: Db, email: string) {
  return db
    .selectFrom('app_user')
    .select([
      'id',
      'organisation_id',
      'email',
      'display_name',
      'role',
      'status',
      'password_hash',
      'failed_sign_ins',
      'locked_until',
      'totp_enabled_at',
    ])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function findUser(db: Db, organisationId: string, userId: string) {
  return db
    .selectFrom('app_user')
    .select([
      'id',
      'organisation_id',
      'email',
      'display_name',
      'role',
      'status',
      'totp_secret_encrypted',
      'totp_enabled_at',
      'totp_last_step',
      'failed_sign_ins',
      'locked_until',
      'version',
    ])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function recordFailedSignIn(db: Db, userId: string, lockUntil: Date | null): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) =>
      lockUntil
        ? { failed_sign_ins: 0, locked_until: lockUntil }
        : { failed_sign_ins: eb('failed_sign_ins', '+', 1) },
    )
    .where('id', '=', userId)
    .execute();
}

export async function recordSuccessfulSignIn(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function setPassword(db: Db, organisationId: string, userId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) => ({
      password_hash: passwordHash,
      status: 'active',
      failed_sign_ins: 0,
      locked_until: null,
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .execute();
}

export async function setPendingTotpSecret(db: Db, organisationId: string, userId: string, sealed: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ totp_secret_encrypted: sealed, totp_enabled_at: null, totp_last_step: null, updated_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .execute();
}

export async function enableTotp(db: Db, organisationId: string, userId: string, step: number): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) => ({
      totp_enabled_at: new Date(),
      totp_last_step: step,
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .execute();
}

export async function disableTotp(db: Db, organisationId: string, userId: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) => ({
      totp_enabled_at: null,
      totp_secret_encrypted: null,
      totp_last_step: null,
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .execute();
}

/** Returns false when the step was already used: two requests racing with one code, only one wins. */
export async function advanceTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('app_user')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertOneTimeToken(
  db: Db,
  row: { organisation_id: string; user_id: string; purpose: 'password_reset' | 'invitation'; token_hash: string; expires_at: Date },
): Promise<void> {
  await db.insertInto('one_time_token').values(row).execute();
}

export async function findOneTimeToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('one_time_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.organisation_id',
      't.user_id',
      't.purpose',
      't.expires_at',
      't.used_at',
      'u.email',
      'u.display_name',
      'u.status',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks the token used only if it still is unused, so a link clicked twice at once works once. */
export async function consumeOneTimeToken(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('one_time_token')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function expireUnusedTokens(
  db: Db,
  organisationId: string,
  userId: string,
  purpose: 'password_reset' | 'invitation',
): Promise<void> {
  await db
    .updateTable('one_time_token')
    .set({ expires_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .execute();
}
