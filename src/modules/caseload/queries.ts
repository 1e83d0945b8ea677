import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Stage } from '../episodes/tables.ts';
import { isOpenEpisode } from '../episodes/service.ts';

/**
 * The caseload is a read-only projection across the journey's tables
 * (episode, person, prison_stay, release_date, contact, task, and app_user for
 * the key worker's name), read in ONE set-based statement with lateral
 * subqueries so a page costs one query however many rows it has. It writes
 * nothing; the modules that own those tables keep their rules. This is the
 * one deliberate exception to "a module reaches another only through its
 * service", made because a caseload is a view over all of them.
 */

export type ReleaseWindow = '2' | '6' | '12' | 'unknown' | '';
export type CaseloadSort = 'name' | 'contact' | 'release';

export interface CaseloadQuery {
  /** My caseload: the key worker. Team caseload: the team, optionally one worker ('none' for unallocated). */
  scope: { keyWorkerId: string } | { teamId: string; workerId: string };
  search: string;
  stage: Stage | '';
  window: ReleaseWindow;
  overdueOnly: boolean;
  sort: CaseloadSort;
  /** Today's UK date, YYYY-MM-DD: overdue tasks, release windows and days since contact count from it. */
  today: string;
  limit: number;
  offset: number;
}

export interface CaseloadRow {
  episode_id: string;
  referred_on: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  stage: Stage;
  key_worker_id: string | null;
  key_worker_name: string | null;
  prison_code: string | null;
  expected_release_area: string | null;
  release_on: string | null;
  days_to_release: number | null;
  last_contact_at: Date | null;
  days_since_contact: number | null;
  overdue_tasks: number;
  total: number;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}

const WINDOW_DAYS: Record<string, number> = { '2': 14, '6': 42, '12': 84 };

function conditions(organisationId: string, query: CaseloadQuery): RawBuilder<unknown>[] {
  const today = sql`${query.today}::date`;
  const where: RawBuilder<unknown>[] = [sql`e.organisation_id = ${organisationId}`, isOpenEpisode('e')];
  if ('keyWorkerId' in query.scope) where.push(sql`e.key_worker_id = ${query.scope.keyWorkerId}`);
  else {
    where.push(sql`e.team_id = ${query.scope.teamId}`);
    if (query.scope.workerId === 'none') where.push(sql`e.key_worker_id is null`);
    else if (query.scope.workerId) where.push(sql`e.key_worker_id = ${query.scope.workerId}`);
  }
  if (query.search) {
    const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
    where.push(sql`(lower(p.given_name || ' ' || p.family_name) like ${pattern}
      or lower(p.family_name || ' ' || p.given_name) like ${pattern}
      or lower(coalesce(p.preferred_name, '') || ' ' || p.family_name) like ${pattern})`);
  }
  if (query.stage) where.push(sql`e.stage = ${query.stage}`);
  if (query.window === 'unknown') where.push(sql`rel.release_on is null`);
  else if (query.window) {
    where.push(sql`rel.release_on between ${today} and ${today} + ${WINDOW_DAYS[query.window]}::int`);
  }
  if (query.overdueOnly) where.push(sql`overdue.n > 0`);
  return where;
}

const ORDER: Record<CaseloadSort, RawBuilder<unknown>> = {
  name: sql`lower(p.family_name), lower(p.given_name), e.id`,
  // Longest without contact first; never contacted before anyone.
  contact: sql`last.last_contact_at asc nulls first, lower(p.family_name), e.id`,
  release: sql`rel.release_on asc nulls last, lower(p.family_name), e.id`,
};

/**
 * One page of a caseload, with the number of matching rows in every row (total).
 * Sorted by name with no filter on release dates or tasks, the page is chosen
 * from the episodes and people alone and only its rows get the lateral
 * lookups, so a page costs the same however large the caseload is.
 */
