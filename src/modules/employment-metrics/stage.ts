/**
 * The IPS employment stage of an open episode, derived from its records (see
 * docs/metrics.md, "Employment stage"). The facts come from one query
 * (stageFacts in queries.ts); the rule itself is this pure function, so each
 * branch can be tested without a database.
 */
import { daysBetween } from '../../platform/calendar.ts';
export const EMPLOYMENT_STAGES = ['profile', 'benefits_counselling', 'job_search', 'interviewing', 'in_work', 'in_work_support'] as const;
export type EmploymentStage = (typeof EMPLOYMENT_STAGES)[number];

export const EMPLOYMENT_STAGE_LABELS: Record<EmploymentStage, string> = {
  profile: 'Profile',
  benefits_counselling: 'Benefits counselling',
  job_search: 'Job search',
  interviewing: 'Interviewing',
  in_work: 'In work',
  in_work_support: 'In-work support',
};

/** Days after the counted start (4 hours of paid work) at which "in work" becomes "in-work support". */
export const SETTLING_IN_DAYS = 28;
/** How recent an interview or work trial must be for the person to count as interviewing. */
export const INTERVIEW_WINDOW_DAYS = 30;

export interface StageFacts {
  hasProfile: boolean;
  benefitsSessions: number;
  jobSearchStartedOn: string | null;
  /** CV and application activities, not deleted. */
  searchActivities: number;
  /** Employer contacts logged on the person's behalf. */
  employerContacts: number;
  /** The latest interview or work trial (not deleted), any date. */
  lastInterviewOn: string | null;
  /** Interviews or work trials (not deleted) whose outcome is still pending. */
  pendingInterviews: number;
  /** Jobs not deleted with no end date or one on or after today. */
  currentJobs: number;
  /** The earliest counted start among the current jobs, if any has one. */
  earliestCurrentCountedStartOn: string | null;
}

export { daysBetween };

/** The stage on `today` (YYYY-MM-DD): the furthest stage whose condition holds, checked from work backwards. */
export function employmentStage(facts: StageFacts, today: string): EmploymentStage {
  if (facts.currentJobs > 0) {
    const counted = facts.earliestCurrentCountedStartOn;
    return counted !== null && daysBetween(counted, today) > SETTLING_IN_DAYS ? 'in_work_support' : 'in_work';
  }
  const recentInterview = facts.lastInterviewOn !== null && daysBetween(facts.lastInterviewOn, today) <= INTERVIEW_WINDOW_DAYS;
  if (recentInterview || facts.pendingInterviews > 0) return 'interviewing';
  if (facts.jobSearchStartedOn !== null || facts.searchActivities > 0 || facts.employerContacts > 0) return 'job_search';
  if (!facts.hasProfile) return 'profile';
  if (facts.benefitsSessions === 0) return 'benefits_counselling';
  return 'job_search';
}
