/** The outcomes report's table of a commission's targets, actual against target. */
import type { Db } from '../../platform/db/database.ts';
import type { ReportTable } from '../outcomes/report-table.ts';
import { withActuals } from './actuals.ts';
import * as queries from './queries.ts';

/**
 * One row per target of the commission (key: the target's id), its actual
 * counted in the records of organisationIds that the commission covers; null
 * when the commission has no targets (or covers none of organisationIds).
 */
export async function targetsTable(db: Db, commissionId: string, organisationIds: readonly string[]): Promise<ReportTable | null> {
  const targets = await queries.targetsForReport(db, commissionId, organisationIds);
  if (targets.length === 0) return null;
  const providers = await queries.coveredProviders(db, commissionId, organisationIds);
  const allProviders = await queries.providersOfCommission(db, commissionId);
  const views = await withActuals(db, targets, providers);
  const notes = ['The actual counts what happened in each target’s own period, whatever the referral date.'];
  if (providers.length < allProviders.length) notes.push('The actual is this provider’s part only; the commission’s target is for all its providers together.');
  return {
    id: 'targets',
    title: 'Targets: actual against target',
    metric: 'targets',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'label' },
      { key: 'period', label: 'Period', kind: 'text' },
      { key: 'target', label: 'Target', kind: 'number' },
      { key: 'actual', label: 'Actual', kind: 'count' },
      { key: 'share', label: 'Percentage of target', kind: 'percent', dependsOn: 'actual' },
    ],
    rows: views.map((view) => ({
      key: view.id,
      cells: { measure: view.measureLabel, period: view.periodText, target: view.target, actual: view.actual, share: view.share },
    })),
    notes,
  };
}
