import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface AuditRow {
  id: number;
  organisation_id: string | null;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
  previous_hash: string;
  hash: string;
}

/** Serialises writers of one organisation's chain until the transaction ends. */
export async function lockChain(trx: Db, organisationId: string | null): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`audit:${organisationId ?? 'instance'}`}))`.execute(
    trx,
  );
}

export async function lastHash(trx: Db, organisationId: string | null): Promise<string | undefined> {
  const row = await trx
    .selectFrom('audit_event')
    .select('hash')
    .where((eb) =>
      organisationId === null ? eb('organisation_id', 'is', null) : eb('organisation_id', '=', organisationId),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

/** Inserts in array order, so ids follow the chain; in slices, to stay under the bind-parameter limit. */
export async function insertEvents(trx: Db, rows: ReadonlyArray<Omit<AuditRow, 'id'>>): Promise<void> {
  const perStatement = 2000;
  for (let start = 0; start < rows.length; start += perStatement) {
    await trx
      .insertInto('audit_event')
      .values(rows.slice(start, start + perStatement).map((row) => ({ ...row, detail: JSON.stringify(row.detail) })))
      .execute();
  }
}

export interface AuditFilter {
  organisationId: string;
  /** Matches actions starting with this, so "auth." finds every auth event; see actionExact. */
  action?: string;
  /** Match action exactly instead (for a pick from distinctActions, where "a.b" must not find "a.b-c"). */
  actionExact?: boolean;
  actorUserId?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

export async function listEvents(db: Db, filter: AuditFilter): Promise<AuditRow[]> {
  let query = db
    .selectFrom('audit_event')
    .selectAll()
    .where('organisation_id', '=', filter.organisationId);
  if (filter.action && filter.actionExact) query = query.where('action', '=', filter.action);
  else if (filter.action) query = query.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.from) query = query.where('occurred_at', '>=', filter.from);
  if (filter.to) query = query.where('occurred_at', '<', filter.to);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return (await query.orderBy('id', 'desc').limit(filter.limit).execute()) as AuditRow[];
}

export async function distinctActions(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select('action')
    .distinct()
    .where('organisation_id', '=', organisationId)
    .orderBy('action')
    .execute();
  return rows.map((row) => row.action);
}

/** Events in chain order, one page at a time, so verification never loads the whole table. */
export async function chainPage(db: Db, afterId: number, limit: number): Promise<AuditRow[]> {
  return (await db
    .selectFrom('audit_event')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()) as AuditRow[];
}
