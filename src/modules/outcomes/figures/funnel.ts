import type { Db } from '../../../platform/db/database.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import { funnelCounts, monthlyCounts } from '../queries/funnel.ts';
import { type ReportSection, type ReportTable, rate } from '../report-table.ts';
import { monthLabel, type Period } from './shared.ts';

const STAGE_LABELS = {
  referred: 'Referred',
  met_in_custody: 'Met in custody',
  seen_in_community: 'Seen at least once in the community',
  engaged: 'Engaged',
  into_work: 'Into work',
  into_work_engaged: 'Into work: engaged',
  into_work_not_engaged: 'Into work: not engaged',
  job_starts: 'Total job starts',
  two_or_more_jobs: 'People with two or more jobs',
} as const;

type Stage = keyof typeof STAGE_LABELS;

export async function funnelTable(db: Db, spec: CohortSpec, asAt: string): Promise<ReportTable> {
  const counts = await funnelCounts(db, spec, asAt);
  const count: Record<Stage, number> = { ...counts, into_work_not_engaged: counts.into_work - counts.into_work_engaged };
  // Each stage's rate is against the row before it in the funnel, except the split of "into work" and the repeat jobs, which are against "into work".
  const previous: Record<Stage, Stage | null> = {
    referred: null,
    met_in_custody: 'referred',
    seen_in_community: 'met_in_custody',
    engaged: 'seen_in_community',
    into_work: 'engaged',
    into_work_engaged: 'into_work',
    into_work_not_engaged: 'into_work',
    job_starts: null,
    two_or_more_jobs: 'into_work',
  };
  const rows = (Object.keys(STAGE_LABELS) as Stage[]).map((stage) => {
    const before = previous[stage];
    const isTally = stage === 'job_starts';
    return {
      key: stage,
      cells: {
        stage: STAGE_LABELS[stage],
        count: count[stage],
        rate_previous: before ? rate(count[stage], count[before]) : null,
        rate_referred: isTally ? null : rate(count[stage], count.referred),
      },
    };
  });
  return {
    id: 'funnel',
    title: 'The funnel',
    metric: 'funnel',
    columns: [
      { key: 'stage', label: 'Stage', kind: 'label' },
      { key: 'count', label: 'Count', kind: 'count' },
      { key: 'rate_previous', label: 'Rate against the stage before', kind: 'percent', dependsOn: 'count' },
      { key: 'rate_referred', label: 'Rate against referrals', kind: 'percent', dependsOn: 'count' },
    ],
    rows,
    rowGroups: [{ total: 'into_work', parts: ['into_work_engaged', 'into_work_not_engaged'] }],
  };
}

export async function monthlyTable(db: Db, spec: CohortSpec, period: Period): Promise<ReportTable> {
  const months = await monthlyCounts(db, spec, period);
  return {
    id: 'monthly',
    title: 'Referrals, engagements and job starts by month',
    metric: 'monthly',
    columns: [
      { key: 'month', label: 'Month', kind: 'label' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      { key: 'engagements', label: 'Engagements', kind: 'count' },
      { key: 'job_starts', label: 'Job starts', kind: 'count' },
    ],
    rows: [
      ...months.map((row) => ({
        key: row.month,
        cells: { month: monthLabel(row.month), referrals: row.referrals, engagements: row.engagements, job_starts: row.job_starts },
      })),
      // The total makes the months an additive group, so disclosure control protects a hidden month from subtraction (the referrals add up to the funnel's).
      {
        key: 'total',
        isTotal: true,
        cells: {
          month: 'Total',
          referrals: sum(months.map((row) => row.referrals)),
          engagements: sum(months.map((row) => row.engagements)),
          job_starts: sum(months.map((row) => row.job_starts)),
        },
      },
    ],
    additive: ['referrals', 'engagements', 'job_starts'],
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export async function funnelSection(db: Db, spec: CohortSpec, period: Period): Promise<ReportSection> {
  return { id: 'funnel', title: 'The funnel', tables: [await funnelTable(db, spec, period.asAt), await monthlyTable(db, spec, period)] };
}
