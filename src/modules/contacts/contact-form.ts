/**
 * The quick-entry form: reading its boxes into a ContactInput, filling them
 * from a saved contact, and placing the service's errors on the right box.
 * The date is a GOV.UK date input; the time is one HH:MM box in UK time.
 */
import { type DateParts, type DateFieldError, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import type { ContactInput, ContactView } from './contact-view.ts';
import { formatTime, londonInstant, londonToday, londonWallClock, parseTime } from '../../platform/london-time.ts';

/** What the boxes held, to show the form again exactly as it was sent. */
export interface ContactFormValues {
  date: DateParts;
  time: string;
  type: string;
  setting: string;
  with: string;
  attended: string;
  durationMinutes: string;
  note: string;
  pathway: string;
  version?: string;
}

export function readContactForm(body: unknown): ContactFormValues {
  return {
    date: readDateParts(body, 'date'),
    time: formString(body, 'time').slice(0, 10),
    type: formString(body, 'type'),
    setting: formString(body, 'setting'),
    with: formString(body, 'with'),
    attended: formString(body, 'attended'),
    durationMinutes: formString(body, 'durationMinutes').slice(0, 10),
    note: formString(body, 'note', { trim: false }),
    pathway: formString(body, 'pathway'),
    version: formString(body, 'version'),
  };
}

/** A new contact's form: today's date in the UK, everything else to choose. */
export function blankContactForm(now: Date = new Date()): ContactFormValues {
  const [year, month, day] = londonToday(now).split('-');
  return {
    date: { day: String(Number(day)), month: String(Number(month)), year },
    time: '',
    type: '',
    setting: '',
    with: 'person',
    attended: 'yes',
    durationMinutes: '',
    note: '',
    pathway: '',
  };
}

/** The form for editing a saved contact, its time shown as a UK clock showed it. */
export function contactFormFrom(contact: ContactView): ContactFormValues {
  const clock = londonWallClock(contact.occurredAt);
  return {
    date: { day: String(clock.day), month: String(clock.month), year: String(clock.year) },
    time: formatTime(clock),
    type: contact.type,
    setting: contact.setting,
    with: contact.with,
    attended: contact.attended ? 'yes' : 'no',
    durationMinutes: contact.durationMinutes === null ? '' : String(contact.durationMinutes),
    note: contact.note ?? '',
    pathway: contact.pathway ?? '',
    version: String(contact.version),
  };
}

/** Turns the boxes into a ContactInput; what cannot be read comes back as errors on the boxes concerned. */
export function contactInputFrom(values: ContactFormValues): ContactInput {
  const errors: DateFieldError[] = [];
  const date = parseDateInput(values.date, 'Date of the contact', 'date', errors);
  if (!date && errors.length === 0) errors.push({ field: 'date-day', text: 'Enter the date of the contact', parts: ['day', 'month', 'year'] });
  let occurredAt: Date | undefined;
  const time = values.time ? parseTime(values.time) : undefined;
  if (!values.time) errors.push({ field: 'time', text: 'Enter the time of the contact' });
  else if (!time) errors.push({ field: 'time', text: 'Enter a real time in the 24-hour clock, like 09:30 or 14:05' });
  else if (date) {
    occurredAt = londonInstant({ ...date, ...time });
    if (!occurredAt) errors.push({ field: 'time', text: 'That time did not happen in the UK: the clocks went forward an hour. Enter a time from 02:00' });
  }
  let durationMinutes: number | null = null;
  if (values.durationMinutes) {
    if (/^\d{1,4}$/.test(values.durationMinutes) && Number(values.durationMinutes) <= 1440) durationMinutes = Number(values.durationMinutes);
    else errors.push({ field: 'durationMinutes', text: 'Duration must be a whole number of minutes from 0 to 1440' });
  }
  const attended = values.attended === 'yes' ? true : values.attended === 'no' ? false : undefined;
  return {
    occurredAt,
    type: values.type,
    setting: values.setting,
    with: values.with,
    attended,
    durationMinutes,
    note: values.note,
    pathway: values.pathway,
    errors,
  };
}

/**
 * The service names the date and time together occurredAt; the page shows a
 * date in the future on the date boxes and a later time today on the time box.
 */
export function placeErrors(errors: FieldError[], values: ContactFormValues, now: Date = new Date()): DateFieldError[] {
  const { day, month, year } = values.date;
  const entered = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return errors.map((error) => {
    if (error.field !== 'occurredAt') return error;
    return entered > londonToday(now) ? { ...error, field: 'date-day', parts: ['day', 'month', 'year'] } : { ...error, field: 'time' };
  });
}
