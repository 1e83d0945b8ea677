/**
 * The rules for a job search activity, shared by the page and the API: which
 * fields each kind has, which dates are allowed, and the view model.
 */
import { daysBetween } from '../../platform/calendar.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import { CV_TOO_LARGE, CV_WRONG_TYPE, MAX_CV_BYTES, type SniffedType, sniffCv } from './file-type.ts';
import type { ActivityRow } from './queries.ts';
import { ACTIVITY_KINDS, type ActivityKind } from './tables.ts';

export const ACTIVITY_LISTS = ['job_search_outcome'] as const;

export const KIND_LABELS: Record<ActivityKind, string> = {
  cv: 'CV created or updated',
  application: 'Application',
  interview: 'Interview',
  work_trial: 'Work trial',
  work_placement: 'Work-experience placement',
  training_course: 'Training course',
};

/** Kinds that are booked ahead, so their date may be in the future. */
const MAY_BE_FUTURE: readonly ActivityKind[] = ['interview', 'training_course'];

export const isActivityKind = (value: unknown): value is ActivityKind => (ACTIVITY_KINDS as readonly unknown[]).includes(value);

export interface UploadedFile {
  fileName: string;
  content: Buffer;
  /** More bytes came than the limit allows; content holds only the first of them. */
  tooLarge: boolean;
}

/** An activity as the page or the API gives it: dates already read as YYYY-MM-DD, errors met reading them. */
export interface ActivityInput {
  kind: string;
  occurredOn: string | undefined;
  endsOn: string | null;
  employerId: string;
  employerName: string;
  title: string;
  outcome: string;
  note: string;
  provider: string;
  completed: boolean | null;
  certificate: string;
  /** Pages must send a CV with a CV activity; the API records one without the file. */
  file: UploadedFile | null;
  fileRequired: boolean;
  errors: FieldError[];
}

export interface CheckedActivity {
  kind: ActivityKind;
  occurred_on: string;
  employer_id: string | null;
  employer_name: string | null;
  title: string | null;
  outcome_code: string | null;
  note: string | null;
  provider: string | null;
  ends_on: string | null;
  completed: boolean | null;
  certificate: string | null;
  file: { fileName: string; content: Buffer; type: SniffedType } | null;
}

function text(value: string, field: string, label: string, max: number, errors: FieldError[]): string | null {
  const trimmed = value.trim();
  if (trimmed.length > max) errors.push({ field, text: `${label} must be ${max.toLocaleString('en-GB')} characters or fewer` });
  return trimmed || null;
}

/**
 * Checks an activity against the kind's fields. employerKnown says whether
 * employerId is one of the organisation's employers (asked by the caller, who
 * holds the database).
 */
export function checkActivity(
  input: ActivityInput,
  reference: ReferenceData,
  employerKnown: boolean,
  today: string,
): { values?: CheckedActivity; errors: FieldError[] } {
  const errors = [...input.errors];
  if (!isActivityKind(input.kind)) return { errors: [...errors, { field: 'kind', text: 'Select the kind of activity' }] };
  const kind = input.kind;
  const course = kind === 'training_course';
  const dateErrorsAt = new Set(errors.map((error) => error.field.replace(/-(day|month|year)$/, '')));
  if (!input.occurredOn && !dateErrorsAt.has('occurredOn')) errors.push({ field: 'occurredOn', text: course ? 'Enter the start date' : 'Enter the date' });
  if (input.occurredOn && input.occurredOn > today && !MAY_BE_FUTURE.includes(kind)) {
    errors.push({ field: 'occurredOn', text: 'The date must be today or in the past' });
  }
  if (input.employerId && input.employerName.trim()) {
    errors.push({ field: 'employerId', text: 'Select an employer from the list or type an employer’s name, not both' });
  } else if (input.employerId && !(isUuid(input.employerId) && employerKnown)) {
    errors.push({ field: 'employerId', text: 'There is no employer with this id in your organisation’s employers' });
  }
  const employerName = text(input.employerName, 'employerName', 'The employer’s name', 200, errors);
  const title = text(input.title, 'title', 'The job title or role', 200, errors);
  const outcome = reference.check('job_search_outcome', input.outcome, 'outcome', errors, 'Select an outcome from the list');
  const note = text(input.note, 'note', 'The note', 5000, errors);

  const provider = course ? text(input.provider, 'provider', 'The provider', 200, errors) : null;
  if (course && !provider) errors.push({ field: 'provider', text: 'Enter the training provider' });
  const endsOn = course ? input.endsOn : null;
  if (endsOn && input.occurredOn && endsOn < input.occurredOn) errors.push({ field: 'endsOn', text: 'The end date must be the same as or after the start date' });
  const certificate = course ? text(input.certificate, 'certificate', 'The certificate', 200, errors) : null;

  let file: CheckedActivity['file'] = null;
  if (kind === 'cv' && input.file && (input.file.content.length > 0 || input.file.fileName)) {
    const type = sniffCv(input.file.fileName, input.file.content);
    if (input.file.tooLarge || input.file.content.length > MAX_CV_BYTES) errors.push({ field: 'file', text: CV_TOO_LARGE });
    else if (input.file.content.length === 0) errors.push({ field: 'file', text: 'The selected file is empty' });
    else if (!type) errors.push({ field: 'file', text: CV_WRONG_TYPE });
    else file = { fileName: input.file.fileName, content: input.file.content, type };
  } else if (kind === 'cv' && input.fileRequired) {
    errors.push({ field: 'file', text: 'Select the CV file' });
  }

  if (errors.length > 0 || !input.occurredOn) return { errors };
  return {
    errors,
    values: {
      kind,
      occurred_on: input.occurredOn,
      employer_id: input.employerId || null,
      employer_name: employerName,
      title,
      outcome_code: outcome,
      note,
      provider,
      ends_on: endsOn,
      completed: course ? input.completed : null,
      certificate,
      file,
    },
  };
}

export interface ActivityView {
  id: string;
  episodeId: string;
  kind: ActivityKind;
  kindLabel: string;
  occurredOn: string;
  endsOn: string | null;
  employerId: string | null;
  employer: string | null;
  title: string | null;
  outcome: string | null;
  outcomeLabel: string;
  note: string | null;
  provider: string | null;
  completed: boolean | null;
  certificate: string | null;
  file: { id: string; name: string; sizeBytes: number; contentType: string } | null;
  recordedByName: string | null;
  createdAt: Date;
  deleted: boolean;
}

export function toView(row: ActivityRow, reference: ReferenceData): ActivityView {
  return {
    id: row.id,
    episodeId: row.episode_id,
    kind: row.kind,
    kindLabel: KIND_LABELS[row.kind],
    occurredOn: String(row.occurred_on),
    endsOn: row.ends_on ? String(row.ends_on) : null,
    employerId: row.employer_id,
    employer: row.employer_record_name ?? row.employer_name,
    title: row.title,
    outcome: row.outcome_code,
    outcomeLabel: reference.label('job_search_outcome', row.outcome_code),
    note: row.note,
    provider: row.provider,
    completed: row.completed,
    certificate: row.certificate,
    file: row.file_id && row.file_name ? { id: row.file_id, name: row.file_name, sizeBytes: Number(row.size_bytes), contentType: String(row.content_type) } : null,
    recordedByName: row.recorded_by_name,
    createdAt: row.created_at,
    deleted: row.deleted_at !== null,
  };
}

export { daysBetween };
