/**
 * The activity form: reading its boxes (which depend on the kind) into an
 * ActivityInput, and placing the service's errors on the right box.
 */
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { londonToday } from '../../platform/london-time.ts';
import type { ActivityInput, UploadedFile } from './activity-rules.ts';

/** What the boxes held, to show the form again exactly as it was sent (never the file: browsers cannot refill it). */
export interface ActivityFormValues {
  kind: string;
  occurredOn: DateParts;
  endsOn: DateParts;
  employerId: string;
  employerName: string;
  title: string;
  outcome: string;
  note: string;
  provider: string;
  completed: string;
  certificate: string;
}

export function readActivityForm(body: unknown, kind: string): ActivityFormValues {
  return {
    kind,
    occurredOn: readDateParts(body, 'occurredOn'),
    endsOn: readDateParts(body, 'endsOn'),
    employerId: formString(body, 'employerId').slice(0, 100),
    employerName: formString(body, 'employerName'),
    title: formString(body, 'title'),
    outcome: formString(body, 'outcome').slice(0, 100),
    note: formString(body, 'note', { trim: false }),
    provider: formString(body, 'provider'),
    completed: formString(body, 'completed'),
    certificate: formString(body, 'certificate'),
  };
}

export function blankActivityForm(kind: string, now: Date = new Date()): ActivityFormValues {
  const [year, month, day] = londonToday(now).split('-');
  const empty = { day: '', month: '', year: '' };
  return {
    kind,
    occurredOn: { day: String(Number(day)), month: String(Number(month)), year },
    endsOn: empty,
    employerId: '',
    employerName: '',
    title: '',
    outcome: '',
    note: '',
    provider: '',
    completed: '',
    certificate: '',
  };
}

export function activityInputFrom(values: ActivityFormValues, file: UploadedFile | null): ActivityInput {
  const errors: DateFieldError[] = [];
  const course = values.kind === 'training_course';
  const occurredOn = parseDateInput(values.occurredOn, course ? 'The start date' : 'The date', 'occurredOn', errors);
  const endsOn = course ? parseDateInput(values.endsOn, 'The end date', 'endsOn', errors) : undefined;
  if (values.completed && values.completed !== 'yes' && values.completed !== 'no') errors.push({ field: 'completed', text: 'Select yes or no' });
  return {
    kind: values.kind,
    occurredOn: occurredOn ? isoDate(occurredOn) : undefined,
    endsOn: endsOn ? isoDate(endsOn) : null,
    employerId: values.employerId,
    employerName: values.employerName,
    title: values.title,
    outcome: values.outcome,
    note: values.note,
    provider: values.provider,
    completed: values.completed === 'yes' ? true : values.completed === 'no' ? false : null,
    certificate: values.certificate,
    file,
    fileRequired: true,
    errors,
  };
}

/** The service names a whole date; the page highlights its three boxes and links to the day. */
export function placeErrors(errors: FieldError[]): DateFieldError[] {
  return errors.map((error) =>
    error.field === 'occurredOn' || error.field === 'endsOn' ? { ...error, field: `${error.field}-day`, parts: ['day', 'month', 'year'] } : error,
  );
}
