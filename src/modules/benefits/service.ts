import type { Db } from '../../platform/db/database.ts';
import * as queries from './queries.ts';

/** IPS fidelity: benefits counselling should come in the 30 days before every job start. */
export const COUNSELLING_WINDOW_DAYS = 30;

/**
 * Dates of each episode's benefits-counselling sessions, oldest first, for
 * the fidelity flag on job starts. The caller has already checked access.
 */
export async function counsellingDates(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<Map<string, string[]>> {
  const dates = new Map<string, string[]>(episodeIds.map((id) => [id, []]));
  if (episodeIds.length === 0) return dates;
  for (const row of await queries.counsellingDates(db, organisationId, episodeIds)) dates.get(row.episode_id)?.push(row.held_on);
  return dates;
}

/** True when a session was held on the start date or in the 30 days before it. Dates are YYYY-MM-DD. */
export function counselledBefore(sessionDates: readonly string[], startOn: string): boolean {
  const start = Date.parse(`${startOn}T00:00:00Z`);
  const from = start - COUNSELLING_WINDOW_DAYS * 86_400_000;
  return sessionDates.some((on) => {
    const held = Date.parse(`${on}T00:00:00Z`);
    return held >= from && held <= start;
  });
}
