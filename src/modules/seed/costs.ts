import { isoDay, type staffPlan } from './generator.ts';
import type { Practitioner, Row } from './journey.ts';

/** cost_period.staff_fte is numeric(6, 2): a service with more staff than that records its costs team by team. */
const MAX_FTE_IN_ONE_PERIOD = 9_999;

/**
 * One cost period per year of the dataset, sized to its staff: for the whole
 * organisation, or for each team (a manager and its practitioners) when the
 * organisation is too big for one period's FTE.
 */
export function costPeriods(plan: ReturnType<typeof staffPlan>, practitioners: readonly Practitioner[], years: number, startDay: number): Row[] {
  const whole = { teamId: null as string | null, managers: plan.teams, specialists: plan.specialists, caseworkers: plan.caseworkers };
  let units = [whole];
  if (plan.teams + plan.specialists + plan.caseworkers > MAX_FTE_IN_ONE_PERIOD) {
    const byTeam = new Map<string, typeof whole>();
    for (const practitioner of practitioners) {
      const unit = byTeam.get(practitioner.teamId) ?? { teamId: practitioner.teamId, managers: 1, specialists: 0, caseworkers: 0 };
      if (practitioner.kind === 'employment_specialist') unit.specialists += 1;
      else unit.caseworkers += 1;
      byTeam.set(practitioner.teamId, unit);
    }
    units = [...byTeam.values()];
  }
  return units.flatMap((unit) => {
    const staff = unit.specialists + unit.caseworkers + unit.managers;
    const salaries = unit.specialists * 31_000 + unit.caseworkers * 28_000 + unit.managers * 38_000;
    return Array.from({ length: years }, (_, year) => ({
      team_id: unit.teamId,
      starts_on: isoDay(startDay + year * 365 + 1),
      ends_on: isoDay(startDay + (year + 1) * 365),
      staff_fte: staff.toFixed(2),
      specialist_fte: unit.specialists.toFixed(2),
      salaries: salaries.toFixed(2),
      overheads: (salaries * 0.15).toFixed(2),
      management: (salaries * 0.08).toFixed(2),
      travel: (staff * 1_200).toFixed(2),
      other: (staff * 500).toFixed(2),
      note: 'Synthetic',
    }));
  });
}
