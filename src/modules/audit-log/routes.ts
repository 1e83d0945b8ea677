import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { filterQuery, parseFilters, readFilterValues } from './filters.ts';
import * as auditLog from './service.ts';

const TEMPLATE = 'audit-log/views/index.njk';

export async function auditLogRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/admin/audit', async (request, reply) => {
    const principal = requirePermission(request, 'audit:view');
    const options = await auditLog.filterOptions(deps.db, principal);
    const values = readFilterValues(request.query);
    const before = (request.query as Record<string, unknown>).before;
    const { errors, search } = parseFilters(values, { actions: options.actions, actorIds: options.actors.map((a) => a.id) }, before);
    const context = {
      pageTitle: 'Audit log',
      values,
      actionItems: [{ value: '', text: 'All actions' }, ...options.actions.map((action) => ({ value: action, text: action }))],
      actorItems: [{ value: '', text: 'Anyone' }, ...options.actors.map((actor) => ({ value: actor.id, text: actor.name }))],
      filtered: filterQuery(values) !== '',
    };
    if (errors.length > 0) return reply.code(400).view(TEMPLATE, { ...context, errors });

    const page = await auditLog.search(deps.db, principal, search);
    return reply.view(TEMPLATE, {
      ...context,
      events: page.events,
      olderHref: page.olderThan ? `/admin/audit${filterQuery(values, { before: String(page.olderThan) })}` : undefined,
      newestHref: search.beforeId ? `/admin/audit${filterQuery(values)}` : undefined,
    });
  });
}
