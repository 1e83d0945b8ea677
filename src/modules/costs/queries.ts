import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { isOpenEpisode } from '../episodes/service.ts';
import { type CohortSpec, cohortCte, inOrganisations } from '../outcomes/queries/cohort.ts';

/** '' every period, 'whole' whole-organisation periods only, or a team id. */
export type TeamFilter = string;

export interface CostPeriodValues {
  team_id: string | null;
  starts_on: string;
  ends_on: string;
  note: string | null;
  staff_fte: number;
  specialist_fte: number;
  salaries: number;
  overheads: number;
  management: number;
  travel: number;
  other: number;
}

export async function teamsOf(db: Db, organisationId: string) {
  return db.selectFrom('team').select(['id', 'name']).where('organisation_id', '=', organisationId).orderBy('name').execute();
}

/** The same team, or both for the whole organisation. */
const sameTeam = sql<boolean>`other.team_id is not distinct from c.team_id`;

export async function listCostPeriods(db: Db, organisationId: string, team: TeamFilter, page: { limit: number; offset: number }) {
  let query = db.selectFrom('cost_period as c').leftJoin('team as t', (join) => join.onRef('t.id', '=', 'c.team_id').onRef('t.organisation_id', '=', 'c.organisation_id')).where('c.organisation_id', '=', organisationId);
  if (team === 'whole') query = query.where('c.team_id', 'is', null);
  else if (team) query = query.where('c.team_id', '=', team);
  const [rows, total] = await Promise.all([
    query
      .selectAll('c')
      .select('t.name as team_name')
      .select(
        sql<boolean>`exists (
          select 1 from cost_period other
           where other.organisation_id = c.organisation_id and other.id <> c.id and ${sameTeam}
             and other.starts_on <= c.ends_on and other.ends_on >= c.starts_on)`.as('overlaps'),
      )
      .orderBy('c.starts_on', 'desc')
      .orderBy('c.ends_on', 'desc')
      .orderBy('c.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.total) };
}

export async function findCostPeriod(db: Db, organisationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('cost_period as c')
    .leftJoin('team as t', (join) => join.onRef('t.id', '=', 'c.team_id').onRef('t.organisation_id', '=', 'c.organisation_id'))
    .selectAll('c')
    .select('t.name as team_name')
    .where('c.organisation_id', '=', organisationId)
    .where('c.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('c');
  return query.executeTakeFirst();
}

/** Periods of the same team (or both whole-organisation) sharing at least one day with the given dates. */
export async function overlappingPeriods(db: Db, organisationId: string, teamId: string | null, startsOn: string, endsOn: string, exceptId?: string) {
  let query = db
    .selectFrom('cost_period')
    .select(['id', 'starts_on', 'ends_on'])
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`team_id is not distinct from ${teamId}::uuid`)
    .where('starts_on', '<=', endsOn)
    .where('ends_on', '>=', startsOn);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.orderBy('starts_on').execute();
}

export async function insertCostPeriod(db: Db, values: CostPeriodValues & { organisation_id: string; recorded_by: string | null }) {
  return db.insertInto('cost_period').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateCostPeriod(db: Db, organisationId: string, id: string, version: number, values: CostPeriodValues) {
  const result = await db
    .updateTable('cost_period')
    .set({ ...values, updated_at: new Date(), version: version + 1 })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteCostPeriod(db: Db, organisationId: string, id: string) {
  const result = await db.deleteFrom('cost_period').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Cost periods sharing a day with from..to: a team's own, or every period of the organisations when no team is given. */
export async function periodsForReport(db: Db, organisationIds: readonly string[], teamId: string | undefined, from: string, to: string) {
  if (organisationIds.length === 0) return [];
  let query = db
    .selectFrom('cost_period')
    .selectAll()
    .where(inOrganisations('organisation_id', organisationIds))
    .where('starts_on', '<=', to)
    .where('ends_on', '>=', from);
  if (teamId) query = query.where('team_id', '=', teamId);
  return query.orderBy('starts_on').orderBy('id').execute();
}

/** Episodes open on asAt, as they stood then (an exit after asAt had not happened yet). */
export async function activeCaseload(db: Db, spec: CohortSpec, asAt: string): Promise<number> {
  if (spec.organisationIds.length === 0) return 0;
  const result = await sql<{ open: string }>`
    with ${cohortCte(spec, asAt)}
    select count(*) as open
      from (select c.episode_id as id, c.organisation_id, c.exited_on from cohort c) as e
     where ${isOpenEpisode('e')}`.execute(db);
  return Number(result.rows[0]?.open ?? 0);
}
