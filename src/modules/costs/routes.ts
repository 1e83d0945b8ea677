import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { blankCostForm, COST_HEAD_LABELS, type CostFormValues, costFormFrom, readCostForm } from './cost-form.ts';
import { COST_HEADS, rangeText } from './figures.ts';
import * as costs from './service.ts';

const PAGE_SIZE = 25;
type PeriodParams = { costPeriodId: string };

const DONE_MESSAGES: Record<string, string> = {
  created: 'Cost period added',
  updated: 'Cost period updated',
  deleted: 'Cost period deleted',
};

/** The list's address: the team filter and the page are kept in every link. */
export function costsHref(team: string, page = 1): string {
  const params = new URLSearchParams();
  if (team) params.set('team', team);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/costs${query ? `?${query}` : ''}`;
}

export async function costRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/costs', async (request, reply) => {
    const principal = requirePermission(request, 'costs:manage');
    const query = request.query as Record<string, unknown>;
    const page = pageNumber(query.page);
    const result = await costs.listCostPeriods(db, principal, query.team, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = pageCount(result.total, PAGE_SIZE);
    if (page > pages) return reply.redirect(costsHref(result.team, pages));
    const done = query.done;
    return reply.view('costs/views/list.njk', {
      pageTitle: `Costs and staffing${pages > 1 ? ` (page ${page} of ${pages})` : ''}`,
      periods: result.periods,
      total: result.total,
      filtered: result.team !== '',
      teamItems: [
        { value: '', text: 'All periods', selected: result.team === '' },
        { value: 'whole', text: 'Whole organisation', selected: result.team === 'whole' },
        ...result.teams.map((team) => ({ value: team.id, text: team.name, selected: result.team === team.id })),
      ],
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + result.periods.length,
      pagination: pagination(page, pages, (n) => costsHref(result.team, n)),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  async function formPage(
    reply: FastifyReply,
    principal: Principal,
    context: { values: CostFormValues; errors?: FieldError[]; periodId?: string; overlaps?: Array<{ id: string; startsOn: string; endsOn: string }> },
  ) {
    const teams = await costs.teamChoices(db, principal);
    const { values, periodId } = context;
    return reply.view('costs/views/form.njk', {
      pageTitle: periodId ? 'Change a cost period' : 'Add a cost period',
      action: periodId ? `/costs/${periodId}` : '/costs',
      values,
      errors: context.errors,
      overlaps: context.overlaps,
      teams: [{ value: '', text: 'Whole organisation', selected: values.teamId === '' }, ...teams.map((team) => ({ value: team.id, text: team.name, selected: values.teamId === team.id }))],
      heads: COST_HEADS.map((head) => ({ name: head, label: COST_HEAD_LABELS[head], value: values[head] })),
    });
  }

  app.get('/costs/new', async (request, reply) => formPage(reply, requirePermission(request, 'costs:manage'), { values: blankCostForm() }));

  app.post('/costs', async (request, reply) => {
    const principal = requirePermission(request, 'costs:manage');
    const values = readCostForm(request.body);
    try {
      const result = await costs.createCostPeriod(db, principal, values);
      if (result.outcome === 'overlaps') return formPage(reply, principal, { values, overlaps: result.overlaps });
      return reply.redirect(`/costs?done=created`);
    } catch (error) {
      if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, { values, errors: error.errors });
      throw error;
    }
  });

  app.get<{ Params: PeriodParams }>('/costs/:costPeriodId', async (request, reply) => {
    const principal = requirePermission(request, 'costs:manage');
    const { row } = await costs.getCostPeriod(db, principal, request.params.costPeriodId);
    return formPage(reply, principal, { values: costFormFrom(row), periodId: row.id });
  });

  app.post<{ Params: PeriodParams }>('/costs/:costPeriodId', async (request, reply) => {
    const principal = requirePermission(request, 'costs:manage');
    const { row } = await costs.getCostPeriod(db, principal, request.params.costPeriodId);
    const values = readCostForm(request.body);
    try {
      const result = await costs.updateCostPeriod(db, principal, row.id, values);
      if (result.outcome === 'conflict') {
        return reply.code(409).view('costs/views/conflict.njk', { pageTitle: 'This cost period was changed by someone else', current: result.current });
      }
      if (result.outcome === 'overlaps') return formPage(reply, principal, { values, overlaps: result.overlaps, periodId: row.id });
      return reply.redirect('/costs?done=updated');
    } catch (error) {
      if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, { values, errors: error.errors, periodId: row.id });
      throw error;
    }
  });

  app.get<{ Params: PeriodParams }>('/costs/:costPeriodId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'costs:manage');
    const { view } = await costs.getCostPeriod(db, principal, request.params.costPeriodId);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Delete this cost period',
      question: `Delete the costs for ${rangeText({ from: view.startsOn, to: view.endsOn })}?`,
      explanation: `${view.teamName}: ${view.staffFte} staff FTE, total cost ${view.totalCostText}. The outcomes report will no longer count these costs. This cannot be undone.`,
      warning: true,
      action: `/costs/${view.id}/delete`,
      confirmText: 'Delete cost period',
      cancelHref: '/costs',
    });
  });

  app.post<{ Params: PeriodParams }>('/costs/:costPeriodId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'costs:manage');
    await costs.deleteCostPeriod(db, principal, request.params.costPeriodId);
    return reply.redirect('/costs?done=deleted');
  });
}
