/**
 * The arithmetic of costs over a report period, on a handful of cost periods
 * (an organisation enters a few a year), so it is plain code rather than SQL:
 * proration by days, day-weighted staffing, and which days have no costs.
 */
import { addDays, daysBetween } from '../../platform/calendar.ts';

export const COST_HEADS = ['salaries', 'overheads', 'management', 'travel', 'other'] as const;
export type CostHead = (typeof COST_HEADS)[number];

export interface CostPeriodAmounts extends Record<CostHead, number> {
  id: string;
  organisationId: string;
  teamId: string | null;
  startsOn: string;
  endsOn: string;
  staffFte: number;
  specialistFte: number;
}

export interface DateRange {
  from: string;
  to: string;
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "1 April 2026". */
export function dateText(iso: string): string {
  return longDate.format(new Date(`${iso}T12:00:00Z`));
}

/** "1 April 2026 to 30 June 2026", or one date when the range is a single day. */
export function rangeText(range: DateRange): string {
  return range.from === range.to ? dateText(range.from) : `${dateText(range.from)} to ${dateText(range.to)}`;
}

/** Days from one date to another, both included. */
export function daysIn(range: DateRange): number {
  return daysBetween(range.from, range.to) + 1;
}

/** The dates two ranges share, or null when they share none. */
export function intersection(a: DateRange, b: DateRange): DateRange | null {
  // ISO dates sort as text: the later start and the earlier end.
  const from = [a.from, b.from].sort()[1];
  const to = [a.to, b.to].sort()[0];
  return from <= to ? { from, to } : null;
}

export function totalCost(period: Record<CostHead, number>): number {
  return COST_HEADS.reduce((sum, head) => sum + period[head], 0);
}

/** The ranges inside `within` that no given range covers, in date order. */
export function gaps(ranges: readonly DateRange[], within: DateRange): DateRange[] {
  const clipped = ranges.flatMap((range) => intersection(range, within) ?? []).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const found: DateRange[] = [];
  let next = within.from;
  for (const range of clipped) {
    if (range.from > next) found.push({ from: next, to: addDays(range.from, -1) });
    const after = addDays(range.to, 1);
    if (after > next) next = after;
  }
  if (next <= within.to) found.push({ from: next, to: within.to });
  return found;
}

/** Pairs of periods for the same team (or both for the same whole organisation) whose dates overlap inside `within`. */
export function overlappingPairs(periods: readonly CostPeriodAmounts[], within: DateRange): Array<[CostPeriodAmounts, CostPeriodAmounts]> {
  const pairs: Array<[CostPeriodAmounts, CostPeriodAmounts]> = [];
  for (let i = 0; i < periods.length; i += 1) {
    for (let j = i + 1; j < periods.length; j += 1) {
      const [a, b] = [periods[i], periods[j]];
      if (a.organisationId !== b.organisationId || a.teamId !== b.teamId) continue;
      const shared = intersection({ from: a.startsOn, to: a.endsOn }, { from: b.startsOn, to: b.endsOn });
      if (shared && intersection(shared, within)) pairs.push([a, b]);
    }
  }
  return pairs;
}

export interface CapacityFigures extends Record<CostHead, number> {
  reportDays: number;
  /** Days of the report period that at least one cost period covers. */
  coveredDays: number;
  uncovered: DateRange[];
  /** Day-weighted over the covered days; null when no day is covered. */
  staffFte: number | null;
  specialistFte: number | null;
  totalCost: number;
}

/**
 * Costs and staffing for a report period:
 *   - each period's costs count in proportion to its days inside the report
 *     period (a 90-day period with 30 days inside counts a third);
 *   - FTE is the sum over periods of FTE × days inside, over the covered days:
 *     periods for different teams at the same time add up, and days with no
 *     costs entered are left out rather than counted as no staff.
 */
export function capacityFigures(periods: readonly CostPeriodAmounts[], report: DateRange): CapacityFigures {
  const sums = { salaries: 0, overheads: 0, management: 0, travel: 0, other: 0 } as Record<CostHead, number>;
  let staffDays = 0;
  let specialistDays = 0;
  for (const period of periods) {
    const inside = intersection({ from: period.startsOn, to: period.endsOn }, report);
    if (!inside) continue;
    const days = daysIn(inside);
    const share = days / daysIn({ from: period.startsOn, to: period.endsOn });
    for (const head of COST_HEADS) sums[head] += period[head] * share;
    staffDays += period.staffFte * days;
    specialistDays += period.specialistFte * days;
  }
  const reportDays = daysIn(report);
  const uncovered = gaps(
    periods.map((period) => ({ from: period.startsOn, to: period.endsOn })),
    report,
  );
  const coveredDays = reportDays - uncovered.reduce((sum, gap) => sum + daysIn(gap), 0);
  return {
    ...sums,
    reportDays,
    coveredDays,
    uncovered,
    staffFte: coveredDays === 0 ? null : staffDays / coveredDays,
    specialistFte: coveredDays === 0 ? null : specialistDays / coveredDays,
    totalCost: totalCost(sums),
  };
}
