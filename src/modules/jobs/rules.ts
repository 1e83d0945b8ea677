/**
 * The jobs rules, pure so they can be tested on worked examples: whether a
 * job is competitive (and why), the sustainment checkpoints, and the IPS
 * follow-along timing of in-work support. Dates are 'YYYY-MM-DD' strings.
 */
import { addDays, pounds } from '../../platform/calendar.ts';

export { addDays, pounds };



const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "2 February 2026", as the `date` filter shows it on pages. */
export function longDateOf(on: string): string {
  return longDate.format(new Date(`${on}T12:00:00Z`));
}


/** Whole years between a date of birth and a date. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

// Competitive ---------------------------------------------------------------------

export interface WageRate {
  effectiveFrom: string;
  minAge: number;
  hourlyRate: number;
  label: string;
}

/**
 * The minimum wage for an age on a date: the latest rates in force on the
 * date, then the highest age band at or below the age. With no age (date of
 * birth unknown) the highest band, the adult rate, is the fair comparison.
 */
export function minimumWageFor(rates: readonly WageRate[], on: string, age: number | null): WageRate | undefined {
  const inForce = rates.filter((rate) => rate.effectiveFrom <= on);
  if (inForce.length === 0) return undefined;
  const from = inForce.map((rate) => rate.effectiveFrom).sort().at(-1);
  const bands = inForce.filter((rate) => rate.effectiveFrom === from && (age === null || rate.minAge <= age));
  return bands.reduce<WageRate | undefined>((best, rate) => (!best || rate.minAge > best.minAge ? rate : best), undefined);
}

export interface CompetitiveInput {
  openToAnyone: boolean;
  hourlyPay: number;
  startsOn: string;
  dateOfBirth: string | null;
}

export interface CompetitiveAssessment {
  competitive: boolean;
  minimumHourlyRate: number | null;
  explanation: string;
}

/** Competitive is derived, never ticked: open to anyone and paid at least the minimum wage for the person's age on the start date. */
export function assessCompetitive(input: CompetitiveInput, rates: readonly WageRate[]): CompetitiveAssessment {
  const age = input.dateOfBirth ? ageOn(input.dateOfBirth, input.startsOn) : null;
  const rate = minimumWageFor(rates, input.startsOn, age);
  const on = longDateOf(input.startsOn);
  const unknownAge = input.dateOfBirth ? '' : ' (date of birth not recorded, so compared with the highest age band)';
  if (!rate) {
    const why = input.openToAnyone ? '' : 'not open to anyone, and ';
    return { competitive: false, minimumHourlyRate: null, explanation: `Not competitive: ${why}no minimum wage rate is recorded for ${on}, so the pay could not be checked` };
  }
  const payText = `${pounds(input.hourlyPay)} an hour`;
  const rateText = `the ${rate.label} of ${pounds(rate.hourlyRate)} on ${on}${unknownAge}`;
  const paidEnough = Math.round(input.hourlyPay * 100) >= Math.round(rate.hourlyRate * 100);
  const reasons: string[] = [];
  if (!input.openToAnyone) reasons.push('not open to anyone');
  if (!paidEnough) reasons.push(`${payText} is below ${rateText}`);
  if (reasons.length > 0) {
    return { competitive: false, minimumHourlyRate: rate.hourlyRate, explanation: `Not competitive: ${reasons.join(', and ')}` };
  }
  return { competitive: true, minimumHourlyRate: rate.hourlyRate, explanation: `Competitive: open to anyone, and ${payText} is at least ${rateText}` };
}

// Sustainment checkpoints --------------------------------------------------------------

export const CHECKPOINT_WEEKS = [13, 26, 52] as const;
export type Weeks = (typeof CHECKPOINT_WEEKS)[number];

export function isCheckpointWeeks(value: unknown): value is Weeks {
  return CHECKPOINT_WEEKS.includes(value as Weeks);
}

export type CheckpointStatus = 'not-started' | 'upcoming' | 'due' | 'sustained' | 'not-sustained';

export const CHECKPOINT_STATUS_LABELS: Record<CheckpointStatus, string> = {
  'not-started': 'Not started: no counted start yet',
  upcoming: 'Upcoming',
  due: 'Due: confirm',
  sustained: 'Sustained',
  'not-sustained': 'Not sustained',
};

export interface Confirmation {
  weeks: number;
  stillInWork: boolean;
  confirmedOn: string;
}

export interface Checkpoint {
  weeks: Weeks;
  dueOn: string | null;
  status: CheckpointStatus;
  confirmation: Confirmation | null;
  /** Why a checkpoint reads as it does when nobody confirmed it. */
  reason: string | null;
}

