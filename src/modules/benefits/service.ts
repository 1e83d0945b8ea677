import type { Selectable } from 'kysely';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { type FieldError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { auditEpisode } from '../custody/episode-access.ts';
import { type EpisodeHeader, getEpisodeHeader } from '../episodes/service.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import type { ClaimInput, EndClaimInput, SessionInput } from './benefits-form.ts';
import { type BenefitRates, type CalculationResult, type CalculatorFields, calculate, checkCalculatorInput, missingRatesMessage, summarise } from './calculator.ts';
import * as queries from './queries.ts';
import type { BenefitClaimTable, BenefitsSessionTable } from './tables.ts';

export * from './calculator.ts';

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

// Pages and API -------------------------------------------------------------------------

const MAX_NOTE = 5000;
const MAX_ADVISER = 200;
export const BENEFIT_LISTS = ['benefit'] as const;

export interface ClaimView {
  id: string;
  benefitCode: string;
  benefitLabel: string;
  startedOn: string | null;
  endedOn: string | null;
  includesHousingCosts: boolean;
  note: string | null;
  current: boolean;
}

export interface SessionView {
  id: string;
  heldOn: string;
  adviser: string;
  note: string | null;
  calculationSummary: string | null;
  calculation: Record<string, unknown> | null;
}

/** Whether pages should offer recording; the service checks again on each write. */
export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

/** The benefit list for the claim form. */
export async function benefitOptions(db: Db, principal: Principal, current: string) {
  assertCan(principal, 'people:view');
  const reference = await loadReferenceData(db, principal.organisationId, BENEFIT_LISTS);
  return reference.options('benefit', current, 'selected');
}

function claimView(row: Selectable<BenefitClaimTable>, reference: ReferenceData, today: string): ClaimView {
  return {
    id: row.id,
    benefitCode: row.benefit_code,
    benefitLabel: reference.label('benefit', row.benefit_code),
    startedOn: row.started_on,
    endedOn: row.ended_on,
    includesHousingCosts: row.includes_housing_costs,
    note: row.note,
    current: row.ended_on === null || row.ended_on > today,
  };
}

function sessionView(row: Selectable<BenefitsSessionTable>): SessionView {
  const summary = row.calculation && typeof row.calculation.summary === 'string' ? row.calculation.summary : null;
  return { id: row.id, heldOn: row.held_on, adviser: row.adviser, note: row.note, calculationSummary: summary, calculation: row.calculation };
}

/** The date 30 days before `on`, for the counselling warning. */
function daysBefore(on: string, days: number): string {
  return new Date(Date.parse(`${on}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * An episode's benefits: the person's claims, current and past, and the
 * episode's counselling sessions, newest first. Viewing them is audited.
 */
export async function viewBenefits(db: Db, principal: Principal, episodeId: string, now: Date = new Date()) {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const reference = await loadReferenceData(trx, principal.organisationId, BENEFIT_LISTS);
    const today = londonToday(now);
    const claims = (await queries.listClaims(trx, principal.organisationId, episode.personId)).map((row) => claimView(row, reference, today));
    const sessions = (await queries.listSessions(trx, principal.organisationId, episode.id)).map(sessionView);
    await auditEpisode(trx, principal, episode.id, 'benefits.viewed');
    const windowStart = daysBefore(today, COUNSELLING_WINDOW_DAYS);
    return {
      episode,
      current: claims.filter((claim) => claim.current),
      past: claims.filter((claim) => !claim.current),
      sessions,
      counselledRecently: sessions.some((session) => session.heldOn >= windowStart && session.heldOn <= today),
    };
  });
}

/** The episode a benefits form belongs to: 404 for another organisation's or a malformed id. */
export async function episodeFor(db: Db, principal: Principal, episodeId: string): Promise<EpisodeHeader> {
  return getEpisodeHeader(db, principal, episodeId);
}

function checkNote(note: string, errors: FieldError[]) {
  if (note.length > MAX_NOTE) errors.push({ field: 'note', text: `Note must be ${MAX_NOTE} characters or fewer` });
}

/** Records a benefit the person receives, against the episode's person. */
export async function createClaim(db: Db, principal: Principal, episodeId: string, input: ClaimInput, now: Date = new Date()): Promise<string> {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const reference = await loadReferenceData(trx, principal.organisationId, BENEFIT_LISTS);
    const errors: FieldError[] = [];
    if (!input.benefitCode) errors.push({ field: 'benefit', text: 'Select the benefit' });
    else reference.check('benefit', input.benefitCode, 'benefit', errors, 'Select a benefit from the list');
    errors.push(...input.errors);
    if (input.startedOn && input.startedOn > londonToday(now)) errors.push({ field: 'startedOn-day', text: 'The date the claim started must be today or in the past' });
    checkNote(input.note, errors);
    if (errors.length > 0) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    const { id } = await queries.insertClaim(trx, {
      organisation_id: principal.organisationId,
      person_id: episode.personId,
      benefit_code: input.benefitCode,
      started_on: input.startedOn ?? null,
      includes_housing_costs: input.includesHousingCosts,
      note: input.note || null,
      recorded_by: actor.userId,
    });
    await auditEpisode(trx, principal, episode.id, 'benefits.claim-recorded', { claimId: id, benefit: input.benefitCode });
    return id;
  });
}

/** One of the episode's person's claims; a claim of anyone else, or a malformed id, is not found. */
export async function claimFor(db: Db, principal: Principal, episodeId: string, claimId: string) {
  assertCan(principal, 'people:edit');
  const episode = await getEpisodeHeader(db, principal, episodeId);
  const row = isUuid(claimId) ? await queries.findClaim(db, principal.organisationId, episode.personId, claimId) : undefined;
  if (!row) throw new NotFound();
  const reference = await loadReferenceData(db, principal.organisationId, BENEFIT_LISTS);
  return { episode, claim: claimView(row, reference, londonToday()) };
}

/** Records the date a claim ended, once the user has confirmed it. */
export async function endClaim(db: Db, principal: Principal, episodeId: string, claimId: string, input: EndClaimInput, now: Date = new Date()) {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const row = isUuid(claimId) ? await queries.findClaim(trx, principal.organisationId, episode.personId, claimId, { forUpdate: true }) : undefined;
    if (!row) throw new NotFound();
    const errors: FieldError[] = [...input.errors];
    if (input.endedOn === undefined) errors.push({ field: 'endedOn-day', text: 'Enter the date the claim ended' });
    else if (input.endedOn && row.started_on && input.endedOn < row.started_on) {
      errors.push({ field: 'endedOn-day', text: 'The date the claim ended must be on or after the date it started' });
    }
    if (input.endedOn && input.endedOn > daysBefore(londonToday(now), -366)) errors.push({ field: 'endedOn-day', text: 'The date the claim ends must be within the next year' });
    if (row.ended_on && row.ended_on <= londonToday(now)) errors.push({ field: 'endedOn-day', text: 'This claim has already ended' });
    if (!input.confirmed) errors.push({ field: 'confirm', text: 'Confirm that this claim has ended' });
    if (errors.length > 0 || !input.endedOn) throw new ValidationFailed(errors);
    await queries.endClaim(trx, principal.organisationId, row.id, input.endedOn);
    await auditEpisode(trx, principal, episode.id, 'benefits.claim-ended', { claimId: row.id, endedOn: input.endedOn });
  });
}

/** The rates for the tax year containing the date, or a validation error naming the missing year. */
export async function ratesOn(db: Db, date: string, field: string): Promise<BenefitRates> {
  const row = await queries.ratesOn(db, date);
  if (!row) throw new ValidationFailed([{ field, text: missingRatesMessage(date) }]);
  return {
    taxYear: row.tax_year,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    esaPermittedWorkWeeklyLimit: Number(row.esa_permitted_work_weekly_limit),
    esaPermittedWorkMaxHours: Number(row.esa_permitted_work_max_hours),
    ucWorkAllowanceWithHousing: Number(row.uc_work_allowance_with_housing),
    ucWorkAllowanceWithoutHousing: Number(row.uc_work_allowance_without_housing),
    ucTaperRate: Number(row.uc_taper_rate),
    source: row.source,
  };
}

/**
 * The better-off-in-work calculation for an offer. Names no person, so it
 * needs only people:view; `names` says where each error belongs.
 */
export async function betterOff(
  db: Db,
  principal: Principal,
  fields: CalculatorFields,
  names: Parameters<typeof checkCalculatorInput>[1],
  errors: FieldError[] = [],
): Promise<CalculationResult> {
  assertCan(principal, 'people:view');
  const input = checkCalculatorInput(fields, names, errors);
  if (!input) throw new ValidationFailed(errors);
  return calculate(input, await ratesOn(db, input.startsOn, names.startsOn));
}

/** What a session keeps of a calculation: the inputs, the rates, the results and a one-line summary. */
export function storedCalculation(result: CalculationResult): Record<string, unknown> {
  return { ...result, summary: summarise(result) };
}

/** Records a benefits-counselling session, with a calculation when one was made. */
export async function createSession(
  db: Db,
  principal: Principal,
  episodeId: string,
  input: SessionInput,
  calculation: CalculationResult | null = null,
  now: Date = new Date(),
): Promise<string> {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const errors: FieldError[] = [...input.errors];
    if (input.heldOn === undefined) errors.push({ field: 'heldOn-day', text: 'Enter the date of the session' });
    else if (input.heldOn && input.heldOn > londonToday(now)) errors.push({ field: 'heldOn-day', text: 'The date of the session must be today or in the past' });
    const adviser = input.adviser.trim();
    if (!adviser) errors.push({ field: 'adviser', text: 'Enter the name of the adviser' });
    else if (adviser.length > MAX_ADVISER) errors.push({ field: 'adviser', text: `Adviser must be ${MAX_ADVISER} characters or fewer` });
    checkNote(input.note, errors);
    if (errors.length > 0 || !input.heldOn) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    const { id } = await queries.insertSession(trx, {
      organisation_id: principal.organisationId,
      episode_id: episode.id,
      held_on: input.heldOn,
      adviser,
      note: input.note || null,
      calculation: calculation ? JSON.stringify(storedCalculation(calculation)) : null,
      recorded_by: actor.userId,
    });
    await auditEpisode(trx, principal, episode.id, 'benefits.session-recorded', { sessionId: id, heldOn: input.heldOn, withCalculation: calculation !== null });
    return id;
  });
}
