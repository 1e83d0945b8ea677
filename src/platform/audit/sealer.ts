import type { Database, Db } from '../db/database.ts';
import { GENESIS_HASH, hashEvent } from './chain.ts';
import * as queries from './queries.ts';

/** The hash an event should have after previousHash, from the row as stored (as verification reads it). */
export function hashOf(previousHash: string, row: queries.AuditRow): string {
  return hashEvent(previousHash, {
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
}

/**
 * Chains every committed, unsealed event onto the end of its organisation's
 * chain, oldest id first, under the sealer's lock: events are appended without
 * any lock (record, recordMany), so the order they commit in does not matter;
 * an event that commits late is sealed in a later pass, after the ones sealed
 * before it. Returns how many it sealed.
 */
export async function seal(db: Db, batchSize = 2000): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      await queries.lockSealer(trx);
      const rows = await queries.unsealedEvents(trx, batchSize);
      if (rows.length === 0) return 0;
      let position = await queries.lastChainPosition(trx);
      const lastByChain = new Map<string | null, string>();
      const seals: queries.Seal[] = [];
      for (const row of rows) {
        if (!lastByChain.has(row.organisation_id)) {
          lastByChain.set(row.organisation_id, (await queries.lastSealedHash(trx, row.organisation_id)) ?? GENESIS_HASH);
        }
        const previousHash = lastByChain.get(row.organisation_id)!;
        const hash = hashOf(previousHash, row);
        position += 1;
        seals.push({ id: row.id, chainPosition: position, previousHash, hash });
        lastByChain.set(row.organisation_id, hash);
      }
      await queries.writeSeals(trx, seals);
      return rows.length;
    });
    sealed += count;
    if (count < batchSize) return sealed;
  }
}

/**
 * Seals every intervalMs in the background (the server runs one). stop()
 * waits for a pass in progress and seals once more, so a clean shutdown
 * leaves nothing unsealed.
 */
export function startSealer(db: Db, onError: (error: unknown) => void, intervalMs = 1000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const pass = (): Promise<void> => {
    running ??= seal(db)
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await pass();
    },
  };
}

/**
 * For a command-line run that opened the database itself: seals the events it
 * appended (no server may be running to do it), whatever happened, then closes.
 */
export async function sealAndClose(database: Database): Promise<void> {
  try {
    await seal(database.db);
  } finally {
    await database.close();
  }
}
