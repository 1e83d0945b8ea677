/**
 * Calendar arithmetic for custody and release. Dates are 'YYYY-MM-DD' strings
 * (a release date has no time zone); "today" is the date in the UK.
 */

import { type DateParts, isoDate, parseDateInput } from '../../platform/http/date-input.ts';
import type { FieldError } from '../../platform/http/errors.ts';

/** Today's date in Europe/London, as YYYY-MM-DD. */
export { londonToday as todayInLondon } from '../../platform/london-time.ts';

export { addDays } from '../../platform/calendar.ts';

/** A year is 365.25 days and a month a twelfth of that, so 12 months and 1 year both come to 365 days. */
const DAYS_PER_YEAR = 365.25;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

export function sentenceDays(years: number, months: number, days: number): number {
  return Math.round(years * DAYS_PER_YEAR + months * DAYS_PER_MONTH + days);
}

/** Short sentence: under 12 months. */
export function isShortSentence(days: number | null): boolean | null {
  return days === null ? null : days < sentenceDays(1, 0, 0);
}

/** "2 years, 3 months" or "45 days": the inverse of sentenceDays, for reading. */
export function describeSentence(days: number): string {
  let years = 0;
  while (sentenceDays(years + 1, 0, 0) <= days) years += 1;
  let months = 0;
  while (months < 11 && sentenceDays(years, months + 1, 0) <= days) months += 1;
  const rest = days - sentenceDays(years, months, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [years ? plural(years, 'year') : '', months ? plural(months, 'month') : '', rest ? plural(rest, 'day') : ''];
  return parts.filter(Boolean).join(', ') || '0 days';
}

/** A date from a form (GOV.UK day, month and year boxes) or from the API (YYYY-MM-DD). */
export type DateValue = DateParts | string | null | undefined;

/**
 * Checks a date from either source: blank is no date (undefined); a bad one
 * adds an error (on PREFIX-day for form boxes, on the field itself for the
 * API) and also reads as undefined, so callers check `errors` first.
 */
export function readDate(value: DateValue, label: string, field: string, errors: FieldError[]): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const parsed = match ? parseDateInput({ year: match[1], month: match[2], day: match[3] }, label, field, []) : undefined;
    if (!parsed) errors.push({ field, text: `${label} must be a real date in the format YYYY-MM-DD` });
    return parsed ? isoDate(parsed) : undefined;
  }
  const parsed = parseDateInput(value, label, field, errors);
  return parsed ? isoDate(parsed) : undefined;
}

const displayDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** 5 January 2026: for messages; pages use the `date` filter. */
export function formatDate(date: string): string {
  return displayDate.format(new Date(`${date}T12:00:00Z`));
}

/** Turns a stored date back into form boxes, to prefill an edit form. */
export { dateParts } from '../../platform/http/date-input.ts';

/**
 * An error about a whole date: for form boxes (field PREFIX-day) it marks all
 * three boxes, as the date input macro expects; for the API it names the field.
 */
export function dateError(value: DateValue, prefix: string, text: string): FieldError & { parts?: Array<'day' | 'month' | 'year'> } {
  return typeof value === 'string' ? { field: prefix, text } : { field: `${prefix}-day`, text, parts: ['day', 'month', 'year'] };
}
