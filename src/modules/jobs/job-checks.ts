/**
 * The checks every job passes whichever way it arrives (form or API). Field
 * names are the API's; the form maps dates onto their day boxes. Parsing a
 * form's boxes lives in job-form.ts; rules that change data live in service.ts.
 */
import type { FieldError } from '../../platform/http/errors.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type { JobEndValues, JobValues } from './queries.ts';
import { longDateOf } from './rules.ts';

export const JOB_LISTS = ['soc_major_group', 'job_end_reason'] as const;
export const MAX_TITLE_LENGTH = 200;
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_HOURLY_PAY = 1000;

/** A job as submitted, before checking; fields a form could not read come with their errors. */
export interface JobInput {
  employerId: string;
  title: string;
  jobType: string;
  startsOn: string | undefined;
  countedStartOn: string | null;
  hoursPerWeek: number | undefined;
  hourlyPay: number | undefined;
  permanent: boolean | undefined;
  selfEmployed: boolean | undefined;
  openToAnyone: boolean | undefined;
  errors?: FieldError[];
}

export interface JobEndInput {
  endsOn: string | undefined;
  endReason: string;
  helpedWithNextJob: boolean | undefined;
  note: string;
  errors?: FieldError[];
}

export type CheckedJob = Omit<JobValues, 'competitive' | 'minimum_hourly_rate'>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value >= '1900-01-01';
}

function hasPence(value: number): boolean {
  return Math.abs(Math.round(value * 100) - value * 100) < 1e-6;
}

/**
 * Checks a job against the organisation's lists, its employers and the
 * clock. `endsOn` is the job's recorded end, if it has one, which the start
 * and the counted start may not pass. On an edit, `keptJobType` lets a code
 * no longer offered stay.
 */
export function checkJob(
  input: JobInput,
  reference: ReferenceData,
  context: { employerKnown: boolean; today: string; endsOn?: string | null; keptJobType?: string },
): { values?: CheckedJob; errors: FieldError[] } {
  const errors: FieldError[] = [...(input.errors ?? [])];
  const already = (field: string) => errors.some((error) => error.field === field);
  const add = (field: string, text: string) => {
    if (!already(field)) errors.push({ field, text });
  };

  if (!input.employerId) add('employerId', 'Select the employer');
  else if (!context.employerKnown) add('employerId', 'Select an employer from the list: there is no employer with this id');
  const title = input.title.trim();
  if (!title) add('title', 'Enter the job title');
  else if (title.length > MAX_TITLE_LENGTH) add('title', `Job title must be ${MAX_TITLE_LENGTH} characters or fewer`);
  if (!input.jobType) add('jobType', 'Select the job type');
  else if (!(reference.offers('soc_major_group', input.jobType) || (input.jobType === context.keptJobType && reference.has('soc_major_group', input.jobType)))) {
    add('jobType', 'Select a job type from the list');
  }

  const startsOn = input.startsOn;
  if (!startsOn) add('startsOn', 'Enter the start date');
  else if (!isRealDate(startsOn)) add('startsOn', 'Start date must be a real date');
  const startOk = startsOn !== undefined && isRealDate(startsOn);
  if (startOk && context.endsOn && startsOn > context.endsOn) {
    add('startsOn', `The start date must be on or before the date the job ended (${longDateOf(context.endsOn)})`);
  }
  const counted = input.countedStartOn;
  if (counted) {
    if (!isRealDate(counted)) add('countedStartOn', 'Date of 4 hours of paid work must be a real date');
    else if (startOk && counted < startsOn) add('countedStartOn', 'The date they reached 4 hours of paid work cannot be before the start date');
    else if (counted > context.today) add('countedStartOn', 'The date they reached 4 hours of paid work cannot be in the future');
    else if (context.endsOn && counted > context.endsOn) add('countedStartOn', `The date they reached 4 hours of paid work must be on or before the date the job ended (${longDateOf(context.endsOn)})`);
  }

  const hours = input.hoursPerWeek;
  if (hours === undefined) add('hoursPerWeek', 'Enter the hours a week');
  else if (!(Number.isFinite(hours) && hours > 0 && hours <= 100)) add('hoursPerWeek', 'Hours a week must be more than 0 and no more than 100');
  else if (!hasPence(hours)) add('hoursPerWeek', 'Hours a week can have at most 2 decimal places, like 37.5');
  const pay = input.hourlyPay;
  if (pay === undefined) add('hourlyPay', 'Enter the hourly pay');
  else if (!(Number.isFinite(pay) && pay >= 0)) add('hourlyPay', 'Hourly pay must be £0 or more');
  else if (pay > MAX_HOURLY_PAY) add('hourlyPay', `Hourly pay must be no more than £${MAX_HOURLY_PAY}`);
  else if (!hasPence(pay)) add('hourlyPay', 'Hourly pay must be in pounds and pence, like 12.21');

  if (input.permanent === undefined) add('permanent', 'Select whether the job is permanent or temporary');
  if (input.selfEmployed === undefined) add('selfEmployed', 'Select whether they are employed or self-employed');
  if (input.openToAnyone === undefined) add('openToAnyone', 'Select whether the job was open to anyone');

  if (errors.length > 0 || !startsOn || hours === undefined || pay === undefined) return { errors };
  return {
    errors,
    values: {
      employer_id: input.employerId,
      title,
      job_type_code: input.jobType,
      starts_on: startsOn,
      counted_start_on: counted || null,
      hours_per_week: hours,
      hourly_pay: pay,
      permanent: input.permanent!,
      self_employed: input.selfEmployed!,
      open_to_anyone: input.openToAnyone!,
    },
  };
}

