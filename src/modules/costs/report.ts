/**
 * The outcomes report's capacity-and-cost table, from the cost periods
 * managers enter and the cohort's counts of people seen and engaged.
 */
import type { Db } from '../../platform/db/database.ts';
import type { ReportRow, ReportTable } from '../outcomes/report-table.ts';
import { rate } from '../outcomes/report-table.ts';
import { type CostPeriodAmounts, capacityFigures, dateText, overlappingPairs, rangeText } from './figures.ts';
import * as queries from './queries.ts';

/** The IPS standard: an employment specialist carries 20 people or fewer. */
export const CASELOAD_STANDARD = 20;

const DAYS_IN_YEAR = 365;


function rounded(value: number | null, places = 2): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

function toAmounts(row: Awaited<ReturnType<typeof queries.periodsForReport>>[number]): CostPeriodAmounts {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    teamId: row.team_id,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    staffFte: Number(row.staff_fte),
    specialistFte: Number(row.specialist_fte),
    salaries: Number(row.salaries),
    overheads: Number(row.overheads),
    management: Number(row.management),
    travel: Number(row.travel),
    other: Number(row.other),
  };
}

function row(key: string, measure: string, value: number | null, unit: string, basis?: number): ReportRow {
  return { key, cells: { measure, value, unit }, ...(basis === undefined ? {} : { basis }) };
}

export async function capacityAndCostTable(
  db: Db,
  scope: { organisationIds: readonly string[]; teamId?: string },
  period: { from: string; to: string; asAt: string },
  counts: { seenInCommunity: number; engaged: number },
): Promise<ReportTable> {
  const report = { from: period.from, to: period.to };
  const periods = (await queries.periodsForReport(db, scope.organisationIds, scope.teamId, period.from, period.to)).map(toAmounts);
  const caseload = await queries.activeCaseload(db, { organisationIds: scope.organisationIds, teamId: scope.teamId }, period.asAt);
  const figures = capacityFigures(periods, report);
  const perYear = (value: number | null) => (value === null ? null : (value * DAYS_IN_YEAR) / figures.reportDays);
  const perSeen = rate(figures.totalCost, counts.seenInCommunity);
  const perEngaged = rate(figures.totalCost, counts.engaged);
  const perSpecialist = figures.specialistFte === null ? null : rate(caseload, figures.specialistFte);

  const notes: string[] = ['Costs are entered by the organisation’s managers.'];
  if (periods.length === 0) notes.push('No costs were entered for any day of this period.');
  else if (figures.uncovered.length > 0) {
    const missing = figures.reportDays - figures.coveredDays;
    notes.push(`No costs were entered for ${missing} of the ${figures.reportDays} days of this period: ${figures.uncovered.map(rangeText).join('; ')}. Costs and cost per person leave those days out.`);
  }
  const pairs = overlappingPairs(periods, report);
  if (pairs.length > 0) {
    const described = pairs.map(([a, b]) => `${rangeText({ from: a.startsOn, to: a.endsOn })} and ${rangeText({ from: b.startsOn, to: b.endsOn })}`);
    notes.push(`Warning: cost periods for the same team overlap, so their costs and staff are counted twice on the shared days: ${described.join('; ')}.`);
  }
  notes.push(`The IPS standard is an active caseload of ${CASELOAD_STANDARD} or fewer per full-time employment specialist.`);

  return {
    id: 'capacity-and-cost',
    title: 'Capacity and cost',
    metric: 'capacity-and-cost',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'label' },
      { key: 'value', label: 'Value', kind: 'number' },
      { key: 'unit', label: 'Unit', kind: 'text' },
    ],
    rows: [
      row('staff_fte', 'Staff (full-time equivalent)', rounded(figures.staffFte), 'FTE'),
      row('specialist_fte', 'Employment specialists (full-time equivalent)', rounded(figures.specialistFte), 'FTE'),
      row('salaries', 'Salaries', rounded(figures.salaries), 'pounds'),
      row('overheads', 'Overheads', rounded(figures.overheads), 'pounds'),
      row('management', 'Management', rounded(figures.management), 'pounds'),
      row('travel', 'Travel', rounded(figures.travel), 'pounds'),
      row('other', 'Other costs', rounded(figures.other), 'pounds'),
      row('total_cost', 'Total cost', rounded(figures.totalCost), 'pounds'),
      row('cost_per_person_seen', 'Cost per person seen in the community', rounded(perSeen), 'pounds', counts.seenInCommunity),
      row('cost_per_person_engaged', 'Cost per person engaged', rounded(perEngaged), 'pounds', counts.engaged),
      row('cost_per_person_seen_per_year', 'Cost per person seen in the community, per year', rounded(perYear(perSeen)), 'pounds', counts.seenInCommunity),
      row('cost_per_person_engaged_per_year', 'Cost per person engaged, per year', rounded(perYear(perEngaged)), 'pounds', counts.engaged),
      row('active_caseload', `Active caseload on ${dateText(period.asAt)}`, caseload, 'people', caseload),
      row('caseload_per_specialist_fte', 'Active caseload per full-time specialist', rounded(perSpecialist), 'people per FTE', caseload),
    ],
    notes,
  };
}
