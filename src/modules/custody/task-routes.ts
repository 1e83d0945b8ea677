import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { parseVersion } from './episode-access.ts';
import { conflictPage, doneMessage, episodePage } from './page.ts';
import * as custody from './service.ts';

const PAGE_SIZE = 25;
type Params = { id: string };

const tasksHref = (page: number) => (page > 1 ? `/tasks?page=${page}` : '/tasks');

/** An episode's tasks, the worker's own task list, and the release board. */
export async function taskRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: Params }>('/episodes/:id/tasks', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const tasks = await custody.listEpisodeTasks(db, principal, request.params.id);
    return episodePage(deps, reply, principal, request.params.id, 'tasks.njk', {
      pageTitle: 'Tasks',
      section: 'tasks',
      tasks,
      flash: doneMessage(request.query),
    });
  });

  app.post<{ Params: { id: string; taskId: string } }>('/episodes/:id/tasks/:taskId/done', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const version = parseVersion(formString(request.body, 'version'));
    const fromMyTasks = formString(request.body, 'returnTo') === 'my-tasks';
    try {
      await custody.completeTask(db, principal, request.params.id, request.params.taskId, version);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      const href = fromMyTasks ? '/tasks' : `/episodes/${request.params.id}/tasks`;
      return conflictPage(deps, reply, principal, request.params.id, error, { href, text: 'See the tasks as they are now' });
    }
    // Back to where the button was pressed: the worker's list or the episode's.
    return reply.redirect(fromMyTasks ? '/tasks?done=task' : `/episodes/${request.params.id}/tasks?done=task`);
  });

  app.get('/tasks', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const page = pageNumber(query.page);
    const { tasks, total } = await custody.listMyTasks(db, principal, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = pageCount(total, PAGE_SIZE);
    if (page > pages) return reply.redirect(tasksHref(pages));
    return reply.view('custody/views/my-tasks.njk', {
      pageTitle: pages > 1 ? `Your tasks (page ${page} of ${pages})` : 'Your tasks',
      tasks,
      total,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + tasks.length,
      pagination: pagination(page, pages, tasksHref),
      flash: doneMessage(query),
    });
  });

  app.get('/release-board', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = custody.normaliseBoardQuery(request.query as Record<string, unknown>);
    const board = await custody.getReleaseBoard(db, principal, query);
    if (query.page > board.pages) return reply.redirect(custody.boardHref(query, board.pages));
    const selectedTeam = board.teamId ?? custody.ALL_TEAMS;
    return reply.view('custody/views/board.njk', {
      pageTitle: board.pages > 1 ? `Release board (page ${board.page} of ${board.pages})` : 'Release board',
      board,
      query,
      filtered: Boolean(query.team || query.mine || query.window),
      pagination: pagination(board.page, board.pages, (page) => custody.boardHref(query, page)),
      teams: [{ value: custody.ALL_TEAMS, text: 'All teams' }, ...board.teams].map((team) => ({ ...team, selected: team.value === selectedTeam })),
      windows: [
        { value: '', text: 'All windows' },
        ...board.windows.map((w) => ({ value: w.value, text: `${w.text} (${w.count})`, selected: w.value === query.window })),
      ],
    });
  });
}
