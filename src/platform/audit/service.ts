import type { Db } from '../db/database.ts';
import { type ChainedFields, GENESIS_HASH, hashEvent } from './chain.ts';
import * as queries from './queries.ts';

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
 * Appends one event to its organisation's chain. Pass the transaction that
 * makes the change being audited, so the change and its audit row commit or
 * fail together.
 */
export async function record(executor: Db, entry: AuditEntry): Promise<void> {
  await recordMany(executor, [entry]);
}

function chainedFields(entry: AuditEntry, occurredAt: Date): ChainedFields {
  return {
    organisationId: entry.organisationId,
    occurredAt,
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail ?? {},
  };
}

/**
 * Appends events in the order given, each chained to the one before, taking
 * each chain's lock once: for bulk work such as an import, where one event a
 * row would otherwise cost a lock and a lookup a row.
 */
export async function recordMany(executor: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!executor.isTransaction) {
    await executor.transaction().execute((trx) => recordMany(trx, entries));
    return;
  }
  const chains = [...new Set(entries.map((entry) => entry.organisationId))];
  const lastByChain = new Map<string | null, string>();
  for (const organisationId of chains) {
    await queries.lockChain(executor, organisationId);
    lastByChain.set(organisationId, (await queries.lastHash(executor, organisationId)) ?? GENESIS_HASH);
  }
  const occurredAt = new Date();
  const rows = entries.map((entry) => {
    const fields = chainedFields(entry, occurredAt);
    const previousHash = lastByChain.get(entry.organisationId) ?? GENESIS_HASH;
    const hash = hashEvent(previousHash, fields);
    lastByChain.set(entry.organisationId, hash);
    return {
      organisation_id: fields.organisationId,
      occurred_at: fields.occurredAt,
      actor_user_id: fields.actorUserId,
      actor_label: fields.actorLabel,
      action: fields.action,
      subject_type: fields.subjectType,
      subject_id: fields.subjectId,
      reason: fields.reason,
      detail: fields.detail,
      previous_hash: previousHash,
      hash,
    };
  });
  await queries.insertEvents(executor, rows);
}

export const list = queries.listEvents;
export const actions = queries.distinctActions;

export interface VerifyResult {
  checked: number;
  firstBroken?: { id: number; organisationId: string | null; problem: string };
}

/** Walks every chain in id order and reports the first event that does not follow from the one before. */
export async function verify(db: Db, pageSize = 5000): Promise<VerifyResult> {
  const lastByChain = new Map<string, string>();
  let checked = 0;
  let afterId = 0;
  for (;;) {
    const page = await queries.chainPage(db, afterId, pageSize);
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
      const recomputed = hashEvent(row.previous_hash, {
        organisationId: row.organisation_id,
        occurredAt: row.occurred_at,
        actorUserId: row.actor_user_id,
        actorLabel: row.actor_label,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        reason: row.reason,
        detail: row.detail,
      });
      if (recomputed !== row.hash) return broken('its contents no longer match its hash (it was altered)');
      lastByChain.set(key, row.hash);
      checked += 1;
      afterId = row.id;
    }
  }
}
