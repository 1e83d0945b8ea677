import * as audit from '../../platform/audit/service.ts';
import type { Actor } from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import * as queries from './queries.ts';

export const findOrganisation = queries.findOrganisation;
export const findOrganisationByName = queries.findOrganisationByName;
export const findTeam = queries.findTeam;
export const listTeams = queries.listTeams;
export const commissionedProviders = queries.commissionedProviders;

export async function createOrganisation(
  db: Db,
  actor: Actor,
  input: { name: string; kind: 'provider' | 'commissioner' | 'operator' },
) {
  const name = input.name.trim();
  if (!name) throw new ValidationFailed([{ field: 'name', text: 'Enter the organisation name' }]);
  return db.transaction().execute(async (trx) => {
    const organisation = await queries.insertOrganisation(trx, name, input.kind);
    await audit.record(trx, {
      organisationId: organisation.id,
      actor,
      action: 'organisation.created',
      subjectType: 'organisation',
      subjectId: organisation.id,
      detail: { kind: input.kind },
    });
    return organisation;
  });
}

export async function createTeam(db: Db, actor: Actor, organisationId: string, rawName: string) {
  const name = rawName.trim();
  if (!name) throw new ValidationFailed([{ field: 'name', text: 'Enter the team name' }]);
  if (name.length > 100) throw new ValidationFailed([{ field: 'name', text: 'Team name must be 100 characters or fewer' }]);
  return db.transaction().execute(async (trx) => {
    if (await queries.findTeamByName(trx, organisationId, name)) {
      throw new ValidationFailed([{ field: 'name', text: 'A team with this name already exists' }]);
    }
    const team = await queries.insertTeam(trx, organisationId, name);
    await audit.record(trx, {
      organisationId,
      actor,
      action: 'team.created',
      subjectType: 'team',
      subjectId: team.id,
      detail: { name },
    });
    return team;
  });
}

export async function createCommission(
  db: Db,
  actor: Actor,
  input: { organisationId: string; name: string; startsOn: string; endsOn: string | null; providerIds: string[] },
) {
  return db.transaction().execute(async (trx) => {
    const commission = await queries.insertCommission(trx, {
      organisation_id: input.organisationId,
      name: input.name,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
    });
    for (const providerId of input.providerIds) {
      await queries.insertCommissionProvider(trx, {
        organisation_id: input.organisationId,
        commission_id: commission.id,
        provider_organisation_id: providerId,
      });
    }
    await audit.record(trx, {
      organisationId: input.organisationId,
      actor,
      action: 'commission.created',
      subjectType: 'commission',
      subjectId: commission.id,
      detail: { name: input.name, providers: input.providerIds },
    });
    return commission;
  });
}
