import { type Db, inTransaction } from '../db/database.ts';
import { GENESIS_HASH } from './chain.ts';
import * as queries from './queries.ts';
import { hashOf, seal } from './sealer.ts';

export { seal, sealAndClose, startSealer } from './sealer.ts';

export interface Actor {
  userId: string | null;
  label: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'system' };

export interface AuditEntry {
  organisationId: string | null;
  actor: Actor;
  action: string;
  subjectType?: string;
  subjectId?: string;
  reason?: string;
  detail?: Record<string, unknown>;
}

/**
 * Appends one event. Pass the transaction that makes the change being
 * audited, so the change and its audit row commit or fail together. The event
 * is chained afterwards by the sealer (sealer.ts), so no lock is taken here.
 */
export async function record(executor: Db, entry: AuditEntry): Promise<void> {
  await recordMany(executor, [entry]);
}

/**
 * Appends events in the order given (ids follow it, and the sealer chains in
 * id order, so a batch stays in order in its chain): one insert a slice, for
 * bulk work such as an import.
 */
export async function recordMany(executor: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const occurredAt = new Date();
  const rows = entries.map((entry) => ({
    organisation_id: entry.organisationId,
    occurred_at: occurredAt,
    actor_user_id: entry.actor.userId,
    actor_label: entry.actor.label,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail ?? {},
  }));
  // One statement is atomic on its own; more need a transaction to commit together.
  if (rows.length <= queries.EVENTS_PER_STATEMENT) await queries.insertEvents(executor, rows);
  else await inTransaction(executor, (trx) => queries.insertEvents(trx, rows));
}

export const list = queries.listEvents;
export const actions = queries.distinctActions;

export interface VerifyResult {
  checked: number;
  firstBroken?: { id: number; organisationId: string | null; problem: string };
}

/**
 * Seals what is waiting, then walks every chain in chain order and reports
 * the first event that does not follow from the one before. Events appended
 * while it runs are left for the next check.
 */
export async function verify(db: Db, pageSize = 5000): Promise<VerifyResult> {
  await seal(db);
  const lastByChain = new Map<string, string>();
  let checked = 0;
  let afterPosition = 0;
  for (;;) {
    const page = await queries.chainPage(db, afterPosition, pageSize);
    if (page.length === 0) return { checked };
    for (const row of page) {
      const key = row.organisation_id ?? 'instance';
      const expectedPrevious = lastByChain.get(key) ?? GENESIS_HASH;
      const broken = (problem: string) => ({
        checked,
        firstBroken: { id: row.id, organisationId: row.organisation_id, problem },
      });
      if (row.previous_hash !== expectedPrevious) {
        return broken('does not follow the previous event in its chain (an event was removed or reordered)');
      }
      if (hashOf(row.previous_hash, row) !== row.hash) return broken('its contents no longer match its hash (it was altered)');
      lastByChain.set(key, row.hash);
      checked += 1;
      afterPosition = row.chain_position!;
    }
  }
}
