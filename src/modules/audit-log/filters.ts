import type { FieldError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';

/**
 * The audit log's filter form: reads the query string, checks it, and turns
 * it into a search. The same values go back into the form and into every
 * paging link, so a filter survives "Older events".
 */

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export interface FilterValues {
  action: string;
  actor: string;
  subject: string;
  from: DateParts;
  to: DateParts;
}

export interface Search {
  action?: string;
  actorUserId?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
}

function text(query: Record<string, unknown>, name: string, max = 200): string {
  const value = query[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

export function readFilterValues(query: unknown): FilterValues {
  const q = (query ?? {}) as Record<string, unknown>;
  const date = (prefix: string): DateParts => ({
    day: text(q, `${prefix}-day`, 10),
    month: text(q, `${prefix}-month`, 10),
    year: text(q, `${prefix}-year`, 10),
  });
  return { action: text(q, 'action'), actor: text(q, 'actor'), subject: text(q, 'subject'), from: date('from'), to: date('to') };
}

/** The query string for these filters (empty ones left out), for links that keep them. */
export function filterQuery(values: FilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (values.action) params.set('action', values.action);
  if (values.actor) params.set('actor', values.actor);
  if (values.subject) params.set('subject', values.subject);
  for (const [prefix, parts] of [['from', values.from], ['to', values.to]] as const) {
    for (const part of ['day', 'month', 'year'] as const) {
      if (parts[part]) params.set(`${prefix}-${part}`, parts[part]);
    }
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** A date error also says which of its inputs to highlight: only the missing ones, or all three. */
export interface DateFieldError extends FieldError {
  parts?: Array<'day' | 'month' | 'year'>;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Checks a GOV.UK date input: all blank is no date; otherwise it must be whole and real. */
function parseDate(parts: DateParts, label: string, field: string, errors: DateFieldError[]): CalendarDate | undefined {
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

/** Validates the filters against what the organisation has; on success gives the search to run. */
export function parseFilters(
  values: FilterValues,
  options: { actions: readonly string[]; actorIds: readonly string[] },
  before: unknown,
): { errors: DateFieldError[]; search: Search } {
  const errors: DateFieldError[] = [];
  const search: Search = {};
  if (values.action) {
    if (options.actions.includes(values.action)) search.action = values.action;
    else errors.push({ field: 'action', text: 'Select an action from the list' });
  }
  if (values.actor) {
    if (isUuid(values.actor) && options.actorIds.includes(values.actor.toLowerCase())) search.actorUserId = values.actor.toLowerCase();
    else errors.push({ field: 'actor', text: 'Select a person from the list' });
  }
  if (values.subject) search.subjectId = values.subject;
  const from = parseDate(values.from, 'Date from', 'from', errors);
  const to = parseDate(values.to, 'Date to', 'to', errors);
  if (from) search.from = londonMidnight(from.year, from.month, from.day);
  // "To" includes the whole of that day.
  if (to) search.to = londonMidnight(to.year, to.month, to.day + 1);
  if (search.from && search.to && search.from >= search.to) {
    errors.push({ field: 'to-day', text: 'Date to must be the same as or after date from', parts: ['day', 'month', 'year'] });
  }
  if (typeof before === 'string' && /^[1-9]\d{0,15}$/.test(before)) search.beforeId = Number(before);
  return { errors, search };
}
