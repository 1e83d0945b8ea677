import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import { readDateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { dateParts } from './dates.ts';
import { parseVersion } from './episode-access.ts';
import { back, conflictPage, doneMessage, episodePage } from './page.ts';
import * as custody from './service.ts';
import { taskRoutes } from './task-routes.ts';

type Params = { id: string };

/** Release dates, the release itself, and the release-day plan and checklist. */
export async function releaseRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // ------------------------------------------------------------ release dates

  async function datesPage(reply: FastifyReply, principal: Principal, id: string, values: Record<string, unknown>, errors?: unknown) {
    const reference = await custody.custodyChoices(db, principal);
    return episodePage(deps, reply, principal, id, 'release-dates.njk', {
      pageTitle: 'Release dates',
      section: 'custody',
      values,
      errors,
      kinds: custody.RELEASE_DATE_KINDS.map((kind) => ({ kind, label: reference.label('release_date_kind', kind) })),
    });
  }

  app.get<{ Params: Params }>('/episodes/:id/release-dates', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const view = await custody.getCustody(db, principal, request.params.id);
    const values: Record<string, unknown> = { token: view.datesToken };
    for (const date of view.releaseDates) values[date.kind] = dateParts(date.onDate);
    return datesPage(reply, principal, view.episodeId, values);
  });

  app.post<{ Params: Params }>('/episodes/:id/release-dates', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values: Record<string, unknown> = { token: formString(request.body, 'token') };
    const input: Record<string, ReturnType<typeof readDateParts>> = {};
    for (const kind of custody.RELEASE_DATE_KINDS) {
      input[kind] = readDateParts(request.body, kind);
      values[kind] = input[kind];
    }
    try {
      await custody.saveReleaseDates(db, principal, request.params.id, input, formString(request.body, 'token'));
      return reply.redirect(`/episodes/${request.params.id}/custody?done=dates`);
    } catch (error) {
      if (error instanceof ValidationFailed) return datesPage(reply.code(400), principal, request.params.id, values, error.errors);
      if (error instanceof Conflict) return conflictPage(deps, reply, principal, request.params.id, error, back(request.params.id, 'release-dates'));
      throw error;
    }
  });

  // ------------------------------------------------------------ the release

  async function releasePage(reply: FastifyReply, principal: Principal, id: string, values: Record<string, unknown>, errors?: unknown) {
    const reference = await custody.custodyChoices(db, principal);
    return episodePage(deps, reply, principal, id, 'release.njk', {
      pageTitle: values.version ? 'Change the release' : 'Record the release',
      section: 'release',
      values,
      errors,
      releaseTypes: reference.options('release_type', values.typeCode as string),
    });
  }

  app.get<{ Params: Params }>('/episodes/:id/release', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const view = await custody.getCustody(db, principal, request.params.id);
    const release = view.release;
    return releasePage(reply, principal, view.episodeId, {
      releasedOn: dateParts(release?.releasedOn),
      typeCode: release?.typeCode ?? '',
      withoutNotice: release?.withoutNotice ?? false,
      note: release?.note ?? '',
      version: release ? String(release.version) : '',
    });
  });

  app.post<{ Params: Params }>('/episodes/:id/release', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const body = request.body;
    const values = {
      releasedOn: readDateParts(body, 'releasedOn'),
      typeCode: formString(body, 'typeCode'),
      withoutNotice: formString(body, 'withoutNotice') === 'yes',
      note: formString(body, 'note'),
      version: formString(body, 'version'),
    };
    try {
      await custody.recordRelease(db, principal, request.params.id, { ...values, version: parseVersion(values.version) });
      return reply.redirect(`/episodes/${request.params.id}/custody?done=release`);
    } catch (error) {
      if (error instanceof ValidationFailed) return releasePage(reply.code(400), principal, request.params.id, values, error.errors);
      if (error instanceof Conflict) return conflictPage(deps, reply, principal, request.params.id, error, back(request.params.id, 'release'));
      throw error;
    }
  });

  // ------------------------------------------------------------ release plan and checklist

  async function planPage(reply: FastifyReply, principal: Principal, id: string, form?: Record<string, unknown>, errors?: unknown) {
    const view = await custody.getReleasePlan(db, principal, id);
    const values = form ?? {
      meetAtGate: view.plan.meetAtGate === null ? '' : view.plan.meetAtGate ? 'yes' : 'no',
      gateWorkerId: view.plan.gateWorkerId ?? '',
      meetingPoint: view.plan.meetingPoint ?? '',
      meetingTime: view.plan.meetingTime ?? '',
      note: view.plan.note ?? '',
      version: view.plan.version === null ? '' : String(view.plan.version),
      items: Object.fromEntries(view.checklist.map((item) => [item.code, { state: item.state, note: item.note ?? '' }])),
    };
    return episodePage(deps, reply, principal, id, 'release-plan.njk', {
      pageTitle: 'Release plan and checklist',
      section: 'plan',
      view,
      values,
      errors,
      states: custody.CHECKLIST_STATES.map((state) => ({ value: state, text: custody.CHECKLIST_STATE_LABELS[state] })),
      workers: [{ value: '', text: 'Select a worker' }, ...view.workers.map((w) => ({ value: w.id, text: w.name, selected: w.id === values.gateWorkerId }))],
      flash: doneMessage(reply.request.query),
    });
  }

  app.get<{ Params: Params }>('/episodes/:id/release-plan', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    return planPage(reply, principal, request.params.id);
  });

  app.post<{ Params: Params }>('/episodes/:id/release-plan', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const body = request.body;
    const items: Record<string, { state: string; note: string }> = {};
    for (const key of Object.keys((body ?? {}) as object)) {
      const match = /^item-([a-z0-9_]{1,60})$/.exec(key);
      if (match) items[match[1]] = { state: formString(body, key), note: formString(body, `note-${match[1]}`) };
    }
    const values = {
      meetAtGate: formString(body, 'meetAtGate'),
      gateWorkerId: formString(body, 'gateWorkerId'),
      meetingPoint: formString(body, 'meetingPoint'),
      meetingTime: formString(body, 'meetingTime'),
      note: formString(body, 'note'),
      version: formString(body, 'version'),
      items,
    };
    try {
      await custody.saveReleasePlan(db, principal, request.params.id, { ...values, version: parseVersion(values.version) });
      return reply.redirect(`/episodes/${request.params.id}/release-plan?done=plan`);
    } catch (error) {
      if (error instanceof ValidationFailed) return planPage(reply.code(400), principal, request.params.id, values, error.errors);
      if (error instanceof Conflict) return conflictPage(deps, reply, principal, request.params.id, error, back(request.params.id, 'release-plan'));
      throw error;
    }
  });

  await taskRoutes(app, deps);
}
