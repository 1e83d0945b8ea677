/**
 * The job, ending and checkpoint forms: reading their boxes into the inputs
 * the service checks, filling them from a saved job, and placing the
 * service's errors (named as the API names fields) on the right box.
 */
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import type { JobEndInput, JobInput } from './job-checks.ts';
import type { JobView } from './job-view.ts';

export interface JobFormValues {
  employerId: string;
  title: string;
  jobType: string;
  startsOn: DateParts;
  countedStartOn: DateParts;
  hoursPerWeek: string;
  hourlyPay: string;
  permanent: string;
  selfEmployed: string;
  openToAnyone: string;
  version?: string;
}

export interface EndFormValues {
  endsOn: DateParts;
  endReason: string;
  helpedWithNextJob: string;
  note: string;
  version?: string;
}

export interface CheckpointFormValues {
  stillInWork: string;
  confirmedOn: DateParts;
}

const DATE_FIELDS = ['startsOn', 'countedStartOn', 'endsOn', 'confirmedOn'];
const BLANK_DATE: DateParts = { day: '', month: '', year: '' };

function partsOf(on: string | null): DateParts {
  if (!on) return { ...BLANK_DATE };
  const [year, month, day] = on.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

export function readJobForm(body: unknown): JobFormValues {
  return {
    employerId: formString(body, 'employerId').slice(0, 100),
    title: formString(body, 'title'),
    jobType: formString(body, 'jobType').slice(0, 100),
    startsOn: readDateParts(body, 'startsOn'),
    countedStartOn: readDateParts(body, 'countedStartOn'),
    hoursPerWeek: formString(body, 'hoursPerWeek').slice(0, 20),
    hourlyPay: formString(body, 'hourlyPay').slice(0, 20),
    permanent: formString(body, 'permanent'),
    selfEmployed: formString(body, 'selfEmployed'),
    openToAnyone: formString(body, 'openToAnyone'),
    version: formString(body, 'version'),
  };
}

export function blankJobForm(): JobFormValues {
  return {
    employerId: '',
    title: '',
    jobType: '',
    startsOn: { ...BLANK_DATE },
    countedStartOn: { ...BLANK_DATE },
    hoursPerWeek: '',
    hourlyPay: '',
    permanent: '',
    selfEmployed: 'employed',
    openToAnyone: '',
  };
}

export function jobFormFrom(job: JobView): JobFormValues {
  return {
    employerId: job.employerId,
    title: job.title,
    jobType: job.jobType,
    startsOn: partsOf(job.startsOn),
    countedStartOn: partsOf(job.countedStartOn),
    hoursPerWeek: String(job.hoursPerWeek),
    hourlyPay: job.hourlyPay.toFixed(2),
    permanent: job.permanent ? 'permanent' : 'temporary',
    selfEmployed: job.selfEmployed ? 'self_employed' : 'employed',
    openToAnyone: job.openToAnyone ? 'yes' : 'no',
    version: String(job.version),
  };
}

function readDate(parts: DateParts, label: string, field: string, errors: DateFieldError[]): string | undefined {
  const date = parseDateInput(parts, label, field, errors);
  return date ? isoDate(date) : undefined;
}

/** "12.21", "£12.21" or "37.5": a number; anything else an error on its box. Ranges are the service's to check. */
function readNumber(text: string, field: string, label: string, example: string, errors: FieldError[]): number | undefined {
  if (!text) return undefined;
  const plain = text.replace(/^£/, '').replace(/,/g, '');
  if (/^-?\d{1,9}(\.\d+)?$/.test(plain)) return Number(plain);
  errors.push({ field, text: `${label} must be a number, like ${example}` });
  return undefined;
}

const choice = (value: string, yes: string, no: string) => (value === yes ? true : value === no ? false : undefined);

export function jobInputFrom(values: JobFormValues): JobInput {
  const errors: DateFieldError[] = [];
  const startsOn = readDate(values.startsOn, 'Start date', 'startsOn', errors);
  const countedStartOn = readDate(values.countedStartOn, 'Date of 4 hours of paid work', 'countedStartOn', errors) ?? null;
  return {
    employerId: values.employerId,
    title: values.title,
    jobType: values.jobType,
    startsOn,
    countedStartOn,
    hoursPerWeek: readNumber(values.hoursPerWeek, 'hoursPerWeek', 'Hours a week', '37.5', errors),
    hourlyPay: readNumber(values.hourlyPay, 'hourlyPay', 'Hourly pay', '12.21', errors),
    permanent: choice(values.permanent, 'permanent', 'temporary'),
    selfEmployed: choice(values.selfEmployed, 'self_employed', 'employed'),
    openToAnyone: choice(values.openToAnyone, 'yes', 'no'),
    errors,
  };
}

export function readEndForm(body: unknown): EndFormValues {
  return {
    endsOn: readDateParts(body, 'endsOn'),
    endReason: formString(body, 'endReason').slice(0, 100),
    helpedWithNextJob: formString(body, 'helpedWithNextJob'),
    note: formString(body, 'note', { trim: false }),
    version: formString(body, 'version'),
  };
}

export function endFormFrom(job: JobView): EndFormValues {
  return {
    endsOn: partsOf(job.endsOn),
    endReason: job.endReason ?? '',
    helpedWithNextJob: job.helpedWithNextJob === null ? '' : job.helpedWithNextJob ? 'yes' : 'no',
    note: job.endNote ?? '',
    version: String(job.version),
  };
}

export function endInputFrom(values: EndFormValues): JobEndInput {
  const errors: DateFieldError[] = [];
  return {
    endsOn: readDate(values.endsOn, 'End date', 'endsOn', errors),
    endReason: values.endReason,
    helpedWithNextJob: choice(values.helpedWithNextJob, 'yes', 'no'),
    note: values.note,
    errors,
  };
}

export function readCheckpointForm(body: unknown): CheckpointFormValues {
  return { stillInWork: formString(body, 'stillInWork'), confirmedOn: readDateParts(body, 'confirmedOn') };
}

export function checkpointInputFrom(values: CheckpointFormValues) {
  const errors: DateFieldError[] = [];
  return {
    stillInWork: choice(values.stillInWork, 'yes', 'no'),
    confirmedOn: readDate(values.confirmedOn, 'Date confirmed', 'confirmedOn', errors),
    errors,
  };
}

/** The service names a date by its field (startsOn); the page highlights its day, month and year boxes. */
export function placeErrors(errors: FieldError[]): DateFieldError[] {
  return errors.map((error) =>
    DATE_FIELDS.includes(error.field) ? { ...error, field: `${error.field}-day`, parts: ['day', 'month', 'year'] as Array<'day' | 'month' | 'year'> } : error,
  );
}
