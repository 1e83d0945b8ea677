import type { Db } from '../../platform/db/database.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import * as queries from './queries.ts';
import { type EmploymentStage, employmentStage } from './stage.ts';
import { addDays } from '../../platform/calendar.ts';

/**
 * Reporting hooks for the outcomes module: IPS employment figures as plain
 * objects, each defined in docs/metrics.md and tested on hand-made rows in
 * test/integration/employment-metrics.test.ts. They take no principal: the
 * caller has already decided who may see the aggregate; every query is still
 * scoped to the organisation passed in.
 */

export type Cohort = queries.Cohort;
export { daysBetween, EMPLOYMENT_STAGE_LABELS, EMPLOYMENT_STAGES, type EmploymentStage, employmentStage, type StageFacts } from './stage.ts';

/** The IPS fidelity standard for job development: 6 face-to-face employer contacts per specialist per week. */
export const WEEKLY_FACE_TO_FACE_STANDARD = 6;
/** Follow-along: a contact on the day of the counted start or within this many days after it. */
export const FOLLOW_ALONG_DAYS = 3;

export interface PeopleAndTotal {
  people: number;
  total: number;
}

export interface ActivityCounts {
  cvs: PeopleAndTotal;
  applications: PeopleAndTotal;
  interviews: PeopleAndTotal;
  trainingCourses: PeopleAndTotal & { trainedPeopleIntoWork: number };
  workTrials: PeopleAndTotal;
  workPlacements: PeopleAndTotal;
  jobs: PeopleAndTotal;
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** (a) People and totals for each job-search activity and for counted job starts, up to asAt. */
export async function activityCounts(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string): Promise<ActivityCounts> {
  const rows = await queries.activityCounts(db, organisationIds, cohort, asAt);
  const of = (kind: string): PeopleAndTotal => {
    const row = rows.find((r) => r.kind === kind);
    return { people: Number(row?.people ?? 0), total: Number(row?.total ?? 0) };
  };
  const starts = await queries.jobStarts(db, organisationIds, cohort, asAt);
  return {
    cvs: of('cv'),
    applications: of('application'),
    interviews: of('interview'),
    trainingCourses: { ...of('training_course'), trainedPeopleIntoWork: await queries.trainedIntoWork(db, organisationIds, cohort, asAt) },
    workTrials: of('work_trial'),
    workPlacements: of('work_placement'),
    jobs: { people: starts.people, total: starts.total },
  };
}

/** (b) People with two or more counted job starts by asAt. */
export async function peopleWithSeveralJobs(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const starts = await queries.jobStarts(db, organisationIds, cohort, asAt);
  return { peopleWithAJob: starts.people, peopleWithTwoOrMoreJobs: starts.peopleWithTwoOrMore };
}

export const DAY_BANDS = [
  { label: '0 to 30 days', key: 'band_0_30' },
  { label: '31 to 60 days', key: 'band_31_60' },
  { label: '61 to 90 days', key: 'band_61_90' },
  { label: '91 to 180 days', key: 'band_91_180' },
  { label: '181 to 365 days', key: 'band_181_365' },
  { label: 'Over 365 days', key: 'band_over_365' },
] as const;

export interface DaysSummary {
  /** Episodes with the start point (a referral; a release recorded by asAt). */
  eligible: number;
  /** Of those, episodes where the event happened by asAt: the figures below describe these. */
  reached: number;
  median: number | null;
  lowerQuartile: number | null;
  upperQuartile: number | null;
  bands: Array<{ label: string; count: number }>;
}

function toSummary(row: queries.DaysRow): DaysSummary {
  const number = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    eligible: Number(row.eligible),
    reached: Number(row.n),
    median: number(row.median),
    lowerQuartile: number(row.q1),
    upperQuartile: number(row.q3),
    bands: DAY_BANDS.map((band) => ({ label: band.label, count: Number(row[band.key]) })),
  };
}

/** (c) Days from referral and from release to the first face-to-face employer contact and to the first counted job start. */
export async function timeToFirst(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const measure = async (event: queries.FirstEvent, from: queries.StartPoint) =>
    toSummary(await queries.daysToFirst(db, organisationIds, cohort, asAt, event, from));
  return {
    firstEmployerContact: { fromReferral: await measure('employer_contact', 'referral'), fromRelease: await measure('employer_contact', 'release') },
    firstJob: { fromReferral: await measure('job', 'referral'), fromRelease: await measure('job', 'release') },
  };
}

