import type { FastifyInstance, FastifyReply } from 'fastify';
import { can } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { consentApiRoutes } from './api.ts';
import {
  blankConsentForm,
  blankWithdrawForm,
  type ConsentFormValues,
  consentInputFrom,
  readConsentForm,
  readWithdrawForm,
  type WithdrawFormValues,
  withdrawInputFrom,
} from './consent-form.ts';
import * as consents from './service.ts';

type PersonParams = { personId: string };
type ConsentParams = { personId: string; consentId: string };

const DONE_MESSAGES: Record<string, string> = { recorded: 'Consent recorded', withdrawn: 'Consent withdrawn' };

export async function consentRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const home = (personId: string, done?: string) => `/people/${personId}/consents${done ? `?done=${done}` : ''}`;

  app.get<{ Params: PersonParams }>('/people/:personId/consents', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const page = await consents.viewConsents(db, principal, request.params.personId);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('consents/views/consents.njk', {
      pageTitle: `Consents: ${page.person.givenName} ${page.person.familyName}`,
      ...page,
      canEdit: consents.canEdit(principal),
      canSubjectAccess: can(principal.role, 'people:subject-access'),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  async function newPage(reply: FastifyReply, principal: Principal, personId: string, values: ConsentFormValues, errors?: unknown[]) {
    const { person, kindOptions } = await consents.consentForm(db, principal, personId, values.kind);
    return reply.view('consents/views/new.njk', { pageTitle: 'Record consent', person, kindOptions, values, errors });
  }

  app.get<{ Params: PersonParams }>('/people/:personId/consents/new', async (request, reply) =>
    newPage(reply, requirePermission(request, 'people:edit'), request.params.personId, blankConsentForm()),
  );

  app.post<{ Params: PersonParams }>('/people/:personId/consents/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readConsentForm(request.body);
    try {
      await consents.recordConsent(db, principal, request.params.personId, consentInputFrom(values));
      return reply.redirect(home(request.params.personId, 'recorded'));
    } catch (error) {
      if (error instanceof ValidationFailed) return newPage(reply.code(400), principal, request.params.personId, values, error.errors);
      throw error;
    }
  });

  async function withdrawPage(reply: FastifyReply, principal: Principal, params: ConsentParams, values?: WithdrawFormValues, errors?: unknown[]) {
    const { person, consent } = await consents.consentFor(db, principal, params.personId, params.consentId);
    return reply.view('consents/views/withdraw.njk', {
      pageTitle: `Withdraw consent: ${consent.kindLabel}`,
      person,
      consent,
      values: values ?? blankWithdrawForm(consent.version),
      errors,
    });
  }

  // Asks first: the page says what withdrawing means and takes the date and a note.
  app.get<{ Params: ConsentParams }>('/people/:personId/consents/:consentId/withdraw', async (request, reply) =>
    withdrawPage(reply, requirePermission(request, 'people:edit'), request.params),
  );

  app.post<{ Params: ConsentParams }>('/people/:personId/consents/:consentId/withdraw', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readWithdrawForm(request.body);
    try {
      await consents.withdrawConsent(db, principal, request.params.personId, request.params.consentId, withdrawInputFrom(values));
      return reply.redirect(home(request.params.personId, 'withdrawn'));
    } catch (error) {
      if (error instanceof ValidationFailed) return withdrawPage(reply.code(400), principal, request.params, values, error.errors);
      if (error instanceof Conflict) {
        const { person } = await consents.consentFor(db, principal, request.params.personId, request.params.consentId);
        return reply.code(409).view('consents/views/conflict.njk', { pageTitle: 'This consent was changed by someone else', person });
      }
      throw error;
    }
  });

  await consentApiRoutes(app, deps);
}
