import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import * as board from './service.ts';

export async function employmentBoardRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/employment-board', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const choice = board.readBoardChoice(request.query as Record<string, unknown>);
    const view = await board.getEmploymentBoard(db, principal, choice, londonToday());
    const title = view.scope === 'organisation' ? 'Employment board: everyone' : view.own ? 'My employment board' : `Employment board: ${view.worker?.name}`;
    return reply.view('employment-board/views/board.njk', {
      pageTitle: title,
      ...view,
      choice,
      workerChoices: [
        { value: '', text: 'My caseload' },
        { value: 'team', text: 'Everyone in the organisation' },
        ...view.workers.map((worker) => ({ value: worker.id, text: worker.name })),
      ].map((item) => ({ ...item, selected: item.value === (choice.scope || choice.worker) })),
      workerLinks: view.workers.map((worker) => ({ ...worker, href: board.boardHref({ worker: worker.id, scope: '' }) })),
    });
  });
}
