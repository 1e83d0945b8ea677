import type { Db } from '../db/database.ts';

export async function insertOutbox(
  db: Db,
  row: { organisation_id: string | null; to_address: string; subject: string; text_body: string; transport: string },
): Promise<string> {
  const inserted = await db.insertInto('email_outbox').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function markSent(db: Db, id: string): Promise<void> {
  await db.updateTable('email_outbox').set({ sent_at: new Date(), error: null }).where('id', '=', id).execute();
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable('email_outbox').set({ error }).where('id', '=', id).execute();
}

export async function listOutbox(db: Db, organisationId: string, limit: number, offset: number) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'transport', 'created_at', 'sent_at', 'error'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countOutbox(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One message, only if it belongs to the organisation. */
export async function findOutboxMessage(db: Db, organisationId: string, id: string) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'transport', 'created_at', 'sent_at', 'error'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
