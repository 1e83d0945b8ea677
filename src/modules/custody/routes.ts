import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import { readDateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { custodyApiRoutes } from './api.ts';
import { dateParts } from './dates.ts';
import { parseVersion } from './episode-access.ts';
import { back, conflictPage, doneMessage, episodePage } from './page.ts';
import { releaseRoutes } from './release-routes.ts';
import * as custody from './service.ts';

type Params = { id: string };

export async function custodyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: Params }>('/episodes/:id/custody', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const view = await custody.getCustody(db, principal, request.params.id);
    return episodePage(deps, reply, principal, view.episodeId, 'custody.njk', {
      pageTitle: 'Custody and release',
      section: 'custody',
      custody: view,
      addressStatusLabel: custody.ADDRESS_STATUS_LABELS[view.releaseAddressStatus],
      flash: doneMessage(request.query),
    });
  });

  // ------------------------------------------------------------ custody details

  async function detailsPage(reply: FastifyReply, principal: Principal, id: string, values: Record<string, unknown>, errors?: unknown) {
    const reference = await custody.custodyChoices(db, principal);
    return episodePage(deps, reply, principal, id, 'details.njk', {
      pageTitle: 'Custody details',
      section: 'custody',
      values,
      errors,
      statuses: reference.options('custody_status', values.statusCode as string),
      addressStatuses: custody.ADDRESS_STATUSES.map((status) => ({
        value: status,
        text: custody.ADDRESS_STATUS_LABELS[status],
        checked: status === values.releaseAddressStatus,
      })),
    });
  }

  app.get<{ Params: Params }>('/episodes/:id/custody/details', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const view = await custody.getCustody(db, principal, request.params.id);
    return detailsPage(reply, principal, view.episodeId, {
      statusCode: view.status?.code ?? '',
      sentenceYears: '',
      sentenceMonths: '',
      sentenceDays: view.sentenceDays === null ? '' : String(view.sentenceDays),
      expectedReleaseArea: view.expectedReleaseArea ?? '',
      releaseAddressStatus: view.releaseAddressStatus,
      releaseAddress: view.releaseAddress ?? '',
      localAuthority: view.localAuthority ?? '',
      episodeVersion: String(view.episodeVersion),
      spellVersion: view.spellVersion === null ? '' : String(view.spellVersion),
    });
  });

  app.post<{ Params: Params }>('/episodes/:id/custody/details', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const body = request.body;
    const values = {
      statusCode: formString(body, 'statusCode'),
      sentenceYears: formString(body, 'sentenceYears'),
      sentenceMonths: formString(body, 'sentenceMonths'),
      sentenceDays: formString(body, 'sentenceDays'),
      expectedReleaseArea: formString(body, 'expectedReleaseArea'),
      releaseAddressStatus: formString(body, 'releaseAddressStatus'),
      releaseAddress: formString(body, 'releaseAddress'),
      localAuthority: formString(body, 'localAuthority'),
      episodeVersion: formString(body, 'episodeVersion'),
      spellVersion: formString(body, 'spellVersion'),
    };
    try {
      await custody.updateCustodyDetails(db, principal, request.params.id, {
        ...values,
        episodeVersion: parseVersion(values.episodeVersion),
        spellVersion: parseVersion(values.spellVersion),
      });
      return reply.redirect(`/episodes/${request.params.id}/custody?done=details`);
    } catch (error) {
      if (error instanceof ValidationFailed) return detailsPage(reply.code(400), principal, request.params.id, values, error.errors);
      if (error instanceof Conflict) return conflictPage(deps, reply, principal, request.params.id, error, back(request.params.id, 'custody/details'));
      throw error;
    }
  });

  // ------------------------------------------------------------ prison moves

  async function prisonPage(reply: FastifyReply, principal: Principal, id: string, values: Record<string, unknown>, errors?: unknown) {
    const reference = await custody.custodyChoices(db, principal);
    return episodePage(deps, reply, principal, id, 'prison.njk', {
      pageTitle: 'Record a prison or transfer',
      section: 'custody',
      values,
      errors,
      prisons: [{ value: '', text: 'Select a prison' }, ...reference.options('prison', values.prisonCode as string, 'selected')],
    });
  }

  app.get<{ Params: Params }>('/episodes/:id/custody/prison', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const view = await custody.getCustody(db, principal, request.params.id);
    const current = view.stays.find((stay) => stay.id === view.currentStayId);
    return prisonPage(reply, principal, view.episodeId, {
      prisonCode: '',
      arrivedOn: dateParts(null),
      currentStayId: view.currentStayId ?? '',
      currentPrison: current?.prisonLabel ?? '',
    });
  });

  app.post<{ Params: Params }>('/episodes/:id/custody/prison', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = {
      prisonCode: formString(request.body, 'prisonCode'),
      arrivedOn: readDateParts(request.body, 'arrivedOn'),
      currentStayId: formString(request.body, 'currentStayId'),
      currentPrison: formString(request.body, 'currentPrison'),
    };
    try {
      await custody.recordPrisonMove(db, principal, request.params.id, { ...values, currentStayId: values.currentStayId || null });
      return reply.redirect(`/episodes/${request.params.id}/custody?done=prison`);
    } catch (error) {
      if (error instanceof ValidationFailed) return prisonPage(reply.code(400), principal, request.params.id, values, error.errors);
      if (error instanceof Conflict) return conflictPage(deps, reply, principal, request.params.id, error, back(request.params.id, 'custody/prison'));
      throw error;
    }
  });

  await releaseRoutes(app, deps);
  await custodyApiRoutes(app, deps);
}
