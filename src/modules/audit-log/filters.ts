import { type DateFieldError, type DateParts, londonMidnight, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import { isUuid } from '../../platform/http/forms.ts';

/**
 * The audit log's filter form: reads the query string, checks it, and turns
 * it into a search. The same values go back into the form and into every
 * paging link, so a filter survives "Older events".
 */


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
  return {
    action: text(q, 'action'),
    actor: text(q, 'actor'),
    subject: text(q, 'subject'),
    from: readDateParts(q, 'from'),
    to: readDateParts(q, 'to'),
  };
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
  const from = parseDateInput(values.from, 'Date from', 'from', errors);
  const to = parseDateInput(values.to, 'Date to', 'to', errors);
  if (from) search.from = londonMidnight(from.year, from.month, from.day);
  // "To" includes the whole of that day.
  if (to) search.to = londonMidnight(to.year, to.month, to.day + 1);
  if (search.from && search.to && search.from >= search.to) {
    errors.push({ field: 'to-day', text: 'Date to must be the same as or after date from', parts: ['day', 'month', 'year'] });
  }
  if (typeof before === 'string' && /^[1-9]\d{0,15}$/.test(before)) search.beforeId = Number(before);
  return { errors, search };
}
