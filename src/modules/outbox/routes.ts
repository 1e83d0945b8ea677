import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { NotFound } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pagination } from '../../platform/http/paging.ts';
import * as outbox from './service.ts';

type Params = { id: string };

/** Unlike other lists, a malformed page number is a wrong address here: 404. */
function pageNumber(value: unknown): number {
  if (value === undefined || value === '') return 1;
  if (typeof value !== 'string' || !/^[1-9]\d{0,5}$/.test(value)) throw new NotFound();
  return Number(value);
}

export async function outboxRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/admin/outbox', async (request, reply) => {
    const principal = requirePermission(request, 'outbox:view');
    const page = pageNumber((request.query as Record<string, unknown>).page);
    const result = await outbox.listMessages(deps.db, principal, page);
    const href = (n: number) => (n === 1 ? '/admin/outbox' : `/admin/outbox?page=${n}`);
    return reply.view('outbox/views/index.njk', {
      pageTitle: page > 1 ? `Email outbox (page ${page} of ${result.pages})` : 'Email outbox',
      ...result,
      page,
      firstNumber: (page - 1) * outbox.PAGE_SIZE + 1,
      pagination: pagination(page, result.pages, href),
    });
  });

  app.get<{ Params: Params }>('/admin/outbox/:id', async (request, reply) => {
    const principal = requirePermission(request, 'outbox:view');
    const message = await outbox.getMessage(deps.db, principal, request.params.id);
    return reply.view('outbox/views/message.njk', { pageTitle: `Email: ${message.subject}`, message });
  });
}
