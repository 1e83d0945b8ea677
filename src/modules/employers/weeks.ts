import { addDays } from '../../platform/calendar.ts';

export { addDays };
/**
 * Calendar weeks for the employer-contact figures: Monday to Sunday, on
 * 'YYYY-MM-DD' dates that are already UK calendar dates (occurred_on and
 * londonToday()), so the arithmetic is on plain dates, never on instants.
 */

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** A real calendar date as 'YYYY-MM-DD', in years the service can hold (1900 to 2999), so no date arithmetic leaves four digits. */
export function isIsoDate(value: string): boolean {
  if (!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = toUtc(value);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}


/** The Monday on or before a date. */
export function mondayOf(date: string): string {
  const weekday = toUtc(date).getUTCDay(); // 0 is Sunday
  return addDays(date, weekday === 0 ? -6 : 1 - weekday);
}

/** Each Monday from one week to another, inclusive, oldest first. */
export function mondaysBetween(fromMonday: string, toMonday: string): string[] {
  const weeks: string[] = [];
  for (let week = mondayOf(fromMonday); week <= toMonday; week = addDays(week, 7)) weeks.push(week);
  return weeks;
}