/** Checks a job's ending: not before the start (or the counted start), not in the future, with a reason. */
export function checkEnd(
  input: JobEndInput,
  reference: ReferenceData,
  job: { starts_on: string; counted_start_on: string | null; end_reason_code?: string | null },
  today: string,
): { values?: JobEndValues; errors: FieldError[] } {
  const errors: FieldError[] = [...(input.errors ?? [])];
  const add = (field: string, text: string) => {
    if (!errors.some((error) => error.field === field)) errors.push({ field, text });
  };
  const endsOn = input.endsOn;
  if (!endsOn) add('endsOn', 'Enter the date the job ended');
  else if (!isRealDate(endsOn)) add('endsOn', 'End date must be a real date');
  else if (endsOn < job.starts_on) add('endsOn', `The end date cannot be before the job started (${longDateOf(job.starts_on)})`);
  else if (job.counted_start_on && endsOn < job.counted_start_on) {
    add('endsOn', `The end date cannot be before they reached 4 hours of paid work (${longDateOf(job.counted_start_on)})`);
  } else if (endsOn > today) add('endsOn', 'The end date must be today or in the past');
  if (!input.endReason) add('endReason', 'Select why the job ended');
  else if (!(reference.offers('job_end_reason', input.endReason) || (input.endReason === job.end_reason_code && reference.has('job_end_reason', input.endReason)))) {
    add('endReason', 'Select a reason from the list');
  }
  if (input.helpedWithNextJob === undefined) add('helpedWithNextJob', 'Select whether you helped with the next job');
  const note = input.note.trim();
  if (note.length > MAX_NOTE_LENGTH) add('note', `Note must be ${MAX_NOTE_LENGTH} characters or fewer`);
  if (errors.length > 0 || !endsOn || input.helpedWithNextJob === undefined) return { errors };
  return { errors, values: { ends_on: endsOn, end_reason_code: input.endReason, helped_with_next_job: input.helpedWithNextJob, end_note: note || null } };
}

/** Checks a checkpoint confirmation: once due, not before its date and not in the future. */
export function checkConfirmation(
  input: { stillInWork: boolean | undefined; confirmedOn: string | undefined; errors?: FieldError[] },
  checkpoint: { weeks: number; dueOn: string | null; status: string },
  job: { ends_on: string | null },
  today: string,
): { values?: { still_in_work: boolean; confirmed_on: string }; errors: FieldError[] } {
  const errors: FieldError[] = [...(input.errors ?? [])];
  const add = (field: string, text: string) => {
    if (!errors.some((error) => error.field === field)) errors.push({ field, text });
  };
  if (!checkpoint.dueOn) {
    return { errors: [{ field: 'weeks', text: 'Record the date they reached 4 hours of paid work before confirming a checkpoint' }] };
  }
  if (checkpoint.dueOn > today) {
    return { errors: [{ field: 'weeks', text: `The ${checkpoint.weeks}-week checkpoint is not due until ${longDateOf(checkpoint.dueOn)}` }] };
  }
  if (job.ends_on && job.ends_on < checkpoint.dueOn) {
    return { errors: [{ field: 'weeks', text: `The job ended on ${longDateOf(job.ends_on)}, before the ${checkpoint.weeks}-week checkpoint: it counts as not sustained` }] };
  }
  if (input.stillInWork === undefined) add('stillInWork', 'Select whether they are still in work');
  const on = input.confirmedOn;
  if (!on) add('confirmedOn', 'Enter the date you confirmed it');
  else if (!isRealDate(on)) add('confirmedOn', 'Date confirmed must be a real date');
  else if (on < checkpoint.dueOn) add('confirmedOn', `The date confirmed cannot be before the checkpoint (${longDateOf(checkpoint.dueOn)})`);
  else if (on > today) add('confirmedOn', 'The date confirmed must be today or in the past');
  if (errors.length > 0 || input.stillInWork === undefined || !on) return { errors };
  return { errors, values: { still_in_work: input.stillInWork, confirmed_on: on } };
}
