import { can, ROLES } from '../../platform/auth/permissions.ts';
import { type DateFieldError, isoDate, parseDateInput, type DateParts } from '../../platform/http/date-input.ts';
import { Conflict, type FieldError } from '../../platform/http/errors.ts';

/** Small rules shared by the episode and referral services. */

/** Today in Europe/London as YYYY-MM-DD: "not in the future" is judged by the local calendar. */
export function londonToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

/** A version from a hidden field; anything malformed can never match, so it reads as stale. */
export function parseVersion(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : -1;
}

/** Thrown when a form was loaded from a version someone else has since changed. */
export class StaleEpisode extends Conflict {
  readonly episodeId: string;
  constructor(episodeId: string) {
    super('This episode was changed by someone else after you opened the form. Nothing has been saved.');
    this.episodeId = episodeId;
  }
}

/** Roles whose users may hold a caseload: those who may edit people's records. */
export const WORKER_ROLES = ROLES.filter((role) => can(role, 'people:edit'));

/**
 * Reads a required GOV.UK date input that may not be in the future (nor,
 * when `notBefore` is given, before that date).
 */
export function requiredPastDate(
  parts: DateParts,
  label: string,
  field: string,
  errors: DateFieldError[],
  notBefore?: { date: string; text: string },
): string | undefined {
  const before = errors.length;
  const parsed = parseDateInput(parts, label, field, errors);
  if (!parsed) {
    if (errors.length === before) errors.push({ field: `${field}-day`, text: `Enter the ${label.toLowerCase()}`, parts: ['day', 'month', 'year'] });
    return undefined;
  }
  const value = isoDate(parsed);
  if (value > londonToday()) {
    errors.push({ field: `${field}-day`, text: `${label} must be today or in the past`, parts: ['day', 'month', 'year'] });
    return undefined;
  }
  if (notBefore && value < notBefore.date) {
    errors.push({ field: `${field}-day`, text: notBefore.text, parts: ['day', 'month', 'year'] });
    return undefined;
  }
  return value;
}

/** Required free text with a length limit. */
export function requiredText(value: string, field: string, message: string, max: number, errors: FieldError[]): string {
  const trimmed = value.trim();
  if (!trimmed) errors.push({ field, text: message });
  else if (trimmed.length > max) errors.push({ field, text: `Must be ${max} characters or fewer` });
  return trimmed;
}

export function optionalText(value: string, field: string, label: string, max: number, errors: FieldError[]): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (trimmed.length > max) errors.push({ field, text: `${label} must be ${max} characters or fewer` });
  return trimmed;
}

export function yesNo(value: string): boolean | undefined {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  return undefined;
}
