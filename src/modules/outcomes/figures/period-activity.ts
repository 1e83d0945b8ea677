import type { Db } from '../../../platform/db/database.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import { periodCounts } from '../queries/period.ts';
import type { ReportTable } from '../report-table.ts';

/**
 * Period activity: what happened between two dates, whatever the referral
 * date. Contract reviews use it, and so do commission targets.
 * Each measure is defined in docs/metrics.md ("Period activity").
 */
export const PERIOD_MEASURES = [
  'referrals',
  'met_in_custody',
  'seen_in_community',
  'engaged',
  'people_starting_work',
  'job_starts',
  'contacts',
  'employer_contacts',
  'exits',
] as const;
export type PeriodMeasure = (typeof PERIOD_MEASURES)[number];

export const PERIOD_MEASURE_LABELS: Record<PeriodMeasure, string> = {
  referrals: 'Referrals received',
  met_in_custody: 'People first met in custody',
  seen_in_community: 'People first seen in the community',
  engaged: 'People who became engaged',
  people_starting_work: 'People starting their first job',
  job_starts: 'Job starts',
  contacts: 'Attended contacts with people',
  employer_contacts: 'Employer contacts on people’s behalf',
  exits: 'Exits from support',
};

/** Counts of each measure for events dated from..to inclusive, in the scope's organisations and filters (spec's referral dates are ignored). */
export async function periodActivity(db: Db, spec: CohortSpec, from: string, to: string): Promise<Record<PeriodMeasure, number>> {
  const row = await periodCounts(db, spec, from, to);
  return Object.fromEntries(PERIOD_MEASURES.map((measure) => [measure, Number(row[measure] ?? 0)])) as Record<PeriodMeasure, number>;
}

export async function periodActivityTable(db: Db, spec: CohortSpec, period: { from: string; to: string }): Promise<ReportTable> {
  const counts = await periodActivity(db, spec, period.from, period.to);
  return {
    id: 'period-activity',
    title: 'What happened in the period',
    metric: 'period-activity',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'label' },
      { key: 'count', label: 'Count', kind: 'count' },
    ],
    rows: PERIOD_MEASURES.map((measure) => ({ key: measure, cells: { measure: PERIOD_MEASURE_LABELS[measure], count: counts[measure] } })),
  };
}
