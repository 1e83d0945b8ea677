import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { Conflict, NotFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { todayInLondon } from './dates.ts';
import { auditEpisode, episodeOr404 } from './episode-access.ts';
import * as taskQueries from './tasks-queries.ts';

export type TaskStatus = 'overdue' | 'due' | 'done' | 'cancelled';

function statusOf(task: { due_on: string; completed_at: Date | null; cancelled_at: Date | null }, today: string): TaskStatus {
  if (task.completed_at) return 'done';
  if (task.cancelled_at) return 'cancelled';
  return task.due_on < today ? 'overdue' : 'due';
}

/** An episode's tasks, pending first by due date, with overdue ones flagged. */
export async function listEpisodeTasks(db: Db, principal: Principal, episodeId: string) {
  assertCan(principal, 'people:view');
  const today = todayInLondon();
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId);
    const rows = await taskQueries.episodeTasks(trx, principal.organisationId, episode.id);
    await auditEpisode(trx, principal, episode.id, 'tasks.viewed');
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      dueOn: row.due_on,
      status: statusOf(row, today),
      completedAt: row.completed_at,
      assigneeId: row.assignee_id,
      assigneeName: row.assignee_name,
      fromSchedule: row.schedule_code !== null,
      version: row.version,
    }));
  });
}

/** The signed-in worker's pending tasks across their cases, overdue first, a page at a time. */
export async function listMyTasks(db: Db, principal: Principal, page: { limit: number; offset: number }) {
  assertCan(principal, 'people:view');
  if (!principal.userId) return { tasks: [], total: 0 };
  const today = todayInLondon();
  const { rows, total } = await taskQueries.pendingTasksFor(db, principal.organisationId, principal.userId, page.limit, page.offset);
  return {
    total,
    tasks: rows.map((row) => ({
      id: row.id,
      episodeId: row.episode_id,
      personName: `${row.given_name} ${row.family_name}`,
      title: row.title,
      dueOn: row.due_on,
      status: statusOf(row, today),
      version: row.version,
    })),
  };
}

/** The signed-in worker's overdue task count, for the start page. */
export async function myOverdueTaskCount(db: Db, principal: Principal): Promise<number> {
  assertCan(principal, 'people:view');
  if (!principal.userId) return 0;
  return taskQueries.overdueCountFor(db, principal.organisationId, principal.userId, todayInLondon());
}

/** Marks a task done; a stale version (moved, done or cancelled since it was shown) is a conflict. */
export async function completeTask(db: Db, principal: Principal, episodeId: string, taskId: string, version: number | null) {
  assertCan(principal, 'people:edit');
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId, { forUpdate: true });
    const task = isUuid(taskId) ? await taskQueries.findTask(trx, principal.organisationId, episode.id, taskId) : undefined;
    if (!task) throw new NotFound();
    if (version === null || !(await taskQueries.completeTask(trx, principal.organisationId, task.id, version, principal.userId))) {
      throw new Conflict('This task was changed by someone else: it may have moved, or been done or cancelled. Check it and try again.');
    }
    await auditEpisode(trx, principal, episode.id, 'task.completed', { taskId: task.id, title: task.title, dueOn: task.due_on });
    return task;
  });
}

/**
 * When an episode changes key worker the work goes with it: its pending tasks
 * move to the new worker. Call it in the same transaction as the change of
 * key worker. Returns how many tasks moved.
 */
export async function reassignPendingTasks(trx: Db, organisationId: string, episodeId: string, workerId: string | null): Promise<number> {
  const moved = await taskQueries.reassignPendingTasks(trx, organisationId, episodeId, workerId);
  return moved.length;
}
