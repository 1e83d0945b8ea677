import type { Db } from '../../platform/db/database.ts';
import * as metrics from '../employment-metrics/service.ts';
import {
  caseloadScore,
  communityScore,
  competitiveJobsScore,
  diversityScore,
  employerContactScore,
  followAlongScore,
  rapidJobSearchScore,
  type Score,
} from './anchors.ts';
import * as queries from './queries.ts';

/**
 * The items a review form pre-fills from the records: for each, the value,
 * what was counted over which period, and the score the value implies; or why
 * it could not be worked out. Definitions are in docs/fidelity.md.
 */

export type ComputedFigure = { value: string; evidence: string; score: Score } | { value: null; reason: string };

export const COMPUTED_ITEM_CODES = [
  'caseload_size',
  'rapid_job_search',
  'employer_contact_frequency',
  'job_type_diversity',
  'employer_diversity',
  'competitive_jobs',
  'individualised_follow_along',
  'community_based_services',
] as const;

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function longDate(date: string): string {
  return dateFormat.format(new Date(`${date}T12:00:00Z`));
}

/** The 12 months to a date: from the day after the same date a year before, to the date. */
export function twelveMonthsTo(date: string): { from: string; to: string } {
  const [year, month, day] = date.split('-').map(Number);
  const yearBefore = new Date(Date.UTC(year - 1, month - 1, day + 1));
  return { from: yearBefore.toISOString().slice(0, 10), to: date };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function oneDecimal(value: number): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function notComputed(reason: string): ComputedFigure {
  return { value: null, reason };
}

export interface ComputeOptions {
  organisationId: string;
  reviewedOn: string;
  teamId: string | null;
  teamName?: string;
}

/** Every computed item for a review on a date, optionally for one team. */
export async function computeFigures(db: Db, options: ComputeOptions): Promise<Record<string, ComputedFigure>> {
  const { organisationId, reviewedOn, teamId } = options;
  const period = twelveMonthsTo(reviewedOn);
  const organisationIds = [organisationId];
  const cohort: metrics.Cohort = { referredFrom: period.from, referredTo: period.to, ...(teamId ? { teamId } : {}) };
  const scope = teamId ? ` in ${options.teamName ?? 'the team'}` : '';
  const referred = `people referred${scope} from ${longDate(period.from)} to ${longDate(period.to)}`;

  const figures: Record<string, ComputedFigure> = {};
  figures.caseload_size = await caseload(db, options);

  const contact = (await metrics.timeToFirst(db, organisationIds, cohort, reviewedOn)).firstEmployerContact.fromReferral;
  figures.rapid_job_search =
    contact.reached === 0 || contact.median === null
      ? notComputed(`None of the ${contact.eligible} ${referred} had a face-to-face employer contact by ${longDate(reviewedOn)}.`)
      : {
          value: `${oneDecimal(contact.median)} days (median)`,
          evidence: `Median days from referral to the first face-to-face employer contact about a job, for the ${contact.reached} of ${contact.eligible} ${referred} who had one by ${longDate(reviewedOn)}.`,
          score: rapidJobSearchScore(contact.median),
        };

  const weekly = await metrics.specialistWeeklyContacts(db, organisationIds, period);
  const faceToFace = weekly.specialists.reduce((sum, specialist) => sum + specialist.faceToFace, 0);
  const specialistWeeks = weekly.specialists.length * weekly.weeks;
  figures.employer_contact_frequency =
    specialistWeeks === 0
      ? notComputed(`No employer contacts were logged in the whole weeks from ${longDate(period.from)} to ${longDate(period.to)}.`)
      : {
          value: `${oneDecimal(faceToFace / specialistWeeks)} a week per specialist`,
          evidence: `${faceToFace} face-to-face employer contacts by the ${plural(weekly.specialists.length, 'specialist')} who logged employer contacts, over the ${weekly.weeks} whole weeks (Monday to Sunday) from ${longDate(period.from)} to ${longDate(period.to)}, across the organisation.`,
          score: employerContactScore(faceToFace / specialistWeeks),
        };

  // One statement gives the diversity, competitive and follow-along figures together.
  const { diversity, competitive, followAlong } = await metrics.employmentFigures(db, organisationIds, cohort, reviewedOn);
  const noJobs = notComputed(`No counted job starts by ${longDate(reviewedOn)} for ${referred}.`);
  const commonest = diversity.byJobType[0];
  figures.job_type_diversity =
    diversity.jobs === 0 || !commonest
      ? noJobs
      : {
          value: percent(1 - commonest.jobs / diversity.jobs),
          evidence: `${diversity.jobs - commonest.jobs} of ${diversity.jobs} counted job starts were of another type than the most common (${commonest.label}, ${commonest.jobs}); ${diversity.jobTypes} job types in all (SOC 2020 major groups), for ${referred}.`,
          score: diversityScore(1 - commonest.jobs / diversity.jobs),
        };
  figures.employer_diversity =
    diversity.jobs === 0
      ? noJobs
      : {
          value: percent(diversity.employers / diversity.jobs),
          evidence: `${diversity.employers} different employers for ${diversity.jobs} counted job starts, for ${referred}.`,
          score: diversityScore(diversity.employers / diversity.jobs),
        };

  figures.competitive_jobs =
    competitive.share === null
      ? noJobs
      : {
          value: percent(competitive.share),
          evidence: `${competitive.competitive} of ${competitive.jobs} counted job starts by ${longDate(reviewedOn)} were competitive, for ${referred}.`,
          score: competitiveJobsScore(competitive.share),
        };

  figures.individualised_follow_along =
    followAlong.share === null
      ? notComputed(`No counted job starts whose first ${metrics.FOLLOW_ALONG_DAYS} days had passed by ${longDate(reviewedOn)}, for ${referred}.`)
      : {
          value: percent(followAlong.share),
          evidence: `${followAlong.contactedWithin3Days} of ${followAlong.jobs} counted job starts had support on the start day or within ${metrics.FOLLOW_ALONG_DAYS} days after (an attended contact with the person or employer, or an in-work support employer contact), for ${referred}. This measures timing only: judge the kind of support yourself.`,
          score: followAlongScore(followAlong.share),
        };

  const settings = await queries.contactSettings(db, organisationId, period, teamId);
  figures.community_based_services =
    settings.contacts === 0
      ? notComputed(`No attended face-to-face contacts with people${scope} from ${longDate(period.from)} to ${longDate(period.to)}.`)
      : {
          value: percent(settings.inCommunity / settings.contacts),
          evidence: `${settings.inCommunity} of ${settings.contacts} attended face-to-face contacts with people${scope} from ${longDate(period.from)} to ${longDate(period.to)} were somewhere other than a prison or a probation office. This counts contacts, not hours.`,
          score: communityScore(settings.inCommunity / settings.contacts),
        };
  return figures;
}

/** Item 1: open episodes on the date over the specialist FTE recorded for a period covering it. */
async function caseload(db: Db, options: ComputeOptions): Promise<ComputedFigure> {
  const { organisationId, reviewedOn, teamId } = options;
  const rows = await queries.specialistFteOn(db, organisationId, reviewedOn);
  const organisationRow = rows.find((row) => row.team_id === null);
  // A team review uses the team's own staffing; an organisation review the organisation-wide entry, or else its teams' entries added up.
  const used = teamId ? rows.filter((row) => row.team_id === teamId) : organisationRow ? [organisationRow] : rows;
  const fte = used.reduce((sum, row) => sum + row.specialistFte, 0);
  const where = teamId ? `for ${options.teamName ?? 'the team'}` : 'for the organisation or its teams';
  if (used.length === 0) return notComputed(`No staffing is recorded ${where} in Costs and staffing for a period covering ${longDate(reviewedOn)}, so there is no specialist FTE to divide by.`);
  if (fte === 0) return notComputed(`The specialist FTE recorded ${where} for ${longDate(reviewedOn)} is 0.`);
  const open = await queries.openEpisodesOn(db, organisationId, reviewedOn, teamId);
  const periods = used.map((row) => `${row.team_name ?? 'whole organisation'}: ${oneDecimal(row.specialistFte)} FTE, ${longDate(row.starts_on)} to ${longDate(row.ends_on)}`);
  return {
    value: `${oneDecimal(open / fte)} people per full-time specialist`,
    evidence: `${open} episodes open on ${longDate(reviewedOn)}${teamId ? ` in ${options.teamName ?? 'the team'}` : ''}, over ${oneDecimal(fte)} specialist FTE (Costs and staffing: ${periods.join('; ')}).`,
    score: caseloadScore(open / fte),
  };
}
