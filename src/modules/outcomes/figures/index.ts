import type { Db } from '../../../platform/db/database.ts';
import { employmentFigures } from '../../employment-metrics/service.ts';
import { loadReferenceData } from '../../reference-data/service.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import type { ReportSection } from '../report-table.ts';
import { activityTable, exitsSection } from './activity.ts';
import { breakdownsSection } from './breakdowns.ts';
import { funnelSection } from './funnel.ts';
import { ipsSection } from './ips.ts';
import { periodActivityTable } from './period-activity.ts';
import { hookCohort, REPORT_LISTS } from './shared.ts';
import { timingSection } from './timing.ts';

export { PERIOD_MEASURE_LABELS, PERIOD_MEASURES, type PeriodMeasure, periodActivity } from './period-activity.ts';

/**
 * Every section of the outcomes report except capacity and cost, and targets.
 * `spec` is the cohort (its referral dates are the period's); period activity
 * uses the same scope without the referral dates. Labels come from the
 * reference lists of referenceOrganisationId.
 */
export async function figureSections(
  db: Db,
  spec: CohortSpec,
  period: { from: string; to: string; asAt: string },
  referenceOrganisationId: string,
): Promise<ReportSection[]> {
  const reference = await loadReferenceData(db, referenceOrganisationId, REPORT_LISTS);
  const cohort: CohortSpec = { ...spec, referredFrom: spec.referredFrom ?? period.from, referredTo: spec.referredTo ?? period.to };
  const { asAt } = period;
  // The activity table and the IPS section share one read of the job-search and job-start figures.
  const employment = employmentFigures(db, cohort.organisationIds, hookCohort(cohort), asAt);
  // Independent reads: on PostgreSQL they run side by side on the pool; PGlite takes them in turn.
  const [funnel, breakdowns, activity, exits, timing, ips, periodTable] = await Promise.all([
    funnelSection(db, cohort, period),
    breakdownsSection(db, cohort, asAt, reference),
    employment.then((figures) => activityTable(figures.activity)),
    exitsSection(db, cohort, asAt, reference),
    timingSection(db, cohort, asAt),
    employment.then((figures) => ipsSection(db, cohort, asAt, reference, figures)),
    periodActivityTable(db, spec, period),
  ]);
  return [
    funnel,
    breakdowns,
    { id: 'activity', title: 'Activity', tables: [activity] },
    exits,
    timing,
    ips,
    { id: 'period', title: 'What happened in the period', tables: [periodTable] },
  ];
}
