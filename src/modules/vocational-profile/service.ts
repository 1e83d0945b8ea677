import type { Db } from '../../platform/db/database.ts';
import * as queries from './queries.ts';

export interface ProfileFacts {
  version: number;
  licenceConditions: string[];
  preferredJobTypes: string[];
}

/**
 * The current profile's licence conditions and preferred job types for each
 * person who has a profile, for employer matching and conflict warnings.
 * The caller has already checked the principal may see these people.
 */
export async function currentProfileFacts(db: Db, organisationId: string, personIds: readonly string[]): Promise<Map<string, ProfileFacts>> {
  if (personIds.length === 0) return new Map();
  const rows = await queries.currentProfileFacts(db, organisationId, personIds);
  return new Map(
    rows.map((row) => [row.person_id, { version: row.version, licenceConditions: row.licence_conditions, preferredJobTypes: row.preferred_job_types }]),
  );
}
