import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { ErasureRefused, erasePerson, erasureCheck, REASON_MAX } from './erasure.ts';
import * as retention from './service.ts';

type PersonParams = { personId: string };

function scheduleValues(rules: retention.ScheduleRule[]): Record<string, string> {
  return Object.fromEntries(rules.flatMap((rule) => [[`years-${rule.type}`, String(rule.years)], [`version-${rule.type}`, String(rule.version)]]));
}

export async function retentionRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/admin/retention', async (request, reply) => {
    const principal = requirePermission(request, 'settings:manage');
    const rules = await retention.getSchedule(db, principal);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('retention/views/schedule.njk', {
      pageTitle: 'Retention schedule',
      rules,
      values: scheduleValues(rules),
      flash: done === 'saved' ? 'Retention schedule saved' : undefined,
    });
  });

  app.post('/admin/retention', async (request, reply) => {
    const principal = requirePermission(request, 'settings:manage');
    const values: Record<string, string> = {};
    for (const kind of retention.RECORD_TYPES) {
      values[`years-${kind.type}`] = formString(request.body, `years-${kind.type}`).slice(0, 20);
      values[`version-${kind.type}`] = formString(request.body, `version-${kind.type}`).slice(0, 20);
    }
    try {
      await retention.updateSchedule(db, principal, values);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const rules = await retention.getSchedule(db, principal);
      return reply.code(400).view('retention/views/schedule.njk', { pageTitle: 'Retention schedule', rules, values, errors: error.errors });
    }
    return reply.redirect('/admin/retention?done=saved');
  });

  app.get('/admin/retention/due', async (request, reply) => {
    const principal = requirePermission(request, 'settings:manage');
    const report = await retention.getDue(db, principal);
    const labels = Object.fromEntries(retention.RECORD_TYPES.map((kind) => [kind.type, kind.label]));
    return reply.view('retention/views/due.njk', { pageTitle: 'Due under the retention schedule', report, labels });
  });

  app.get<{ Params: PersonParams }>('/people/:personId/erase', async (request, reply) => {
    const principal = requirePermission(request, 'people:erase');
    const { person, refusal } = await erasureCheck(db, principal, request.params.personId);
    const name = `${person.givenName} ${person.familyName}`;
    if (refusal) {
      return reply.code(409).view('retention/views/erase-refused.njk', { pageTitle: `${name}’s record cannot be erased`, person, name, refusal });
    }
    return reply.view('retention/views/erase.njk', { pageTitle: `Erase ${name}’s record`, person, name, values: { reason: '' }, reasonMax: REASON_MAX });
  });

  app.post<{ Params: PersonParams }>('/people/:personId/erase', async (request, reply) => {
    const principal = requirePermission(request, 'people:erase');
    const reason = formString(request.body, 'reason');
    try {
      await erasePerson(db, principal, request.params.personId, reason);
    } catch (error) {
      if (error instanceof ErasureRefused || error instanceof ValidationFailed) {
        const { person } = await erasureCheck(db, principal, request.params.personId);
        const name = `${person.givenName} ${person.familyName}`;
        if (error instanceof ErasureRefused) {
          return reply.code(409).view('retention/views/erase-refused.njk', { pageTitle: `${name}’s record cannot be erased`, person, name, refusal: error.detail });
        }
        return reply.code(400).view('retention/views/erase.njk', {
          pageTitle: `Erase ${name}’s record`,
          person,
          name,
          values: { reason: reason.slice(0, REASON_MAX * 2) },
          reasonMax: REASON_MAX,
          errors: error.errors,
        });
      }
      throw error;
    }
    return reply.view('retention/views/erased.njk', { pageTitle: 'Record erased' });
  });
}