export interface CheckpointJob {
  countedStartOn: string | null;
  endsOn: string | null;
}

/**
 * Checkpoints fall 13, 26 and 52 weeks after the counted start. A job that
 * ended before a checkpoint is not sustained there, whatever was confirmed;
 * an unconfirmed checkpoint whose date has come is due and prompts a confirmation.
 */
export function checkpointsFor(job: CheckpointJob, confirmations: readonly Confirmation[], today: string): Checkpoint[] {
  return CHECKPOINT_WEEKS.map((weeks) => {
    const confirmation = confirmations.find((c) => c.weeks === weeks) ?? null;
    if (!job.countedStartOn) return { weeks, dueOn: null, status: 'not-started', confirmation, reason: null };
    const dueOn = addDays(job.countedStartOn, weeks * 7);
    if (job.endsOn && job.endsOn < dueOn) {
      return { weeks, dueOn, status: 'not-sustained', confirmation, reason: `The job ended on ${longDateOf(job.endsOn)}, before the checkpoint` };
    }
    if (confirmation) return { weeks, dueOn, status: confirmation.stillInWork ? 'sustained' : 'not-sustained', confirmation, reason: null };
    return { weeks, dueOn, status: dueOn <= today ? 'due' : 'upcoming', confirmation, reason: null };
  });
}

// Follow-along timing ---------------------------------------------------------------------

export type ExpectationStatus = 'met' | 'missed' | 'not-yet-due';

export const EXPECTATION_STATUS_LABELS: Record<ExpectationStatus, string> = {
  met: 'Met',
  missed: 'Missed',
  'not-yet-due': 'Not yet due',
};

export interface Expectation {
  key: string;
  label: string;
  from: string;
  to: string;
  status: ExpectationStatus;
  /** The first in-work contact in the window, when there was one. */
  metOn: string | null;
}

export interface FollowAlongJob {
  startsOn: string;
  endsOn: string | null;
}

function lastDayOfMonth(on: string): string {
  const [y, m] = on.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function firstOfNextMonth(on: string): string {
  return addDays(lastDayOfMonth(on), 1);
}

const monthName = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/**
 * The IPS expectations of in-work support for one job, each met, missed or
 * not yet due on `today`, against the dates of in-work contacts: a contact in
 * the 14 days before the start; within 3 days after it; one in each of the
 * first four weeks; then one in each whole calendar month after week 4 (the
 * days between week 4 and the next month are left to the weekly contacts'
 * rhythm rather than squeezed into a window of a day or two), up to today or
 * the job's end; and within 3 days after the job ends.
 */
export function followAlong(job: FollowAlongJob, contactDates: readonly string[], today: string): Expectation[] {
  const sorted = [...contactDates].sort();
  const expectation = (key: string, label: string, from: string, to: string): Expectation => {
    const metOn = sorted.find((on) => on >= from && on <= to) ?? null;
    const status: ExpectationStatus = metOn ? 'met' : to < today ? 'missed' : 'not-yet-due';
    return { key, label, from, to, status, metOn };
  };
  const start = job.startsOn;
  const stop = job.endsOn && job.endsOn < today ? job.endsOn : today;
  const list: Expectation[] = [
    expectation('before-start', 'Contact in the 14 days before the start', addDays(start, -14), addDays(start, -1)),
    expectation('after-start', 'Contact within 3 days after the start', start, addDays(start, 3)),
  ];
  for (let week = 1; week <= 4; week += 1) {
    const from = addDays(start, (week - 1) * 7);
    if (job.endsOn && from > job.endsOn) break;
    const weekEnd = addDays(from, 6);
    list.push(expectation(`week-${week}`, `Contact in week ${week}`, from, job.endsOn && job.endsOn < weekEnd ? job.endsOn : weekEnd));
  }
  const afterWeeks = addDays(start, 28);
  for (let from = afterWeeks.endsWith('-01') ? afterWeeks : firstOfNextMonth(afterWeeks); from <= stop; from = firstOfNextMonth(from)) {
    const monthEnd = lastDayOfMonth(from);
    const to = job.endsOn && job.endsOn < monthEnd ? job.endsOn : monthEnd;
    list.push(expectation(`month-${from.slice(0, 7)}`, `Contact in ${monthName.format(new Date(`${from}T12:00:00Z`))}`, from, to));
  }
  if (job.endsOn) list.push(expectation('after-end', 'Contact within 3 days after the job ended', job.endsOn, addDays(job.endsOn, 3)));
  return list;
}
