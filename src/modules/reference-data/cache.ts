import type { Db } from '../../platform/db/database.ts';

/**
 * Reference lists change rarely (an administrator adds or retires an item)
 * but almost every page reads some, so each process keeps what it has read
 * for a minute. A change made through this process is seen at once (forget);
 * one made by another instance of the app within CACHE_TTL_MS. Reads inside a
 * transaction skip the cache, so a write validates against the database.
 */
export const CACHE_TTL_MS = 60_000;

interface Entry<T> {
  value: T;
  loadedAt: number;
  generation: number;
}

const entries = new WeakMap<Db, Map<string, Entry<unknown>>>();
/** Bumped by forget(organisationId): an entry from an older generation, or a load that began before it, is not used. */
const generations = new Map<string, number>();

const generationOf = (organisationId: string) => generations.get(organisationId) ?? 0;

export function forget(organisationId: string): void {
  generations.set(organisationId, generationOf(organisationId) + 1);
}

/**
 * The fresh cached values among keys, and a keep() for the rest once loaded
 * (in one query, by the caller). keep() drops what was loaded across a forget().
 */
export function lookUp<T>(db: Db, organisationId: string, keys: readonly string[]): { hits: Map<string, T>; keep(loaded: Map<string, T>): void } {
  const hits = new Map<string, T>();
  if (db.isTransaction) return { hits, keep: () => {} };
  const store = entries.get(db) ?? new Map<string, Entry<unknown>>();
  entries.set(db, store);
  const generation = generationOf(organisationId);
  const now = Date.now();
  const cacheKey = (key: string) => `${organisationId}\u0000${key}`;
  for (const key of keys) {
    const hit = store.get(cacheKey(key));
    if (hit && hit.generation === generation && now - hit.loadedAt < CACHE_TTL_MS) hits.set(key, hit.value as T);
  }
  return {
    hits,
    keep(loaded) {
      if (generationOf(organisationId) !== generation) return;
      for (const [key, value] of loaded) store.set(cacheKey(key), { value, loadedAt: now, generation });
    },
  };
}
