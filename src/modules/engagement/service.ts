import type { Db } from '../../platform/db/database.ts';
import * as queries from './queries.ts';

/**
 * Engagement is derived, never set by hand. Every service that changes an
 * episode's contacts, referral, jobs or exit calls recomputeEpisodes in the
 * same transaction, so the stored stage always matches the records.
 */
export const STAGES = ['referred', 'met_in_custody', 'seen_in_community', 'engaged', 'in_work', 'exited'] as const;

export const STAGE_LABELS: Record<(typeof STAGES)[number], string> = {
  referred: 'Referred',
  met_in_custody: 'Met in custody',
  seen_in_community: 'Seen in the community',
  engaged: 'Engaged',
  in_work: 'In work',
  exited: 'Exited',
};

export function recomputeEpisodes(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<void> {
  if (episodeIds.length === 0) return Promise.resolve();
  return queries.recompute(db, organisationId, episodeIds);
}

/** Every episode of an organisation, in one statement: after an import or a change to the engagement rule. */
export function recomputeOrganisation(db: Db, organisationId: string): Promise<void> {
  return queries.recompute(db, organisationId, null);
}

/** For reports: the stage each episode was at on a date (YYYY-MM-DD). */
export const stagesOnDate = queries.stagesOnDate;
export const stageOnDate = queries.stageOnDate;
export const referredBy = queries.referredBy;
