import type { Db } from '../../platform/db/database.ts';
import * as queries from './queries.ts';

/**
 * The first face-to-face employer contact on each episode's behalf (episodes
 * with none are absent), for rapid job search and the employment board. The
 * caller has already checked the principal may see these episodes.
 */
export async function firstFaceToFaceContacts(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<Map<string, string>> {
  if (episodeIds.length === 0) return new Map();
  const rows = await queries.firstFaceToFaceContacts(db, organisationId, episodeIds);
  return new Map(rows.map((row) => [row.episode_id, String(row.first_on)]));
}
