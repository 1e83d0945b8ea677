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
  return (await employmentFigures(db, organisationIds, cohort, asAt)).activity;
}

/** (b) People with two or more counted job starts by asAt. */
export async function peopleWithSeveralJobs(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  return (await employmentFigures(db, organisationIds, cohort, asAt)).severalJobs;
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
  const rows = await queries.daysToFirst(db, organisationIds, cohort, asAt);
  return {
    firstEmployerContact: { fromReferral: toSummary(rows.employer_contact.referral), fromRelease: toSummary(rows.employer_contact.release) },
    firstJob: { fromReferral: toSummary(rows.job.referral), fromRelease: toSummary(rows.job.release) },
  };
}

/** (d) Diversity of job types (SOC 2020 major groups) and of employers among counted job starts. */
export async function jobDiversity(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  return (await employmentFigures(db, organisationIds, cohort, asAt)).diversity;
}

/** (e) The share of counted job starts that were competitive. */
export async function competitiveShare(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  return (await employmentFigures(db, organisationIds, cohort, asAt)).competitive;
}

/** (f) The share of counted job starts with an attended contact on the start day or within 3 days after it. */
export async function followAlongTiming(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  return (await employmentFigures(db, organisationIds, cohort, asAt)).followAlong;
}

/**
 * (a), (b), (d), (e) and (f) together, from one statement: the outcomes
 * report needs them all, and reading the cohort and its job starts once is
 * most of the saving at scale.
 */
export async function employmentFigures(db: Db, organisationIds: readonly string[], cohort: Cohort, asAt: string) {
  const row = await queries.employmentFigures(db, organisationIds, cohort, asAt, FOLLOW_ALONG_DAYS);
  const of = (kind: string): PeopleAndTotal => {
    const found = row.activities.find((candidate) => candidate.kind === kind);
    return { people: Number(found?.people ?? 0), total: Number(found?.total ?? 0) };
  };
  const starts = { people: Number(row.start_people), total: Number(row.start_total) };
  const competitive = Number(row.start_competitive);
  const followed = Number(row.follow_along_followed);
  const due = Number(row.follow_along_starts);
  const byType = row.by_job_type.map((entry) => ({ code: entry.code, jobs: Number(entry.jobs) }));
  const largest = row.by_employer[0];
  const reference = await loadReferenceData(db, organisationIds[0] ?? '', ['soc_major_group']);
  const activity: ActivityCounts = {
    cvs: of('cv'),
    applications: of('application'),
    interviews: of('interview'),
    trainingCourses: { ...of('training_course'), trainedPeopleIntoWork: Number(row.trained_into_work) },
    workTrials: of('work_trial'),
    workPlacements: of('work_placement'),
    jobs: starts,
  };
  return {
    activity,
    severalJobs: { peopleWithAJob: starts.people, peopleWithTwoOrMoreJobs: Number(row.start_people_with_two_or_more) },
    diversity: {
      jobs: starts.total,
      jobTypes: byType.length,
      byJobType: byType.map((entry) => ({ code: entry.code, label: reference.label('soc_major_group', entry.code), jobs: entry.jobs, share: share(entry.jobs, starts.total) })),
      employers: row.by_employer.length,
      largestEmployerJobs: largest ? Number(largest.jobs) : 0,
      largestEmployerShare: largest ? share(Number(largest.jobs), starts.total) : null,
    },
    competitive: { jobs: starts.total, competitive, share: share(competitive, starts.total) },
    followAlong: { jobs: due, contactedWithin3Days: followed, share: share(followed, due) },
  };
}

export type EmploymentFigures = Awaited<ReturnType<typeof employmentFigures>>;

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
