import { addDays } from '../../platform/calendar.ts';
import { type DateFieldError, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import type { ReportRequest } from './report-table.ts';

/**
 * Reads a report request from a query string. Pages send GOV.UK date inputs
 * (from-day, from-month, from-year); the API and links send ISO dates
 * (from=2026-04-01). Without dates the cohort is the last 365 days of
 * referrals, measured as at today.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const LABELS = {
  from: 'The start of the referral period',
  to: 'The end of the referral period',
  asAt: 'The as-at date',
} as const;

function text(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  return typeof value === 'string' ? value.trim().slice(0, 100) : '';
}

function readDate(query: Record<string, unknown>, name: keyof typeof LABELS, errors: DateFieldError[]): string | undefined {
  const iso = text(query, name);
  if (iso) {
    const [year, month, day] = iso.split('-');
    const parsed = ISO_DATE.test(iso) ? parseDateInput({ year, month, day }, LABELS[name], name, errors) : undefined;
    if (!ISO_DATE.test(iso)) errors.push({ field: `${name}-day`, text: `${LABELS[name]} must be a date written as YYYY-MM-DD` });
    return parsed ? isoDate(parsed) : undefined;
  }
  const parsed = parseDateInput(readDateParts(query, name), LABELS[name], name, errors);
  return parsed ? isoDate(parsed) : undefined;
}

/** The default period: the 365 days up to and including today. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: addDays(today, -364), to: today };
}

export function readReportRequest(query: Record<string, unknown>, today: string): ReportRequest {
  const errors: DateFieldError[] = [];
  const fallback = defaultPeriod(today);
  const from = readDate(query, 'from', errors);
  const to = readDate(query, 'to', errors);
  const asAt = readDate(query, 'asAt', errors);
  const request: ReportRequest = {
    from: from ?? fallback.from,
    to: to ?? fallback.to,
    asAt: asAt ?? today,
    publication: ['1', 'true', 'yes'].includes(text(query, 'publication')),
  };
  if (errors.length === 0) {
    if (request.from > request.to) {
      errors.push({ field: 'from-day', text: 'The start of the referral period must be on or before its end', parts: ['day', 'month', 'year'] });
    }
    if (request.asAt > today) errors.push({ field: 'asAt-day', text: 'The as-at date must be today or in the past', parts: ['day', 'month', 'year'] });
    else if (request.asAt < request.from) {
      errors.push({ field: 'asAt-day', text: 'The as-at date must be on or after the start of the referral period', parts: ['day', 'month', 'year'] });
    }
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  for (const name of ['teamId', 'prisonCode', 'sourceCode', 'commissionId'] as const) {
    const value = text(query, name);
    if (value) request[name] = value;
  }
  return request;
}

/** The query string that asks for the same report again (ISO dates), for links, exports and paging between views. */
export function reportQuery(request: ReportRequest, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: request.from, to: request.to, asAt: request.asAt });
  for (const name of ['teamId', 'prisonCode', 'sourceCode', 'commissionId'] as const) {
    const value = request[name];
    if (value) params.set(name, value);
  }
  if (request.publication) params.set('publication', '1');
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}
