import { applyDisclosureControl } from '../../src/modules/outcomes/disclosure.ts';
import { type OutcomesReport, type ReportTable, rate } from '../../src/modules/outcomes/report-table.ts';

/**
 * A hand-made outcomes report for the unit tests of the charts and exports,
 * shaped as the real one is (funnel, monthly, a breakdown, the time-to-job
 * bands), with disclosure control applied so it has every kind of hidden cell.
 */
export function sampleReport(options: { applied?: boolean } = {}): OutcomesReport {
  const applied = options.applied ?? true;
  const funnelCounts: Array<[string, string, number]> = [
    ['referred', 'Referred', 120],
    ['met_in_custody', 'Met in custody', 3],
    ['seen_in_community', 'Seen at least once in the community', 64],
    ['engaged', 'Engaged', 48],
    ['into_work', 'Into work', 21],
    ['into_work_engaged', 'Into work: engaged', 19],
    ['into_work_not_engaged', 'Into work: not engaged', 2],
    ['job_starts', 'Total job starts', 27],
    ['two_or_more_jobs', 'People with two or more jobs', 0],
  ];
  const funnel: ReportTable = {
    id: 'funnel',
    title: 'The funnel',
    metric: 'funnel',
    columns: [
      { key: 'stage', label: 'Stage', kind: 'label' },
      { key: 'count', label: 'Count', kind: 'count' },
      { key: 'rate_previous', label: 'Rate against the stage before', kind: 'percent', dependsOn: 'count' },
      { key: 'rate_referred', label: 'Rate against referrals', kind: 'percent', dependsOn: 'count' },
    ],
    rows: funnelCounts.map(([key, label, count], index) => ({
      key,
      cells: { stage: label, count, rate_previous: index === 0 ? null : rate(count, funnelCounts[index - 1][2]), rate_referred: rate(count, 120) },
    })),
    rowGroups: [{ total: 'into_work', parts: ['into_work_engaged', 'into_work_not_engaged'] }],
  };
  const months: Array<[string, string, number, number, number]> = [
    ['2025-04', 'April 2025', 12, 6, 2],
    ['2025-05', 'May 2025', 15, 0, 5],
    ['2025-06', 'June 2025', 9, 8, 7],
  ];
  const monthly: ReportTable = {
    id: 'monthly',
    title: 'Referrals, engagements and job starts by month',
    metric: 'monthly',
    columns: [
      { key: 'month', label: 'Month', kind: 'label' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      { key: 'engagements', label: 'Engagements', kind: 'count' },
      { key: 'job_starts', label: 'Job starts', kind: 'count' },
    ],
    rows: months.map(([key, label, referrals, engagements, jobStarts]) => ({ key, cells: { month: label, referrals, engagements, job_starts: jobStarts } })),
  };
  const prisons: Array<[string, string, number, number]> = [
    ['LEI', 'HMP Leeds', 70, 30],
    ['HUL', 'HMP Hull, "B" wing', 46, 15],
    ['XXX', '=HYPERLINK("x")', 4, 3],
  ];
  const referredTotal = 120;
  const engagedTotal = 48;
  const byPrison: ReportTable = {
    id: 'breakdown-by-prison-of-release-and-more-words',
    title: 'By prison of release',
    metric: 'breakdown',
    columns: [
      { key: 'category', label: 'Prison', kind: 'label' },
      { key: 'referred', label: 'Referred', kind: 'count' },
      { key: 'referred_share', label: 'Share of referred', kind: 'percent', dependsOn: 'referred' },
      { key: 'engaged', label: 'Engaged', kind: 'count' },
      { key: 'engaged_share', label: 'Share of engaged', kind: 'percent', dependsOn: 'engaged' },
    ],
    rows: [
      ...prisons.map(([key, label, referred, engaged]) => ({
        key,
        cells: { category: label, referred, referred_share: rate(referred, referredTotal), engaged, engaged_share: rate(engaged, engagedTotal) },
      })),
      { key: 'total', isTotal: true, cells: { category: 'Total', referred: referredTotal, referred_share: 1, engaged: engagedTotal, engaged_share: 1 } },
    ],
    additive: ['referred', 'engaged'],
    notes: ['A person is counted under the prison they were last released from.'],
  };
  const bands: ReportTable = {
    id: 'time-to-first-job-bands',
    title: 'Days to the first job start',
    metric: 'time-to-first-job',
    columns: [
      { key: 'band', label: 'Days', kind: 'label' },
      { key: 'from_referral', label: 'From referral', kind: 'count' },
      { key: 'from_release', label: 'From release', kind: 'count' },
    ],
    rows: [
      { key: '0-30', cells: { band: '0 to 30', from_referral: 6, from_release: 9 } },
      { key: '31-90', cells: { band: '31 to 90', from_referral: 11, from_release: 1 } },
      { key: '91+', cells: { band: '91 or more', from_referral: 4, from_release: 0 } },
    ],
  };
  const cost: ReportTable = {
    id: 'cost',
    title: 'Cost per outcome',
    metric: 'cost',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'label' },
      { key: 'cost', label: 'Cost (£)', kind: 'money' },
      { key: 'median_days', label: 'Median days', kind: 'days' },
    ],
    rows: [{ key: 'per_job', basis: 21, cells: { measure: 'Per job start', cost: 1058.2, median_days: 37.5 } }],
  };
  const report: OutcomesReport = {
    request: { from: '2025-04-01', to: '2025-06-30', asAt: '2025-09-30', publication: false, teamId: 't', prisonCode: undefined },
    scope: {
      organisations: [
        { id: 'a', name: 'Northgate Trust' },
        { id: 'b', name: 'Café Ŵork CIC' },
      ],
      commission: { id: 'c', name: 'West Yorkshire IPS 2025' },
      filterLabels: { Team: 'North' },
    },
    disclosure: {
      applied,
      threshold: 5,
      method: applied ? 'Counts from 1 to 4 are hidden and shown as [c].' : 'Not applied: these figures are for the organisation’s own use.',
    },
    generatedAt: '2025-10-01T08:30:00.000Z',
    sections: [
      { id: 'funnel', title: 'The funnel', tables: [funnel, monthly] },
      { id: 'breakdowns', title: 'Who was referred', tables: [byPrison] },
      { id: 'timing', title: 'Timing', tables: [bands, cost] },
    ],
  };
  return applyDisclosureControl(report);
}
