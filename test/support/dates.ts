import { addDays } from '../../src/platform/calendar.ts';
import { londonToday } from '../../src/platform/london-time.ts';

/** Today's UK calendar date, 'YYYY-MM-DD'. */
export const today = (): string => londonToday();

/** A calendar date some days later (negative for earlier). */
export const shift = (date: string, days: number): string => addDays(date, days);

/** The three GOV.UK date boxes PREFIX-day, PREFIX-month and PREFIX-year for a form submission. */
export function dateFields(prefix: string, date: string): Record<string, string> {
  const [year, month, day] = date.split('-');
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year };
}