export async function caseloadPage(db: Db, organisationId: string, query: CaseloadQuery): Promise<CaseloadRow[]> {
  const today = sql`${query.today}::date`;
  const pageFirst = query.sort === 'name' && !query.window && !query.overdueOnly;
  const where = sql.join(conditions(organisationId, query), sql` and `);
  const episodes = pageFirst
    ? sql`(select e.*, count(*) over () as total
             from episode e
             join person p on p.organisation_id = e.organisation_id and p.id = e.person_id
            where ${where}
            order by ${ORDER.name}
            limit ${query.limit} offset ${query.offset}) e`
    : sql`episode e`;
  const result = await sql<CaseloadRow>`
    select e.id as episode_id, e.referred_on,
           p.given_name, p.family_name, p.preferred_name,
           e.stage, e.key_worker_id, kw.display_name as key_worker_name,
           stay.prison_code, e.expected_release_area,
           rel.release_on,
           (rel.release_on - ${today}) as days_to_release,
           last.last_contact_at,
           (${today} - (last.last_contact_at at time zone 'Europe/London')::date) as days_since_contact,
           overdue.n as overdue_tasks,
           ${pageFirst ? sql`e.total` : sql`count(*) over ()`} as total
      from ${episodes}
      join person p on p.organisation_id = e.organisation_id and p.id = e.person_id
      left join app_user kw on kw.organisation_id = e.organisation_id and kw.id = e.key_worker_id
      left join lateral (
        -- The current stay (not yet left) first, then the latest arrival.
        select s.prison_code from prison_stay s
         where s.organisation_id = e.organisation_id and s.episode_id = e.id
         order by (s.left_on is null) desc, s.arrived_on desc nulls last, s.id desc
         limit 1
      ) stay on true
      left join lateral (
        -- The earliest release date of any kind; a licence end date is not a release.
        select min(r.on_date) as release_on from release_date r
         where r.organisation_id = e.organisation_id and r.episode_id = e.id and r.kind_code <> 'licence_end'
      ) rel on true
      left join lateral (
        select max(c.occurred_at) as last_contact_at from contact c
         where c.organisation_id = e.organisation_id and c.episode_id = e.id and c.attended and c.deleted_at is null
      ) last on true
      left join lateral (
        select count(*)::int as n from task t
         where t.organisation_id = e.organisation_id and t.episode_id = e.id
           and t.due_on < ${today} and t.completed_at is null and t.cancelled_at is null
      ) overdue on true
     where ${pageFirst ? sql`true` : where}
     order by ${ORDER[query.sort]}
     ${pageFirst ? sql`` : sql`limit ${query.limit} offset ${query.offset}`}
  `.execute(db);
  return result.rows.map((row) => ({
    ...row,
    days_to_release: row.days_to_release === null ? null : Number(row.days_to_release),
    days_since_contact: row.days_since_contact === null ? null : Number(row.days_since_contact),
    overdue_tasks: Number(row.overdue_tasks),
    total: Number(row.total),
  }));
}

/** How many open episodes a worker holds as key worker: their active caseload. */
export async function activeCount(db: Db, organisationId: string, workerId: string): Promise<number> {
  const row = await db
    .selectFrom('episode as e')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('e.organisation_id', '=', organisationId)
    .where('e.key_worker_id', '=', workerId)
    .where(isOpenEpisode('e'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A team's active members with their active caseload counts, by name. */
export async function teamWorkerCounts(db: Db, organisationId: string, teamId: string) {
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('episode as e', (join) =>
      join.onRef('e.organisation_id', '=', 'u.organisation_id').onRef('e.key_worker_id', '=', 'u.id').on(isOpenEpisode('e')),
    )
    .select(['u.id', 'u.display_name', 'u.role', (eb) => eb.fn.count<number>('e.id').as('active')])
    .where('u.organisation_id', '=', organisationId)
    .where('u.team_id', '=', teamId)
    .where('u.status', '<>', 'deactivated')
    .groupBy(['u.id', 'u.display_name', 'u.role'])
    .orderBy((eb) => eb.fn('lower', ['u.display_name']))
    .orderBy('u.id')
    .execute();
  return rows.map((row) => ({ ...row, active: Number(row.active) }));
}
