import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { PERIOD_MEASURE_LABELS, PERIOD_MEASURES } from '../outcomes/figures/period-activity.ts';
import * as targets from './service.ts';
import { readTargetForm, type TargetFormValues } from './target-form.ts';

type TargetParams = { targetId: string };

const DONE_MESSAGES: Record<string, string> = {
  created: 'Target added',
  deleted: 'Target deleted',
};

export async function targetRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/targets', async (request, reply) => {
    const principal = requirePermission(request, 'targets:manage');
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('targets/views/list.njk', {
      pageTitle: 'Targets',
      commissions: await targets.listTargets(db, principal),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  async function formPage(reply: FastifyReply, principal: Principal, values: TargetFormValues, errors?: FieldError[]) {
    const commissions = await targets.commissionChoices(db, principal);
    return reply.view('targets/views/form.njk', {
      pageTitle: 'Add a target',
      values,
      errors,
      hasCommissions: commissions.length > 0,
      commissions: [
        { value: '', text: 'Select a commission', selected: values.commissionId === '' },
        ...commissions.map((commission) => ({ value: commission.id, text: commission.name, selected: values.commissionId === commission.id })),
      ],
      measures: [
        { value: '', text: 'Select a measure', selected: values.measure === '' },
        ...PERIOD_MEASURES.map((measure) => ({ value: measure, text: PERIOD_MEASURE_LABELS[measure], selected: values.measure === measure })),
      ],
    });
  }

  app.get('/targets/new', async (request, reply) => {
    const principal = requirePermission(request, 'targets:manage');
    const commissionId = (request.query as Record<string, unknown>).commissionId;
    return formPage(reply, principal, readTargetForm({ commissionId: typeof commissionId === 'string' ? commissionId : '' }));
  });

  app.post('/targets', async (request, reply) => {
    const principal = requirePermission(request, 'targets:manage');
    const values = readTargetForm(request.body);
    try {
      await targets.createTarget(db, principal, values);
      return reply.redirect('/targets?done=created');
    } catch (error) {
      if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, values, error.errors);
      throw error;
    }
  });

  app.get<{ Params: TargetParams }>('/targets/:targetId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'targets:manage');
    const target = await targets.getTarget(db, principal, request.params.targetId);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Delete this target',
      question: `Delete the target “${target.measureLabel}” for ${target.periodText}?`,
      explanation: `${target.commissionName}: a target of ${target.target}. The report will no longer show it. This cannot be undone.`,
      warning: true,
      action: `/targets/${target.id}/delete`,
      confirmText: 'Delete target',
      cancelHref: '/targets',
    });
  });

  app.post<{ Params: TargetParams }>('/targets/:targetId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'targets:manage');
    await targets.deleteTarget(db, principal, request.params.targetId);
    return reply.redirect('/targets?done=deleted');
  });
}
