import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import type { CohortSpec } from './queries/cohort.ts';
import * as queries from './queries/scope.ts';
import type { DisclosureControl, ReportRequest, ReportScope } from './report-table.ts';

export const DISCLOSURE_METHOD =
  'Counts from 1 to {max} are hidden and shown as [c], and so are medians, averages and other figures about 1 to {max} people. Where a hidden count could be worked out by subtracting shown counts from a total, the next smallest non-zero count in the same column or group of rows is hidden too, or the total when the other counts are all zero. Percentages and figures worked out from a hidden count are hidden with it, and so is any percentage from which a hidden count could be worked out. Zeros are shown.';

export interface ResolvedScope extends ReportScope {
  cohort: CohortSpec;
  disclosure: DisclosureControl;
  /** Choices for the page's filters, limited to what the caller may see. */
  choices: {
    commissions: Array<{ id: string; name: string }>;
    teams: Array<{ id: string; name: string }>;
  };
}

/**
 * Who the report may count, decided once per request:
 *   - a commissioner sees the providers of one of its own organisation's
 *     commissions (the first, unless it names another), always with
 *     disclosure control;
 *   - anyone else with reports:view-aggregate sees their own organisation;
 *     naming a commission that covers it adds that commission's targets.
 * A team, or a commission, that the caller may not see is a 404, as for any
 * other organisation's record.
 */
export async function resolveScope(db: Db, principal: Principal, request: ReportRequest, threshold: number): Promise<ResolvedScope> {
  assertCan(principal, 'reports:view-aggregate');
  if (request.commissionId !== undefined && !isUuid(request.commissionId)) throw new NotFound();
  if (request.teamId !== undefined && !isUuid(request.teamId)) throw new NotFound();

  let organisations: Array<{ id: string; name: string }>;
  let commission: { id: string; name: string } | undefined;
  let commissionChoices: Array<{ id: string; name: string }>;
  const commissioner = principal.role === 'commissioner';
  if (commissioner) {
    const rows = await queries.commissionsHeldBy(db, principal.organisationId);
    commissionChoices = uniqueCommissions(rows);
    const chosen = request.commissionId ? commissionChoices.find((c) => c.id === request.commissionId) : commissionChoices[0];
    if (request.commissionId && !chosen) throw new NotFound();
    commission = chosen;
    organisations = rows
      .filter((row) => row.id === chosen?.id && row.provider_id !== null)
      .map((row) => ({ id: row.provider_id as string, name: row.provider_name as string }));
  } else {
    organisations = [{ id: principal.organisationId, name: principal.organisationName }];
    commissionChoices = (await queries.commissionsCovering(db, principal.organisationId)).map((row) => ({ id: row.id, name: row.name }));
    if (request.commissionId) {
      commission = commissionChoices.find((c) => c.id === request.commissionId);
      if (!commission) throw new NotFound();
    }
  }

  const organisationIds = organisations.map((organisation) => organisation.id);
  const teams = await queries.teamsOf(db, organisationIds);
  const filterLabels: Record<string, string> = {};
  if (commission) filterLabels.Commission = commission.name;
  if (request.teamId) {
    const team = teams.find((candidate) => candidate.id === request.teamId);
    if (!team) throw new NotFound();
    filterLabels.Team = team.name;
  }
  if (request.prisonCode || request.sourceCode) {
    const reference = await loadReferenceData(db, organisationIds[0] ?? principal.organisationId, ['prison', 'referral_source']);
    const errors = [];
    if (request.prisonCode && !reference.has('prison', request.prisonCode)) errors.push({ field: 'prisonCode', text: 'Select a prison from the list' });
    if (request.sourceCode && !reference.has('referral_source', request.sourceCode)) errors.push({ field: 'sourceCode', text: 'Select a referral source from the list' });
    if (errors.length > 0) throw new ValidationFailed(errors);
    if (request.prisonCode) filterLabels.Prison = reference.label('prison', request.prisonCode);
    if (request.sourceCode) filterLabels['Referral source'] = reference.label('referral_source', request.sourceCode);
  }

  const applied = commissioner || request.publication;
  return {
    organisations,
    commission,
    filterLabels,
    cohort: {
      organisationIds,
      referredFrom: request.from,
      referredTo: request.to,
      teamId: request.teamId,
      prisonCode: request.prisonCode,
      sourceCode: request.sourceCode,
    },
    disclosure: {
      applied,
      threshold,
      method: applied ? DISCLOSURE_METHOD.replaceAll('{max}', String(threshold - 1)) : 'Not applied: these figures are for the organisation’s own use and are not for publication.',
    },
    choices: { commissions: commissionChoices, teams: teams.map((team) => ({ id: team.id, name: team.name })) },
  };
}

function uniqueCommissions(rows: Array<{ id: string; name: string }>): Array<{ id: string; name: string }> {
  const seen = new Map<string, { id: string; name: string }>();
  for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, { id: row.id, name: row.name });
  return [...seen.values()];
}
