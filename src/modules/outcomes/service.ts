import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { capacityAndCostTable } from '../costs/report.ts';
import { targetsTable } from '../targets/report.ts';
import { applyDisclosureControl } from './disclosure.ts';
import { figureSections } from './figures/index.ts';
import { findTable, isSuppressed, type OutcomesReport, type ReportRequest, type ReportSection, type ReportTable } from './report-table.ts';
import { COST_DEFINITIONS } from '../costs/definitions.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { TARGET_DEFINITIONS } from '../targets/definitions.ts';
import { METRIC_DEFINITIONS } from './definitions.ts';
import { defaultPeriod } from './request.ts';
import { type ResolvedScope, resolveScope } from './scope.ts';
import { londonToday } from '../../platform/london-time.ts';

export { defaultPeriod, readReportRequest, reportQuery } from './request.ts';

/** Every figure's definition, as docs/metrics.md gives it. */
export const DEFINITIONS: Record<string, { title: string; text: string }> = { ...METRIC_DEFINITIONS, ...COST_DEFINITIONS, ...TARGET_DEFINITIONS };

export function definitionOf(metric: string): { title: string; text: string } | undefined {
  return DEFINITIONS[metric];
}

export interface FilterChoice {
  value: string;
  text: string;
}

/** What the report's filters offer this caller: their commissions and teams, and the prisons and referral sources. */
export async function filterChoices(db: Db, principal: Principal, scope?: ResolvedScope) {
  const today = londonToday();
  const resolved = scope ?? (await resolveScope(db, principal, { ...defaultPeriod(today), asAt: today, publication: false }, 5));
  const reference = await loadReferenceData(db, resolved.cohort.organisationIds[0] ?? principal.organisationId, ['prison', 'referral_source']);
  const named = (items: Array<{ id: string; name: string }>): FilterChoice[] => items.map((item) => ({ value: item.id, text: item.name }));
  return {
    commissions: named(resolved.choices.commissions),
    teams: named(resolved.choices.teams),
    prisons: reference.choices('prison').map((item) => ({ value: item.code, text: item.label })),
    sources: reference.choices('referral_source').map((item) => ({ value: item.code, text: item.label })),
  };
}

export type ReportFormat = 'page' | 'print' | 'pdf' | 'xlsx' | 'csv' | 'json';

function funnelCount(table: ReportTable | undefined, key: string): number {
  const cell = table?.rows.find((row) => row.key === key)?.cells.count;
  return typeof cell === 'number' ? cell : 0;
}

/**
 * The outcomes report for whoever asks, with disclosure control applied
 * where it must be. Every view and every export is audited in the caller's
 * organisation (the figures only: no person is named in a report).
 */
export async function buildOutcomesReport(
  db: Db,
  principal: Principal,
  request: ReportRequest,
  options: { threshold: number; format: ReportFormat; now?: Date },
): Promise<{ report: OutcomesReport; scope: ResolvedScope }> {
  return inTransaction(db, async (trx) => {
    const scope = await resolveScope(trx, principal, request, options.threshold);
    const period = { from: request.from, to: request.to, asAt: request.asAt };
    const referenceOrganisationId = scope.cohort.organisationIds[0] ?? principal.organisationId;
    const sections: ReportSection[] = await figureSections(trx, scope.cohort, period, referenceOrganisationId);

    const funnel = findTable({ sections } as OutcomesReport, 'funnel');
    const cost = await capacityAndCostTable(trx, { organisationIds: scope.cohort.organisationIds, teamId: request.teamId }, period, {
      seenInCommunity: funnelCount(funnel, 'seen_in_community'),
      engaged: funnelCount(funnel, 'engaged'),
    });
    sections.push({ id: 'capacity', title: 'Capacity and cost', tables: [cost] });
    if (scope.commission) {
      const targets = await targetsTable(trx, scope.commission.id, scope.cohort.organisationIds);
      if (targets) sections.unshift({ id: 'targets', title: 'Against the commission’s targets', tables: [targets] });
    }

    const report = applyDisclosureControl({
      request,
      scope: { organisations: scope.organisations, commission: scope.commission, filterLabels: scope.filterLabels },
      disclosure: scope.disclosure,
      generatedAt: (options.now ?? new Date()).toISOString(),
      sections,
    });
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: options.format === 'page' || options.format === 'json' ? 'report.outcomes.viewed' : 'report.outcomes.exported',
      subjectType: 'report',
      detail: {
        format: options.format,
        from: request.from,
        to: request.to,
        asAt: request.asAt,
        filters: scope.filterLabels,
        organisations: scope.organisations.map((organisation) => organisation.id),
        disclosureApplied: scope.disclosure.applied,
        suppressedCells: countSuppressed(report),
      },
    });
    return { report, scope };
  });
}

export function countSuppressed(report: OutcomesReport): number {
  let cells = 0;
  for (const section of report.sections) {
    for (const table of section.tables) {
      for (const row of table.rows) cells += Object.values(row.cells).filter(isSuppressed).length;
    }
  }
  return cells;
}
