import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import { readDateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import * as organisations from '../organisations/service.ts';
import * as instance from './service.ts';

function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** The system administrator's pages: organisations on the instance, and the commissions that link them. */
export async function instanceAdminRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/admin/organisations', async (request, reply) => {
    const principal = requirePermission(request, 'organisations:manage');
    const list = await organisations.listOrganisations(db, principal);
    const added = list.find((organisation) => organisation.id === (request.query as Record<string, unknown>).added);
    return reply.view('instance-admin/views/organisations.njk', {
      pageTitle: 'Organisations',
      organisations: list,
      flash: added ? `${added.name} added. Its administrator has been invited by email.` : undefined,
    });
  });

  const newOrganisationPage = (reply: FastifyReply, context: Record<string, unknown> = {}) =>
    reply.view('instance-admin/views/new-organisation.njk', { pageTitle: 'Add an organisation', ...context });

  app.get('/admin/organisations/new', async (request, reply) => {
    requirePermission(request, 'organisations:manage');
    return newOrganisationPage(reply);
  });

  app.post('/admin/organisations/new', async (request, reply) => {
    const principal = requirePermission(request, 'organisations:manage');
    const input = {
      name: formString(request.body, 'name'),
      kind: formString(request.body, 'kind'),
      adminName: formString(request.body, 'adminName'),
      adminEmail: formString(request.body, 'adminEmail'),
    };
    try {
      const organisation = await instance.createOrganisationWithAdministrator(deps, principal, input);
      return reply.redirect(`/admin/organisations?added=${organisation.id}`);
    } catch (error) {
      if (error instanceof ValidationFailed) return newOrganisationPage(reply.code(400), { values: input, errors: error.errors });
      throw error;
    }
  });

  app.get('/admin/commissions', async (request, reply) => {
    const principal = requirePermission(request, 'commissions:manage');
    const added = (request.query as Record<string, unknown>).added;
    const commissions = await organisations.listCommissions(db, principal);
    const addedCommission = commissions.find((commission) => commission.id === added);
    return reply.view('instance-admin/views/commissions.njk', {
      pageTitle: 'Commissions',
      commissions,
      flash: addedCommission ? `${addedCommission.name} added` : undefined,
    });
  });

  async function newCommissionPage(reply: FastifyReply, principal: Principal, context: Record<string, unknown> = {}) {
    const choices = await organisations.commissionChoices(db, principal);
    return reply.view('instance-admin/views/new-commission.njk', { pageTitle: 'Add a commission', ...choices, ...context });
  }

  app.get('/admin/commissions/new', async (request, reply) => {
    const principal = requirePermission(request, 'commissions:manage');
    return newCommissionPage(reply, principal, { values: { providerIds: [] } });
  });

  app.post('/admin/commissions/new', async (request, reply) => {
    const principal = requirePermission(request, 'commissions:manage');
    const input = {
      name: formString(request.body, 'name'),
      commissionerId: formString(request.body, 'commissionerId'),
      start: readDateParts(request.body, 'start'),
      end: readDateParts(request.body, 'end'),
      providerIds: formList(request.body, 'providerIds'),
    };
    try {
      const commission = await organisations.addCommission(db, principal, input);
      return reply.redirect(`/admin/commissions?added=${commission.id}`);
    } catch (error) {
      if (error instanceof ValidationFailed) return newCommissionPage(reply.code(400), principal, { values: input, errors: error.errors });
      throw error;
    }
  });
}
