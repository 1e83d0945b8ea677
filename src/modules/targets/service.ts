/**
 * Targets from a commission's service-level agreement, set by the
 * commissioning organisation's commissioners and shown as actual against
 * target. Reached through this service; the report calls report.ts.
 */
import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { type TargetView, withActuals } from './actuals.ts';
import * as queries from './queries.ts';
import { checkTargetForm, type TargetFormValues } from './target-form.ts';

export { TARGET_DEFINITIONS } from './definitions.ts';
export { targetsTable } from './report.ts';
export type { TargetView } from './actuals.ts';

export interface CommissionTargets {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string | null;
  providers: string[];
  targets: TargetView[];
}

function audited(trx: Db, principal: Principal, action: string, id: string, detail: Record<string, unknown>) {
  return audit.record(trx, { organisationId: principal.organisationId, actor: actorOf(principal), action, subjectType: 'commission_target', subjectId: id, detail });
}

export async function commissionChoices(db: Db, principal: Principal) {
  assertCan(principal, 'targets:manage');
  return queries.commissionsHeldBy(db, principal.organisationId);
}

/** Every commission the organisation holds, with its providers and its targets' actuals over those providers. */
export async function listTargets(db: Db, principal: Principal): Promise<CommissionTargets[]> {
  assertCan(principal, 'targets:manage');
  const [commissions, providers, targets] = await Promise.all([
    queries.commissionsHeldBy(db, principal.organisationId),
    queries.providersOf(db, principal.organisationId),
    queries.targetsOf(db, principal.organisationId),
  ]);
  const result: CommissionTargets[] = [];
  for (const commission of commissions) {
    const covered = providers.filter((provider) => provider.commission_id === commission.id);
    result.push({
      id: commission.id,
      name: commission.name,
      startsOn: commission.starts_on,
      endsOn: commission.ends_on,
      providers: covered.map((provider) => provider.name),
      targets: await withActuals(
        db,
        targets.filter((target) => target.commission_id === commission.id),
        covered.map((provider) => provider.id),
      ),
    });
  }
  return result;
}

/** Adds a target to one of the organisation's commissions; another organisation's commission is not found. */
export async function createTarget(db: Db, principal: Principal, form: TargetFormValues): Promise<string> {
  assertCan(principal, 'targets:manage');
  const commissions = await queries.commissionsHeldBy(db, principal.organisationId);
  if (form.commissionId && !commissions.some((commission) => commission.id === form.commissionId)) throw new NotFound('No commission with this id was found.');
  const { values, errors } = checkTargetForm(form);
  if (!values) throw new ValidationFailed(errors);
  return inTransaction(db, async (trx) => {
    const { id } = await queries.insertTarget(trx, { ...values, organisation_id: principal.organisationId, created_by: principal.userId });
    await audited(trx, principal, 'commission-target.created', id, {
      commissionId: values.commission_id,
      measure: values.measure_code,
      target: values.target,
      startsOn: values.starts_on,
      endsOn: values.ends_on,
    });
    return id;
  });
}

async function targetOr404(db: Db, principal: Principal, id: string) {
  const row = isUuid(id) ? await queries.findTarget(db, principal.organisationId, id) : undefined;
  if (!row) throw new NotFound('No target with this id was found.');
  return row;
}

/** One target, for the delete question. */
export async function getTarget(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'targets:manage');
  const row = await targetOr404(db, principal, id);
  const [view] = await withActuals(db, [row], []);
  return { ...view, commissionName: row.commission_name };
}

export async function deleteTarget(db: Db, principal: Principal, id: string): Promise<void> {
  assertCan(principal, 'targets:manage');
  await inTransaction(db, async (trx) => {
    const row = await targetOr404(trx, principal, id);
    await queries.deleteTarget(trx, principal.organisationId, row.id);
    await audited(trx, principal, 'commission-target.deleted', row.id, {
      commissionId: row.commission_id,
      measure: row.measure_code,
      target: Number(row.target),
      startsOn: row.starts_on,
      endsOn: row.ends_on,
    });
  });
}
