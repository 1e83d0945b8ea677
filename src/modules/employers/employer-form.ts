/**
 * Reading the employer pages' forms into the service's inputs, and filling
 * them again. Dates are GOV.UK date inputs; checkboxes may arrive as one
 * value or several.
 */
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { londonToday } from '../../platform/london-time.ts';
import type { EmployerContactInput } from './contact-log.ts';
import type { EmployerInput, EmployerPersonInput, EmployerView, VacancyInput } from './employer-rules.ts';

export function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

export type EmployerFormValues = EmployerInput & { version: string };

export function readEmployerForm(body: unknown): EmployerFormValues {
  return {
    name: formString(body, 'name'),
    sector: formString(body, 'sector'),
    size: formString(body, 'size'),
    locations: formString(body, 'locations'),
    jobTypes: formList(body, 'jobTypes'),
    workFeatures: formList(body, 'workFeatures'),
    openToConvictions: formString(body, 'openToConvictions'),
    convictionsNote: formString(body, 'convictionsNote'),
    placementsOffered: formString(body, 'placementsOffered'),
    note: formString(body, 'note'),
    version: formString(body, 'version'),
  };
}

export function blankEmployerForm(): EmployerFormValues {
  return readEmployerForm({ openToConvictions: 'unknown' });
}

export function employerFormFrom(employer: EmployerView): EmployerFormValues {
  return {
    name: employer.name,
    sector: employer.sector ?? '',
    size: employer.size ?? '',
    locations: employer.locations ?? '',
    jobTypes: employer.jobTypes,
    workFeatures: employer.workFeatures,
    openToConvictions: employer.openToConvictions,
    convictionsNote: employer.convictionsNote ?? '',
    placementsOffered: employer.placementsOffered ?? '',
    note: employer.note ?? '',
    version: String(employer.version),
  };
}

export function readPersonForm(body: unknown): EmployerPersonInput {
  return { name: formString(body, 'name'), role: formString(body, 'role'), phone: formString(body, 'phone'), email: formString(body, 'email') };
}

export type VacancyFormValues = Omit<VacancyInput, 'closesOn' | 'errors'> & { closesOn: DateParts };

export function readVacancyForm(body: unknown): VacancyFormValues {
  return {
    kind: formString(body, 'kind'),
    title: formString(body, 'title'),
    jobType: formString(body, 'jobType'),
    hoursPerWeek: formString(body, 'hoursPerWeek').slice(0, 20),
    hourlyPay: formString(body, 'hourlyPay').slice(0, 20),
    closesOn: readDateParts(body, 'closesOn'),
    note: formString(body, 'note'),
  };
}

export function blankVacancyForm(): VacancyFormValues {
  return readVacancyForm({ kind: 'job' });
}

export function vacancyInputFrom(values: VacancyFormValues): VacancyInput {
  const errors: DateFieldError[] = [];
  const date = parseDateInput(values.closesOn, 'Closing date', 'closesOn', errors);
  return { ...values, closesOn: date ? isoDate(date) : null, errors };
}

export interface ContactFormValues {
  employerId: string;
  date: DateParts;
  method: string;
  purpose: string;
  note: string;
  episodeIds: string[];
}

export function readContactForm(body: unknown): ContactFormValues {
  return {
    employerId: formString(body, 'employerId'),
    date: readDateParts(body, 'date'),
    method: formString(body, 'method'),
    purpose: formString(body, 'purpose'),
    note: formString(body, 'note', { trim: false }),
    episodeIds: formList(body, 'episodeIds'),
  };
}

/** A new contact: today's UK date, and any employer or person the link named. */
export function blankContactForm(prefill: { employerId?: string; episodeId?: string }, now: Date = new Date()): ContactFormValues {
  const [year, month, day] = londonToday(now).split('-');
  return {
    employerId: prefill.employerId ?? '',
    date: { day: String(Number(day)), month: String(Number(month)), year },
    method: '',
    purpose: '',
    note: '',
    episodeIds: prefill.episodeId ? [prefill.episodeId] : [],
  };
}

export function contactInputFrom(values: ContactFormValues): EmployerContactInput {
  const errors: DateFieldError[] = [];
  const date = parseDateInput(values.date, 'Date of the contact', 'occurredOn', errors);
  return {
    employerId: values.employerId,
    occurredOn: date ? isoDate(date) : undefined,
    method: values.method,
    purpose: values.purpose,
    note: values.note,
    episodeIds: values.episodeIds,
    // parseDateInput names the boxes occurredOn-day etc.; the service reports a missing or future date as occurredOn.
    errors: errors.map((error) => ({ ...error, field: 'occurredOn' })),
  };
}

/** The service names the date occurredOn; the page puts it on the date boxes. */
export function placeContactErrors(errors: FieldError[]): DateFieldError[] {
  return errors.map((error) => (error.field === 'occurredOn' ? { ...error, field: 'date-day', parts: ['day', 'month', 'year'] } : error));
}
