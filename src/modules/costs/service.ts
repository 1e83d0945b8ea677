/**
 * Staffing and costs per period, entered by an organisation's managers for
 * the outcomes report's capacity-and-cost figures. Reached through this
 * service; the report itself calls report.ts.
 */
import * as audit from '../../platform/audit/service.ts';
import { pounds } from '../../platform/calendar.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { type CostFormValues, checkCostForm } from './cost-form.ts';
import { COST_HEADS, totalCost } from './figures.ts';
import * as queries from './queries.ts';

export { capacityAndCostTable } from './report.ts';
export { COST_DEFINITIONS } from './definitions.ts';

type CostPeriodRow = NonNullable<Awaited<ReturnType<typeof queries.findCostPeriod>>>;

export interface CostPeriodView {
  id: string;
  startsOn: string;
  endsOn: string;
  teamId: string | null;
  teamName: string;
  staffFte: number;
  specialistFte: number;
  totalCost: number;
  totalCostText: string;
  overlaps: boolean;
  version: number;
}

const WHOLE_ORGANISATION = 'Whole organisation';

function toView(row: CostPeriodRow & { overlaps?: boolean }): CostPeriodView {
  const total = totalCost(Object.fromEntries(COST_HEADS.map((head) => [head, Number(row[head])])) as Record<(typeof COST_HEADS)[number], number>);
  return {
    id: row.id,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    teamId: row.team_id,
    teamName: row.team_name ?? WHOLE_ORGANISATION,
    staffFte: Number(row.staff_fte),
    specialistFte: Number(row.specialist_fte),
    totalCost: total,
    totalCostText: pounds(total),
    overlaps: row.overlaps ?? false,
    version: row.version,
  };
}

function audited(trx: Db, principal: Principal, action: string, id: string, detail: Record<string, unknown>) {
  return audit.record(trx, { organisationId: principal.organisationId, actor: actorOf(principal), action, subjectType: 'cost_period', subjectId: id, detail });
}

async function periodOr404(db: Db, principal: Principal, id: string, options: { forUpdate?: boolean } = {}): Promise<CostPeriodRow> {
  const row = isUuid(id) ? await queries.findCostPeriod(db, principal.organisationId, id, options) : undefined;
  if (!row) throw new NotFound('No cost period with this id was found.');
  return row;
}

export async function teamChoices(db: Db, principal: Principal) {
  assertCan(principal, 'costs:manage');
  return queries.teamsOf(db, principal.organisationId);
}

/** A page of the organisation's cost periods, newest first; an unknown team filter is dropped. */
export async function listCostPeriods(db: Db, principal: Principal, rawTeam: unknown, page: { limit: number; offset: number }) {
  assertCan(principal, 'costs:manage');
  const teams = await queries.teamsOf(db, principal.organisationId);
  const team = typeof rawTeam === 'string' && (rawTeam === 'whole' || teams.some((candidate) => candidate.id === rawTeam)) ? rawTeam : '';
  const { rows, total } = await queries.listCostPeriods(db, principal.organisationId, team, page);
  return { team, teams, total, periods: rows.map(toView) };
}

/** The stored period, for the edit form and the delete question. */
export async function getCostPeriod(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'costs:manage');
  const row = await periodOr404(db, principal, id);
  return { row, view: toView(row) };
}

export type CostSave =
  | { outcome: 'saved'; id: string }
  | { outcome: 'overlaps'; overlaps: Array<{ id: string; startsOn: string; endsOn: string }> }
  | { outcome: 'conflict'; current: CostPeriodView };

async function checked(trx: Db, principal: Principal, values: CostFormValues, exceptId?: string) {
  const teams = await queries.teamsOf(trx, principal.organisationId);
  const result = checkCostForm(values, teams.map((team) => team.id));
  if (!result.values) throw new ValidationFailed(result.errors);
  const overlaps = await queries.overlappingPeriods(trx, principal.organisationId, result.values.team_id, result.values.starts_on, result.values.ends_on, exceptId);
  return { values: result.values, overlaps: overlaps.map((row) => ({ id: row.id, startsOn: row.starts_on, endsOn: row.ends_on })) };
}

/** Saves a new period; one that overlaps another of the same team is saved only once the manager confirms. */
export async function createCostPeriod(db: Db, principal: Principal, form: CostFormValues): Promise<CostSave> {
  assertCan(principal, 'costs:manage');
  return inTransaction(db, async (trx): Promise<CostSave> => {
    const { values, overlaps } = await checked(trx, principal, form);
    if (overlaps.length > 0 && !form.confirmOverlap) return { outcome: 'overlaps', overlaps };
    const { id } = await queries.insertCostPeriod(trx, { ...values, organisation_id: principal.organisationId, recorded_by: principal.userId });
    await audited(trx, principal, 'cost-period.created', id, { ...values, note: undefined, overlapsConfirmed: overlaps.map((overlap) => overlap.id) });
    return { outcome: 'saved', id };
  });
}

/** Changes a period only if it is still at the version the form was loaded from. */
export async function updateCostPeriod(db: Db, principal: Principal, id: string, form: CostFormValues): Promise<CostSave> {
  assertCan(principal, 'costs:manage');
  return inTransaction(db, async (trx): Promise<CostSave> => {
    const current = await periodOr404(trx, principal, id, { forUpdate: true });
    if (String(current.version) !== form.version) return { outcome: 'conflict', current: toView(current) };
    const { values, overlaps } = await checked(trx, principal, form, current.id);
    if (overlaps.length > 0 && !form.confirmOverlap) return { outcome: 'overlaps', overlaps };
    if (!(await queries.updateCostPeriod(trx, principal.organisationId, current.id, current.version, values))) throw new Error('cost period changed while locked');
    await audited(trx, principal, 'cost-period.updated', current.id, { ...values, note: undefined, overlapsConfirmed: overlaps.map((overlap) => overlap.id) });
    return { outcome: 'saved', id: current.id };
  });
}

export async function deleteCostPeriod(db: Db, principal: Principal, id: string): Promise<void> {
  assertCan(principal, 'costs:manage');
  await inTransaction(db, async (trx) => {
    const current = await periodOr404(trx, principal, id, { forUpdate: true });
    await queries.deleteCostPeriod(trx, principal.organisationId, current.id);
    const kept = Object.fromEntries([...COST_HEADS, 'staff_fte', 'specialist_fte'].map((key) => [key, Number(current[key as keyof CostPeriodRow])]));
    await audited(trx, principal, 'cost-period.deleted', current.id, { startsOn: current.starts_on, endsOn: current.ends_on, teamId: current.team_id, ...kept });
  });
}
