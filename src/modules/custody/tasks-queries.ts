import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { expectedReleaseDates } from './queries.ts';

/** What the release-anchored schedule needs: the key worker, the actual release date and the expected one. */
export async function releaseAnchor(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('episode as e')
    .leftJoin('release as r', (join) => join.onRef('r.episode_id', '=', 'e.id').onRef('r.organisation_id', '=', 'e.organisation_id'))
    .leftJoin(expectedReleaseDates(db, organisationId).as('x'), 'x.episode_id', 'e.id')
    .select(['e.key_worker_id', 'r.released_on', 'x.expected_on'])
    .where('e.organisation_id', '=', organisationId)
    .where('e.id', '=', episodeId)
    .executeTakeFirst();
}

export interface ScheduledTask {
  code: string;
  title: string;
  dueOn: string;
}

/**
 * Creates the schedule's tasks, or moves them: a pending task (not completed)
 * takes the new due date, and a cancelled one comes back, for the current key
 * worker. Completed tasks are left alone: what was done stays done on the day
 * it was done.
 */
export async function upsertScheduledTasks(
  db: Db,
  organisationId: string,
  episodeId: string,
  assigneeId: string | null,
  tasks: readonly ScheduledTask[],
) {
  if (tasks.length === 0) return [];
  return db
    .insertInto('task')
    .values(
      tasks.map((task) => ({
        organisation_id: organisationId,
        episode_id: episodeId,
        assignee_id: assigneeId,
        title: task.title,
        schedule_code: task.code,
        due_on: task.dueOn,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['organisation_id', 'episode_id', 'schedule_code'])
        .where('schedule_code', 'is not', null)
        .doUpdateSet((eb) => ({
          due_on: eb.ref('excluded.due_on'),
          title: eb.ref('excluded.title'),
          cancelled_at: null,
          // A pending task keeps its assignee; a cancelled one coming back goes to the current key worker, who may have changed since.
          assignee_id: sql<string | null>`case when task.cancelled_at is null then coalesce(task.assignee_id, excluded.assignee_id)
            else coalesce(excluded.assignee_id, task.assignee_id) end`,
          version: sql<number>`task.version + 1`,
        }))
        .where('task.completed_at', 'is', null)
        .where((eb) => eb.or([eb('task.due_on', '<>', eb.ref('excluded.due_on')), eb('task.cancelled_at', 'is not', null)])),
    )
    .returning(['id', 'schedule_code', 'due_on'])
    .execute();
}

/** When the release date is cleared: pending scheduled tasks have nothing to hang from, so they are cancelled. */
export async function cancelPendingScheduledTasks(db: Db, organisationId: string, episodeId: string) {
  return db
    .updateTable('task')
    .set((eb) => ({ cancelled_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('schedule_code', 'is not', null)
    .where('completed_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .returning(['id', 'schedule_code'])
    .execute();
}

/**
 * Hands an episode's pending tasks (neither completed nor cancelled) to a new
 * assignee. Done and cancelled tasks keep whoever held them: that is history.
 * The version moves on, so a form showing the old assignment reads as stale.
 */
export async function reassignPendingTasks(db: Db, organisationId: string, episodeId: string, assigneeId: string | null) {
  return db
    .updateTable('task')
    .set((eb) => ({ assignee_id: assigneeId, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('episode_id', '=', episodeId)
    .where('completed_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where(sql<boolean>`assignee_id is distinct from ${assigneeId}::uuid`)
    .returning(['id'])
    .execute();
}

const TASK_COLUMNS = [
  't.id',
  't.episode_id',
  't.title',
  't.schedule_code',
  't.due_on',
  't.completed_at',
  't.cancelled_at',
  't.version',
  't.assignee_id',
] as const;

export async function episodeTasks(db: Db, organisationId: string, episodeId: string) {
  return db
    .selectFrom('task as t')
    .leftJoin('app_user as u', 'u.id', 't.assignee_id')
    .select([...TASK_COLUMNS, 'u.display_name as assignee_name'])
    .where('t.organisation_id', '=', organisationId)
    .where('t.episode_id', '=', episodeId)
    .orderBy(sql`(t.completed_at is not null or t.cancelled_at is not null)`)
    .orderBy('t.due_on')
    .orderBy('t.id')
    .execute();
}

/** A worker's pending tasks, earliest due first, so overdue ones lead; with the person's name for the list. */
export async function pendingTasksFor(db: Db, organisationId: string, userId: string, limit: number, offset: number) {
  const base = db
    .selectFrom('task as t')
    .innerJoin('episode as e', (join) => join.onRef('e.id', '=', 't.episode_id').onRef('e.organisation_id', '=', 't.organisation_id'))
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .where('t.organisation_id', '=', organisationId)
    .where('t.assignee_id', '=', userId)
    .where('t.completed_at', 'is', null)
    .where('t.cancelled_at', 'is', null);
  const [rows, count] = await Promise.all([
    base
      .select([...TASK_COLUMNS, 'p.given_name', 'p.family_name'])
      .orderBy('t.due_on')
      .orderBy('t.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findTask(db: Db, organisationId: string, episodeId: string, taskId: string) {
  return db
    .selectFrom('task as t')
    .select(TASK_COLUMNS)
    .where('t.organisation_id', '=', organisationId)
    .where('t.episode_id', '=', episodeId)
    .where('t.id', '=', taskId)
    .executeTakeFirst();
}

/** Returns false when the task changed since it was shown (moved, done or cancelled by someone else). */
export async function completeTask(db: Db, organisationId: string, taskId: string, version: number, userId: string | null) {
  const result = await db
    .updateTable('task')
    .set((eb) => ({ completed_at: new Date(), completed_by: userId, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', taskId)
    .where('version', '=', version)
    .where('completed_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many of a worker's pending tasks were due before today. */
export async function overdueCountFor(db: Db, organisationId: string, userId: string, today: string): Promise<number> {
  const row = await db
    .selectFrom('task')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('assignee_id', '=', userId)
    .where('completed_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_on', '<', today)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
