/**
 * Actual against target: each target's measure counted over its own period
 * (period activity, whatever the referral date) in the given providers'
 * records. Aggregates only.
 */
import type { Db } from '../../platform/db/database.ts';
import { rangeText } from '../costs/figures.ts';
import { PERIOD_MEASURE_LABELS, type PeriodMeasure, periodActivity } from '../outcomes/figures/period-activity.ts';
import { rate } from '../outcomes/report-table.ts';

export interface StoredTarget {
  id: string;
  commission_id: string;
  measure_code: string;
  target: string | number;
  starts_on: string;
  ends_on: string;
  note: string | null;
}

export interface TargetView {
  id: string;
  commissionId: string;
  measure: string;
  measureLabel: string;
  startsOn: string;
  endsOn: string;
  periodText: string;
  target: number;
  actual: number | null;
  /** actual / target, from 0 upwards; null when the target is 0 or the measure is unknown. */
  share: number | null;
  note: string | null;
}

function isPeriodMeasure(code: string): code is PeriodMeasure {
  return Object.hasOwn(PERIOD_MEASURE_LABELS, code);
}

/** Targets with their actuals: period activity is counted once per distinct period, not once per target. */
export async function withActuals(db: Db, targets: readonly StoredTarget[], organisationIds: readonly string[]): Promise<TargetView[]> {
  const byPeriod = new Map<string, Awaited<ReturnType<typeof periodActivity>> | null>();
  for (const target of targets) {
    const key = `${target.starts_on}/${target.ends_on}`;
    if (byPeriod.has(key)) continue;
    byPeriod.set(key, organisationIds.length === 0 ? null : await periodActivity(db, { organisationIds }, target.starts_on, target.ends_on));
  }
  return targets.map((target) => {
    const counts = byPeriod.get(`${target.starts_on}/${target.ends_on}`);
    const known = isPeriodMeasure(target.measure_code);
    const actual = known ? (counts ? counts[target.measure_code as PeriodMeasure] : 0) : null;
    const figure = Number(target.target);
    return {
      id: target.id,
      commissionId: target.commission_id,
      measure: target.measure_code,
      measureLabel: known ? PERIOD_MEASURE_LABELS[target.measure_code as PeriodMeasure] : target.measure_code,
      startsOn: target.starts_on,
      endsOn: target.ends_on,
      periodText: rangeText({ from: target.starts_on, to: target.ends_on }),
      target: figure,
      actual,
      share: actual === null ? null : rate(actual, figure),
      note: target.note,
    };
  });
}