/** (d) Diversity of job types (SOC 2020 major groups) and of employers among counted job starts. */
export async function jobDiversity(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const byType = await queries.startsByJobType(db, organisationIds, cohort, asAt);
  const byEmployer = await queries.startsByEmployer(db, organisationIds, cohort, asAt);
  const jobs = byType.reduce((sum, row) => sum + row.jobs, 0);
  const reference = await loadReferenceData(db, organisationIds[0] ?? '', ['soc_major_group']);
  const largest = byEmployer[0];
  return {
    jobs,
    jobTypes: byType.length,
    byJobType: byType.map((row) => ({ code: row.code, label: reference.label('soc_major_group', row.code), jobs: row.jobs, share: share(row.jobs, jobs) })),
    employers: byEmployer.length,
    largestEmployerJobs: largest?.jobs ?? 0,
    largestEmployerShare: largest ? share(largest.jobs, jobs) : null,
  };
}

/** (e) The share of counted job starts that were competitive. */
export async function competitiveShare(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const starts = await queries.jobStarts(db, organisationIds, cohort, asAt);
  return { jobs: starts.total, competitive: starts.competitive, share: share(starts.competitive, starts.total) };
}

/** (f) The share of counted job starts with an attended contact on the start day or within 3 days after it. */
export async function followAlongTiming(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await queries.followAlong(db, organisationIds, cohort, asAt, FOLLOW_ALONG_DAYS);
  return { jobs: result.starts, contactedWithin3Days: result.followed, share: share(result.followed, result.starts) };
}


/** The Mondays of the whole Monday-to-Sunday weeks that lie inside a period. */
export function wholeWeeks(from: string, to: string): string[] {
  const weekday = new Date(`${from}T00:00:00Z`).getUTCDay();
  let monday = addDays(from, (8 - weekday) % 7);
  const mondays: string[] = [];
  while (addDays(monday, 6) <= to) {
    mondays.push(monday);
    monday = addDays(monday, 7);
  }
  return mondays;
}

/** (g) Per specialist, face-to-face employer contacts in each whole week of a period, against the standard of 6. */
export async function specialistWeeklyContacts(db: Db, organisationIds: readonly string[], period: { from: string; to: string }) {
  const mondays = wholeWeeks(period.from, period.to);
  const rows = await queries.weeklyFaceToFace(db, organisationIds, mondays);
  const specialists = new Map<string, { specialistId: string; name: string; weeks: number; faceToFace: number; weeksMeetingStandard: number }>();
  for (const row of rows) {
    const entry = specialists.get(row.specialist_id) ?? { specialistId: row.specialist_id, name: row.display_name, weeks: 0, faceToFace: 0, weeksMeetingStandard: 0 };
    entry.weeks += 1;
    entry.faceToFace += row.n;
    if (row.n >= WEEKLY_FACE_TO_FACE_STANDARD) entry.weeksMeetingStandard += 1;
    specialists.set(row.specialist_id, entry);
  }
  const list = [...specialists.values()].map((entry) => ({ ...entry, meanPerWeek: entry.weeks === 0 ? null : entry.faceToFace / entry.weeks }));
  return {
    weeks: mondays.length,
    firstWeekStarts: mondays[0] ?? null,
    standard: WEEKLY_FACE_TO_FACE_STANDARD,
    specialists: list,
  };
}

/** (h) IPS Grow employment rate: episodes with a counted start by asAt over all episodes in the cohort. */
export async function employmentRate(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const result = await queries.employmentRate(db, organisationIds, cohort, asAt);
  return { outOfWork: result.episodes, startedWork: result.started, rate: share(result.started, result.episodes) };
}

/** The employment stage of each episode on `today`, by episode id. */
export async function employmentStages(db: Db, organisationIds: readonly string[], episodeIds: readonly string[], today: string): Promise<Map<string, EmploymentStage>> {
  const rows = await queries.stageFacts(db, organisationIds, episodeIds, today);
  return new Map(
    rows.map((row) => [
      row.episode_id,
      employmentStage(
        {
          hasProfile: row.has_profile,
          benefitsSessions: Number(row.benefits_sessions),
          jobSearchStartedOn: row.job_search_started_on,
          searchActivities: Number(row.search_activities),
          employerContacts: Number(row.employer_contacts),
          lastInterviewOn: row.last_interview_on,
          pendingInterviews: Number(row.pending_interviews),
          currentJobs: Number(row.current_jobs),
          earliestCurrentCountedStartOn: row.earliest_current_counted_start_on,
        },
        today,
      ),
    ]),
  );
}
