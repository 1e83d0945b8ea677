import * as audit from '../../platform/audit/service.ts';
import type { Actor } from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { type DateFieldError, type DateParts, isoDate, parseDateInput } from '../../platform/http/date-input.ts';
import { type FieldError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import * as queries from './queries.ts';

export const findOrganisation = queries.findOrganisation;
export const findOrganisationByName = queries.findOrganisationByName;
export const findTeam = queries.findTeam;
export const listTeams = queries.listTeams;
export const commissionedProviders = queries.commissionedProviders;

export const ORGANISATION_KINDS = ['provider', 'commissioner'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export async function organisationErrors(db: Db, input: { name: string; kind: string }): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', text: 'Enter the organisation’s name' });
  else if (name.length > 200) errors.push({ field: 'name', text: 'Name must be 200 characters or fewer' });
  else if (await queries.findOrganisationByName(db, name)) errors.push({ field: 'name', text: 'An organisation with this name already exists' });
  if (!(ORGANISATION_KINDS as readonly string[]).includes(input.kind)) {
    errors.push({ field: 'kind', text: 'Select whether the organisation provides support or commissions it' });
  }
  return errors;
}

/** Joins the caller's transaction when given one, so an organisation and its first administrator commit together. */
export async function createOrganisation(
  db: Db,
  actor: Actor,
  input: { name: string; kind: 'provider' | 'commissioner' | 'operator' },
) {
  const name = input.name.trim();
  if (!name) throw new ValidationFailed([{ field: 'name', text: 'Enter the organisation name' }]);
  return inTransaction(db, async (trx) => {
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

export async function listOrganisations(db: Db, principal: Principal) {
  assertCan(principal, 'organisations:manage');
  const rows = await queries.listOrganisationsWithUserCounts(db);
  return rows.map((row) => ({ id: row.id, name: row.name, kind: row.kind, createdAt: row.created_at, userCount: Number(row.user_count) }));
}

export async function commissionChoices(db: Db, principal: Principal) {
  assertCan(principal, 'commissions:manage');
  const [commissioners, providers] = await Promise.all([
    queries.listOrganisationsOfKind(db, 'commissioner'),
    queries.listOrganisationsOfKind(db, 'provider'),
  ]);
  return { commissioners, providers };
}

export interface CommissionView {
  id: string;
  name: string;
  commissionerName: string;
  startsOn: string;
  endsOn: string | null;
  providers: string[];
}

export async function listCommissions(db: Db, principal: Principal): Promise<CommissionView[]> {
  assertCan(principal, 'commissions:manage');
  const byId = new Map<string, CommissionView>();
  for (const row of await queries.listCommissionsWithProviders(db)) {
    let view = byId.get(row.id);
    if (!view) {
      view = { id: row.id, name: row.name, commissionerName: row.commissioner_name, startsOn: row.starts_on, endsOn: row.ends_on, providers: [] };
      byId.set(row.id, view);
    }
    if (row.provider_name) view.providers.push(row.provider_name);
  }
  return [...byId.values()];
}

export interface CommissionInput {
  name: string;
  commissionerId: string;
  start: DateParts;
  end: DateParts;
  providerIds: string[];
}

/** Checks a new commission against the organisations that exist; on success returns what to store. */
export async function addCommission(db: Db, principal: Principal, input: CommissionInput) {
  assertCan(principal, 'commissions:manage');
  const errors: DateFieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', text: 'Enter the commission’s name' });
  else if (name.length > 200) errors.push({ field: 'name', text: 'Name must be 200 characters or fewer' });
  const { commissioners, providers } = await commissionChoices(db, principal);
  if (!commissioners.some((organisation) => organisation.id === input.commissionerId)) {
    errors.push({ field: 'commissionerId', text: 'Select the commissioning organisation' });
  }
  const start = parseDateInput(input.start, 'Start date', 'start', errors);
  if (!start && !errors.some((error) => error.field.startsWith('start-'))) {
    errors.push({ field: 'start-day', text: 'Enter the start date', parts: ['day', 'month', 'year'] });
  }
  const end = parseDateInput(input.end, 'End date', 'end', errors);
  if (start && end && isoDate(end) < isoDate(start)) {
    errors.push({ field: 'end-day', text: 'End date must be the same as or after the start date', parts: ['day', 'month', 'year'] });
  }
  const providerIds = [...new Set(input.providerIds)];
  if (providerIds.length === 0) errors.push({ field: 'providerIds', text: 'Select at least one provider the commission covers' });
  else if (!providerIds.every((id) => providers.some((provider) => provider.id === id))) {
    errors.push({ field: 'providerIds', text: 'Select providers from the list' });
  }
  if (errors.length > 0 || !start) throw new ValidationFailed(errors);
  return createCommission(db, actorOf(principal), {
    organisationId: input.commissionerId,
    name,
    startsOn: isoDate(start),
    endsOn: end ? isoDate(end) : null,
    providerIds,
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
  return inTransaction(db, async (trx) => {
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
