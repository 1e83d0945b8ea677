import type { Db } from '../db/database.ts';
import { GENESIS_HASH, hashEvent } from './chain.ts';
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
  if (!executor.isTransaction) {
    await executor.transaction().execute((trx) => record(trx, entry));
    return;
  }
  await queries.lockChain(executor, entry.organisationId);
  const previousHash = (await queries.lastHash(executor, entry.organisationId)) ?? GENESIS_HASH;
  const fields = {
    organisationId: entry.organisationId,
    occurredAt: new Date(),
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail ?? {},
  };
  await queries.insertEvent(executor, {
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
    hash: hashEvent(previousHash, fields),
  });
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
