/** How a job looks to pages and the API: its stored facts with the derived rules beside them. */
import { counselledBefore } from '../benefits/service.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type { JobRow } from './queries.ts';
import {
  assessCompetitive,
  CHECKPOINT_STATUS_LABELS,
  type Checkpoint,
  type Confirmation,
  checkpointsFor,
  EXPECTATION_STATUS_LABELS,
  type Expectation,
  followAlong,
  pounds,
  type WageRate,
} from './rules.ts';

export const NOT_YET_COUNTED = 'Not yet counted: record when they have done 4 hours of paid work';
export const NO_COUNSELLING = 'No benefits counselling in the 30 days before the start';

export interface JobView {
  id: string;
  episodeId: string;
  employerId: string;
  employerName: string;
  title: string;
  jobType: string;
  jobTypeLabel: string;
  startsOn: string;
  countedStartOn: string | null;
  endsOn: string | null;
  hoursPerWeek: number;
  hourlyPay: number;
  hourlyPayText: string;
  permanent: boolean;
  selfEmployed: boolean;
  openToAnyone: boolean;
  /** As stored at the last save. */
  competitive: boolean;
  minimumHourlyRate: number | null;
  competitiveExplanation: string;
  /** The fidelity flag, or null when counselling came in time. */
  counsellingFlag: string | null;
  endReason: string | null;
  endReasonLabel: string | null;
  helpedWithNextJob: boolean | null;
  endNote: string | null;
  checkpoints: Array<Checkpoint & { statusLabel: string }>;
  followAlong: Array<Expectation & { statusLabel: string }>;
  version: number;
}

export interface JobContext {
  rates: readonly WageRate[];
  dateOfBirth: string | null;
  confirmations: readonly Confirmation[];
  counsellingDates: readonly string[];
  inWorkContactDates: readonly string[];
  today: string;
}

export function toView(row: JobRow, reference: ReferenceData, context: JobContext): JobView {
  const hourlyPay = Number(row.hourly_pay);
  // The flag shown is the one stored when the job was saved; the explanation is worked out again from the same inputs.
  const assessment = assessCompetitive({ openToAnyone: row.open_to_anyone, hourlyPay, startsOn: row.starts_on, dateOfBirth: context.dateOfBirth }, context.rates);
  const counselled = counselledBefore(context.counsellingDates, row.counted_start_on ?? row.starts_on);
  return {
    id: row.id,
    episodeId: row.episode_id,
    employerId: row.employer_id,
    employerName: row.employer_name,
    title: row.title,
    jobType: row.job_type_code,
    jobTypeLabel: reference.label('soc_major_group', row.job_type_code),
    startsOn: row.starts_on,
    countedStartOn: row.counted_start_on,
    endsOn: row.ends_on,
    hoursPerWeek: Number(row.hours_per_week),
    hourlyPay,
    hourlyPayText: pounds(hourlyPay),
    permanent: row.permanent,
    selfEmployed: row.self_employed,
    openToAnyone: row.open_to_anyone,
    competitive: row.competitive,
    minimumHourlyRate: row.minimum_hourly_rate === null ? null : Number(row.minimum_hourly_rate),
    competitiveExplanation: assessment.explanation,
    counsellingFlag: counselled ? null : NO_COUNSELLING,
    endReason: row.end_reason_code,
    endReasonLabel: row.end_reason_code ? reference.label('job_end_reason', row.end_reason_code) : null,
    helpedWithNextJob: row.helped_with_next_job,
    endNote: row.end_note,
    checkpoints: checkpointsFor({ countedStartOn: row.counted_start_on, endsOn: row.ends_on }, context.confirmations, context.today).map((c) => ({
      ...c,
      statusLabel: CHECKPOINT_STATUS_LABELS[c.status],
    })),
    followAlong: followAlong({ startsOn: row.starts_on, endsOn: row.ends_on }, context.inWorkContactDates, context.today).map((e) => ({
      ...e,
      statusLabel: EXPECTATION_STATUS_LABELS[e.status],
    })),
    version: row.version,
  };
}
