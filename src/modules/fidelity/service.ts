import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { type DateFieldError, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { teamsFor } from '../organisations/service.ts';
import { type ComputedFigure, computeFigures } from './computed.ts';
import { BAND_LABELS, FIDELITY_ITEMS, type FidelityBand } from './items.ts';
import * as queries from './queries.ts';
import { blankReviewForm, checkReview, type ReviewFormValues, reviewDateFrom } from './review-form.ts';

export { COMPUTED_ITEM_CODES, type ComputedFigure, longDate, twelveMonthsTo } from './computed.ts';
export { BAND_LABELS, FIDELITY_ITEMS, type FidelityBand, fidelityBand, fidelityItem, SECTION_LABELS } from './items.ts';
export { blankReviewForm, type ReviewFormValues, readReviewForm } from './review-form.ts';

/** Whether pages should offer recording a review; the service checks again. */
export function canRecord(principal: Principal): boolean {
  return can(principal.role, 'fidelity:manage');
}

export interface ReviewSummary {
  id: string;
  reviewedOn: string;
  serviceName: string;
  teamName: string | null;
  reviewers: string;
  total: number;
  band: FidelityBand;
  bandLabel: string;
}

/** The organisation's reviews newest first, with every review's item scores (by review id, then item code) for the trend chart. */
export async function listReviews(db: Db, principal: Principal) {
  assertCan(principal, 'reports:view-aggregate');
  const rows = await queries.listReviews(db, principal.organisationId);
  const scores = new Map<string, Map<string, number>>();
  for (const row of await queries.itemScores(db, principal.organisationId)) {
    const review = scores.get(row.review_id) ?? new Map<string, number>();
    review.set(row.item_code, row.score);
    scores.set(row.review_id, review);
  }
  const reviews: ReviewSummary[] = rows.map((row) => ({
    id: row.id,
    reviewedOn: row.reviewed_on,
    serviceName: row.service_name,
    teamName: row.team_name,
    reviewers: row.reviewers,
    total: row.total,
    band: row.band as FidelityBand,
    bandLabel: BAND_LABELS[row.band as FidelityBand],
  }));
  return { reviews, scores };
}

/** The teams a review may be for. */
export async function reviewTeams(db: Db, principal: Principal) {
  assertCan(principal, 'fidelity:manage');
  return (await teamsFor(db, principal)).map((team) => ({ id: team.id, name: team.name }));
}

/** The computed items for a review on a date (today if not given), for the organisation or one of its teams. */
export async function figuresFor(db: Db, principal: Principal, reviewedOn: string, teamId: string | null, teams: Array<{ id: string; name: string }>) {
  assertCan(principal, 'fidelity:manage');
  const team = teamId ? teams.find((candidate) => candidate.id === teamId) : undefined;
  return computeFigures(db, { organisationId: principal.organisationId, reviewedOn, teamId: team?.id ?? null, teamName: team?.name });
}

/**
 * A new review's form, pre-filled from the records as they stood on a date
 * (the reviewer may ask for one: the on-day, on-month and on-year boxes),
 * else today, for the organisation or one of its teams (?team=ID).
 */
export async function newReview(db: Db, principal: Principal, query: unknown) {
  assertCan(principal, 'fidelity:manage');
  const today = londonToday();
  const errors: DateFieldError[] = [];
  const on = readDateParts(query, 'on');
  const asked = on.day || on.month || on.year ? parseDateInput(on, 'Date for the figures', 'on', errors) : undefined;
  let figuresOn = asked ? isoDate(asked) : today;
  if (figuresOn > today) {
    errors.push({ field: 'on-day', text: 'Date for the figures must be today or in the past', parts: ['day', 'month', 'year'] });
    figuresOn = today;
  }
  const teams = await reviewTeams(db, principal);
  const askedTeam = (query as Record<string, unknown> | undefined)?.team;
  const teamId = teams.find((team) => team.id === askedTeam)?.id ?? null;
  const figures = await figuresFor(db, principal, figuresOn, teamId, teams);
  const values = { ...blankReviewForm(figuresOn, principal.organisationName, figures), teamId: teamId ?? '' };
  return { values, figures, teams, figuresOn, on, errors };
}

export type CreateOutcome =
  | { outcome: 'saved'; reviewId: string }
  | { outcome: 'invalid'; errors: DateFieldError[]; figures: Record<string, ComputedFigure>; figuresOn: string; teams: Array<{ id: string; name: string }> };

/**
 * Records a review with its 25 items, total and band in one transaction,
 * audited. The figures are worked out again for the date entered, so what
 * is stored is what the records said for that date, whatever the form showed.
 */
export async function createReview(db: Db, principal: Principal, values: ReviewFormValues): Promise<CreateOutcome> {
  assertCan(principal, 'fidelity:manage');
  const today = londonToday();
  const errors: DateFieldError[] = [];
  const teams = await reviewTeams(db, principal);
  const reviewedOn = reviewDateFrom(values, today, errors);
  const figuresOn = reviewedOn ?? today;
  const teamId = teams.some((team) => team.id === values.teamId) ? values.teamId : null;
  const figures = await figuresFor(db, principal, figuresOn, teamId, teams);
  const input = checkReview(values, reviewedOn, { teamIds: teams.map((team) => team.id), figures: reviewedOn ? figures : undefined }, errors);
  if (!input) return { outcome: 'invalid', errors, figures, figuresOn, teams };
  const organisationId = principal.organisationId;
  const actor = actorOf(principal);
  const reviewId = await inTransaction(db, async (trx) => {
    const id = await queries.insertReview(trx, {
      organisation_id: organisationId,
      team_id: input.teamId,
      service_name: input.serviceName,
      reviewed_on: input.reviewedOn,
      reviewers: input.reviewers,
      total: input.total,
      band: input.band,
      note: input.note,
      recorded_by: actor.userId,
    });
    await queries.insertItems(
      trx,
      input.items.map((item) => ({
        organisation_id: organisationId,
        review_id: id,
        item_code: item.code,
        score: item.score,
        note: item.note,
        evidence: item.evidence,
        computed_value: item.computedValue,
        computed_score: item.computedScore,
        override_reason: item.overrideReason,
      })),
    );
    await audit.record(trx, {
      organisationId,
      actor,
      action: 'fidelity-review.created',
      subjectType: 'fidelity_review',
      subjectId: id,
      detail: {
        reviewedOn: input.reviewedOn,
        total: input.total,
        band: input.band,
        overridden: input.items.filter((item) => item.overrideReason).map((item) => item.code),
      },
    });
    return id;
  });
  return { outcome: 'saved', reviewId };
}

/** One review with its items in scale order; another organisation's or a malformed id is not found. */
export async function getReview(db: Db, principal: Principal, reviewId: string) {
  assertCan(principal, 'reports:view-aggregate');
  const row = isUuid(reviewId) ? await queries.findReview(db, principal.organisationId, reviewId) : undefined;
  if (!row) throw new NotFound();
  const saved = new Map((await queries.findItems(db, principal.organisationId, row.id)).map((item) => [item.item_code, item]));
  const items = FIDELITY_ITEMS.map((item) => {
    const entry = saved.get(item.code);
    const [computedValue, ...evidence] = (entry?.computed_value ?? '').split('\n');
    return {
      item,
      score: entry?.score ?? null,
      anchor: entry ? item.anchors[entry.score - 1] : null,
      note: entry?.note ?? null,
      evidence: entry?.evidence ?? null,
      computedValue: entry?.computed_value ? computedValue : null,
      computedEvidence: entry?.computed_value ? evidence.join('\n') : null,
      computedScore: entry?.computed_score ?? null,
      overrideReason: entry?.override_reason ?? null,
    };
  });
  return {
    review: {
      id: row.id,
      reviewedOn: row.reviewed_on,
      serviceName: row.service_name,
      teamName: row.team_name,
      reviewers: row.reviewers,
      total: row.total,
      band: row.band as FidelityBand,
      bandLabel: BAND_LABELS[row.band as FidelityBand],
      note: row.note,
      recordedByName: row.recorded_by_name,
      createdAt: row.created_at,
    },
    items,
  };
}
