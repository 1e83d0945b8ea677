import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { londonToday } from '../../platform/london-time.ts';
import * as caseload from './service.ts';

const PAGE_SIZE = 25;
const MY = '/caseload';
const TEAM = '/caseload/team';

/** A caseload address: every filter, the sort and the page, leaving out defaults so links stay short. */
export function caseloadHref(base: string, filters: caseload.CaseloadFilters, page = 1): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value && !(name === 'sort' && value === 'name') && !(name === 'worker' && base !== TEAM)) params.set(name, value);
  }
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** Column headings that sort: each link keeps the filters and goes back to page 1. */
function sortLinks(base: string, filters: caseload.CaseloadFilters) {
  return Object.fromEntries(caseload.SORTS.map((sort) => [sort, { href: caseloadHref(base, { ...filters, sort }), current: filters.sort === sort }]));
}

function listContext(base: string, filters: caseload.CaseloadFilters, page: number, total: number, shown: number) {
  const pages = pageCount(total, PAGE_SIZE);
  return {
    filters,
    filtered: Boolean(filters.search || filters.stage || filters.window || filters.overdue || filters.worker),
    total,
    firstShown: (page - 1) * PAGE_SIZE + 1,
    lastShown: (page - 1) * PAGE_SIZE + shown,
    pagination: pagination(page, pages, (n) => caseloadHref(base, filters, n)),
    sortLinks: sortLinks(base, filters),
    clearHref: caseloadHref(base, { ...filters, search: '', stage: '', window: '', overdue: '', worker: '' }),
    stages: caseload.stageChoices(),
    windows: caseload.RELEASE_WINDOWS,
    maximum: caseload.IPS_CASELOAD_MAXIMUM,
    action: base,
  };
}

export async function caseloadRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get(MY, async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const filters = caseload.normaliseFilters(query);
    const page = pageNumber(query.page);
    const result = await caseload.myCaseload(db, principal, filters, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, today: londonToday() });
    if (result.entries.length === 0 && page > 1) return reply.redirect(caseloadHref(MY, filters));
    return reply.view('caseload/views/caseload.njk', {
      pageTitle: 'My caseload',
      team: false,
      entries: result.entries,
      activeCount: result.activeCount,
      overMaximum: result.activeCount > caseload.IPS_CASELOAD_MAXIMUM,
      ...listContext(MY, filters, page, result.total, result.entries.length),
    });
  });

  app.get(TEAM, async (request, reply) => {
    const principal = requirePermission(request, 'caseload:view-team');
    const query = request.query as Record<string, unknown>;
    const filters = caseload.normaliseFilters(query);
    const page = pageNumber(query.page);
    const result = await caseload.teamCaseload(db, principal, filters, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, today: londonToday() });
    if (result.entries.length === 0 && page > 1) return reply.redirect(caseloadHref(TEAM, filters));
    return reply.view('caseload/views/caseload.njk', {
      pageTitle: 'Team caseload',
      team: true,
      noTeam: result.teamId === null,
      entries: result.entries,
      workers: result.workers.map((worker) => ({ ...worker, href: caseloadHref(TEAM, { ...filters, worker: worker.id }) })),
      workerChoices: [
        { value: '', text: 'Everyone' },
        { value: 'none', text: 'Not allocated' },
        ...result.workers.map((worker) => ({ value: worker.id, text: worker.name })),
      ].map((choice) => ({ ...choice, selected: choice.value === filters.worker })),
      ...listContext(TEAM, filters, page, result.total, result.entries.length),
    });
  });
}
