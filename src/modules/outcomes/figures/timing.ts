import type { Db } from '../../../platform/db/database.ts';
import { DAY_BANDS, type DaysSummary, timeToFirst } from '../../employment-metrics/service.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import type { ReportRow, ReportSection, ReportTable } from '../report-table.ts';
import { hookCohort } from './shared.ts';

function summaryRow(key: string, start: string, summary: DaysSummary): ReportRow {
  return {
    key,
    basis: summary.reached,
    cells: {
      start,
      eligible: summary.eligible,
      reached: summary.reached,
      median: summary.median,
      lower_quartile: summary.lowerQuartile,
      upper_quartile: summary.upperQuartile,
    },
  };
}

function daysTable(id: string, title: string, metric: string, fromReferral: DaysSummary, fromRelease: DaysSummary): ReportTable {
  return {
    id,
    title,
    metric,
    columns: [
      { key: 'start', label: 'Counted from', kind: 'label' },
      { key: 'eligible', label: 'Episodes with that start', kind: 'count' },
      { key: 'reached', label: 'Reached', kind: 'count' },
      { key: 'median', label: 'Median days', kind: 'days', dependsOn: 'reached' },
      { key: 'lower_quartile', label: 'Lower quartile', kind: 'days', dependsOn: 'reached' },
      { key: 'upper_quartile', label: 'Upper quartile', kind: 'days', dependsOn: 'reached' },
    ],
    rows: [summaryRow('from_referral', 'Referral', fromReferral), summaryRow('from_release', 'Release', fromRelease)],
  };
}

export async function timingSection(db: Db, spec: CohortSpec, asAt: string): Promise<ReportSection> {
  const timing = await timeToFirst(db, spec.organisationIds, hookCohort(spec), asAt);
  const job = timing.firstJob;
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
      ...DAY_BANDS.map((band, index) => ({
        key: band.key,
        cells: { band: band.label, from_referral: job.fromReferral.bands[index].count, from_release: job.fromRelease.bands[index].count },
      })),
      // The bands add up to the episodes that reached a job: with this total, disclosure control protects a hidden band from subtraction.
      { key: 'total', isTotal: true, cells: { band: 'Total', from_referral: job.fromReferral.reached, from_release: job.fromRelease.reached } },
    ],
    additive: ['from_referral', 'from_release'],
  };
  return {
    id: 'timing',
    title: 'Timing',
    tables: [
      daysTable(
        'time-to-first-employer-contact',
        'Days to the first face-to-face employer contact',
        'time-to-first-employer-contact',
        timing.firstEmployerContact.fromReferral,
        timing.firstEmployerContact.fromRelease,
      ),
      daysTable('time-to-first-job', 'Days to the first job start', 'time-to-first-job', job.fromReferral, job.fromRelease),
      bands,
    ],
  };
}
