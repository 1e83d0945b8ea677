import { type Insertable, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { isOpenEpisode } from '../episodes/service.ts';
import { cohortCte, inOrganisations } from '../outcomes/queries/cohort.ts';
import type { FidelityReviewItemTable, FidelityReviewTable } from './tables.ts';

/**
 * Fidelity reviews, plus the read-only figures the review form pre-fills that
 * the employment hooks do not give: specialist FTE from cost_period (owned by
 * the costs module; read here only), open episodes on a date, and where
 * face-to-face contacts happened.
 */

export async function insertReview(db: Db, review: Insertable<FidelityReviewTable>): Promise<string> {
  const row = await db.insertInto('fidelity_review').values(review).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertItems(db: Db, items: Insertable<FidelityReviewItemTable>[]): Promise<void> {
  if (items.length > 0) await db.insertInto('fidelity_review_item').values(items).execute();
}

/** The organisation's reviews, newest first, with the reviewed team's name. */
export async function listReviews(db: Db, organisationId: string) {
  return db
    .selectFrom('fidelity_review as r')
    .leftJoin('team as t', (join) => join.onRef('t.id', '=', 'r.team_id').onRef('t.organisation_id', '=', 'r.organisation_id'))
    .select(['r.id', 'r.reviewed_on', 'r.service_name', 'r.reviewers', 'r.total', 'r.band', 't.name as team_name', 'r.created_at'])
    .where('r.organisation_id', '=', organisationId)
    .orderBy('r.reviewed_on', 'desc')
    .orderBy('r.created_at', 'desc')
    .execute();
}

/** Every review's item scores, for the trend chart. */
export async function itemScores(db: Db, organisationId: string) {
  return db
    .selectFrom('fidelity_review_item')
    .select(['review_id', 'item_code', 'score'])
    .where('organisation_id', '=', organisationId)
    .execute();
}

export async function findReview(db: Db, organisationId: string, reviewId: string) {
  return db
    .selectFrom('fidelity_review as r')
    .leftJoin('team as t', (join) => join.onRef('t.id', '=', 'r.team_id').onRef('t.organisation_id', '=', 'r.organisation_id'))
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'r.recorded_by').onRef('u.organisation_id', '=', 'r.organisation_id'))
    .selectAll('r')
    .select(['t.name as team_name', 'u.display_name as recorded_by_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.id', '=', reviewId)
    .executeTakeFirst();
}

export async function findItems(db: Db, organisationId: string, reviewId: string) {
  return db.selectFrom('fidelity_review_item').selectAll().where('organisation_id', '=', organisationId).where('review_id', '=', reviewId).execute();
}

/**
 * Specialist FTE on a date from cost_period. For each team (and for the
 * organisation as a whole, team null) the period covering the date that
 * started last, so overlapping entries are not added twice.
 */
export async function specialistFteOn(db: Db, organisationId: string, on: string) {
  const result = await sql<{ team_id: string | null; team_name: string | null; specialist_fte: string; starts_on: string; ends_on: string }>`
    select distinct on (c.team_id) c.team_id, t.name as team_name, c.specialist_fte, c.starts_on, c.ends_on
      from cost_period c
      left join team t on t.id = c.team_id and t.organisation_id = c.organisation_id
     where ${inOrganisations('c.organisation_id', [organisationId])} and c.starts_on <= ${on}::date and c.ends_on >= ${on}::date
     order by c.team_id, c.starts_on desc, c.created_at desc
  `.execute(db);
  return result.rows.map((row) => ({ ...row, specialistFte: Number(row.specialist_fte) }));
}

/** Episodes open on a date (referred by then, not exited by then, referral not declined or withdrawn), optionally one team's. */
export async function openEpisodesOn(db: Db, organisationId: string, on: string, teamId: string | null): Promise<number> {
  // The cohort gives each episode's exit as it stood on the date, so the one definition of "open" applies as at that date.
  const result = await sql<{ n: number }>`
    with ${cohortCte({ organisationIds: [organisationId], ...(teamId ? { teamId } : {}) }, on)}
    select count(*)::int as n
      from (select episode_id as id, organisation_id, exited_on from cohort) as as_at
     where ${isOpenEpisode('as_at')}
  `.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Attended face-to-face contacts with the person in a period (UK dates), and
 * how many of them were in the community: any setting but a prison or a
 * probation office.
 */
export async function contactSettings(db: Db, organisationId: string, period: { from: string; to: string }, teamId: string | null) {
  const result = await sql<{ contacts: number; in_community: number }>`
    select count(*)::int as contacts,
           count(*) filter (where c.setting_code not in ('prison', 'probation_office'))::int as in_community
      from contact c
      join episode e on e.id = c.episode_id and e.organisation_id = c.organisation_id
     where ${inOrganisations('c.organisation_id', [organisationId])}
       and c.deleted_at is null and c.attended and c.with_code = 'person' and c.type_code = 'face_to_face'
       and (c.occurred_at at time zone 'Europe/London')::date between ${period.from}::date and ${period.to}::date
       ${teamId ? sql`and e.team_id = ${teamId}` : sql``}
  `.execute(db);
  return { contacts: Number(result.rows[0]?.contacts ?? 0), inCommunity: Number(result.rows[0]?.in_community ?? 0) };
}
