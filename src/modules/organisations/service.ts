import * as audit from '../../platform/audit/service.ts';
import type { Actor } from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
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

export interface TeamView {
  id: string;
  name: string;
  memberCount: number;
  createdAt: Date;
}

function toTeamView(row: { id: string; name: string; created_at: Date; member_count: number }): TeamView {
  return { id: row.id, name: row.name, memberCount: Number(row.member_count), createdAt: row.created_at };
}

/** The principal's organisation's teams, with member counts, for the teams page and the API. */
export async function teamsFor(db: Db, principal: Principal): Promise<TeamView[]> {
  assertCan(principal, 'teams:view');
  return (await queries.listTeamsWithMemberCounts(db, principal.organisationId)).map(toTeamView);
}

/** One team of the principal's organisation; any other id (another organisation's, or malformed) is not found. */
export async function teamFor(db: Db, principal: Principal, id: string): Promise<TeamView> {
  assertCan(principal, 'teams:view');
  const row = isUuid(id) ? await queries.findTeamWithMemberCount(db, principal.organisationId, id) : undefined;
  if (!row) throw new NotFound();
  return toTeamView(row);
}

export async function addTeam(db: Db, principal: Principal, name: string): Promise<TeamView> {
  assertCan(principal, 'teams:manage');
  try {
    const team = await createTeam(db, actorOf(principal), principal.organisationId, name);
    return { id: team.id, name: team.name, memberCount: 0, createdAt: team.created_at };
  } catch (error) {
    // Two requests adding the same name at once: the unique index lets one through.
    if ((error as { code?: unknown }).code === '23505') {
      throw new ValidationFailed([{ field: 'name', text: 'A team with this name already exists' }]);
    }
    throw error;
  }
}
