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
  previous_hash: string | null;
  hash: string | null;
  chain_position: number | null;
}

export type NewAuditRow = Omit<AuditRow, 'id' | 'previous_hash' | 'hash' | 'chain_position'>;

/** Inserts in array order, so ids follow the order given; in slices, to stay under the bind-parameter limit. Unsealed: no lock. */
export const EVENTS_PER_STATEMENT = 2000;

export async function insertEvents(trx: Db, rows: readonly NewAuditRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += EVENTS_PER_STATEMENT) {
    await trx
      .insertInto('audit_event')
      .values(rows.slice(start, start + EVENTS_PER_STATEMENT).map((row) => ({ ...row, detail: JSON.stringify(row.detail) })))
      .execute();
  }
}

/** One sealer at a time, until its transaction ends; appenders never take it. */
export async function lockSealer(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('audit:sealer'))`.execute(trx);
}

/** Committed events not yet sealed, oldest id first. */
export async function unsealedEvents(trx: Db, limit: number): Promise<AuditRow[]> {
  return (await trx.selectFrom('audit_event').selectAll().where('chain_position', 'is', null).orderBy('id').limit(limit).execute()) as AuditRow[];
}

export async function lastChainPosition(trx: Db): Promise<number> {
  const row = await trx.selectFrom('audit_event').select((eb) => eb.fn.max('chain_position').as('last')).executeTakeFirst();
  return Number(row?.last ?? 0);
}

/** The hash of a chain's last sealed event. */
export async function lastSealedHash(trx: Db, organisationId: string | null): Promise<string | undefined> {
  const row = await trx
    .selectFrom('audit_event')
    .select('hash')
    .where((eb) => (organisationId === null ? eb('organisation_id', 'is', null) : eb('organisation_id', '=', organisationId)))
    .where('chain_position', 'is not', null)
    .orderBy('chain_position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash ?? undefined;
}

export interface Seal {
  id: number;
  chainPosition: number;
  previousHash: string;
  hash: string;
}

/** Writes seals in one statement a slice (the append-only trigger allows exactly this change). */
export async function writeSeals(trx: Db, seals: readonly Seal[]): Promise<void> {
  const perStatement = 2000;
  for (let start = 0; start < seals.length; start += perStatement) {
    const values = seals
      .slice(start, start + perStatement)
      .map((seal) => sql`(${seal.id}::bigint, ${seal.chainPosition}::bigint, ${seal.previousHash}, ${seal.hash})`);
    await sql`
      update audit_event as a
      set chain_position = v.chain_position, previous_hash = v.previous_hash, hash = v.hash
      from (values ${sql.join(values)}) as v(id, chain_position, previous_hash, hash)
      where a.id = v.id and a.chain_position is null`.execute(trx);
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

/** Sealed events in chain order, one page at a time, so verification never loads the whole table. */
export async function chainPage(db: Db, afterPosition: number, limit: number): Promise<AuditRow[]> {
  return (await db
    .selectFrom('audit_event')
    .selectAll()
    .where('chain_position', '>', afterPosition)
    .orderBy('chain_position')
    .limit(limit)
    .execute()) as AuditRow[];
}
