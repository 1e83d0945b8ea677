import type { FieldError } from './errors.ts';

/**
 * GOV.UK date inputs (day, month, year boxes): reading, checking, and turning
 * a calendar date into the instant it starts in Europe/London.
 */

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Reads the three boxes named PREFIX-day, PREFIX-month and PREFIX-year from a form body or query. */
export function readDateParts(source: unknown, prefix: string): DateParts {
  const record = (source ?? {}) as Record<string, unknown>;
  const part = (name: string) => {
    const value = record[`${prefix}-${name}`];
    return typeof value === 'string' ? value.trim().slice(0, 10) : '';
  };
  return { day: part('day'), month: part('month'), year: part('year') };
}

/** YYYY-MM-DD, the form a calendar date takes in the database. */
export function isoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** A date error also says which of its inputs to highlight: only the missing ones, or all three. */
export interface DateFieldError extends FieldError {
  parts?: Array<'day' | 'month' | 'year'>;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Checks a GOV.UK date input: all blank is no date; otherwise it must be whole and real. */
export function parseDateInput(parts: DateParts, label: string, field: string, errors: DateFieldError[]): CalendarDate | undefined {
  const missing = (['day', 'month', 'year'] as const).filter((part) => !parts[part]);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    errors.push({ field: `${field}-${missing[0]}`, text: `${label} must include a ${missing.join(' and ')}`, parts: missing });
    return undefined;
  }
  const numeric = /^\d{1,2}$/.test(parts.day) && /^\d{1,2}$/.test(parts.month) && /^\d{4}$/.test(parts.year);
  const date = { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const real =
    numeric &&
    date.year >= 1900 &&
    check.getUTCFullYear() === date.year &&
    check.getUTCMonth() === date.month - 1 &&
    check.getUTCDate() === date.day;
  if (!real) {
    errors.push({ field: `${field}-day`, text: `${label} must be a real date`, parts: ['day', 'month', 'year'] });
    return undefined;
  }
  return date;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function londonOffsetMs(instant: number): number {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - instant;
}

/** The instant a calendar day starts in Europe/London (day may overflow: 32 January is 1 February). */
export function londonMidnight(year: number, month: number, day: number): Date {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const guess = utcMidnight - londonOffsetMs(utcMidnight);
  return new Date(utcMidnight - londonOffsetMs(guess));
}


/**
 * A date that must be given, in a range of years that catches typing slips
 * (2206 for 2026) in forms about the service's own periods. Returns YYYY-MM-DD.
 */
export function requiredPeriodDate(parts: DateParts, label: string, field: string, errors: DateFieldError[]): string | undefined {
  const before = errors.length;
  const date = parseDateInput(parts, label, field, errors);
  if (!date && errors.length === before) errors.push({ field: `${field}-day`, text: `Enter the ${label.toLowerCase()}`, parts: ['day', 'month', 'year'] });
  if (date && (date.year < 2000 || date.year > 2100)) {
    errors.push({ field: `${field}-year`, text: `${label} must be between the years 2000 and 2100`, parts: ['year'] });
    return undefined;
  }
  return date ? isoDate(date) : undefined;
}

/** Turns a stored date back into form boxes, to prefill a form. */
export function dateParts(date: string | null | undefined): DateParts {
  if (!date) return { day: '', month: '', year: '' };
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** An optional date from its boxes: undefined when blank, null when unreadable (its error already recorded). */
export function optionalDate(parts: DateParts, label: string, field: string, errors: DateFieldError[]): string | null | undefined {
  const before = errors.length;
  const date = parseDateInput(parts, label, field, errors);
  if (date) return isoDate(date);
  return errors.length > before ? null : undefined;
}
