import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { can } from '../../platform/auth/permissions.ts';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePrincipal } from '../../platform/http/guards.ts';
import { ApiTeam, ApiTeamList, NewTeamBody, TeamIdParams, toApiTeam } from './schemas.ts';
import * as organisations from './service.ts';

type Params = { id: string };
const problems = { 400: Problem, 401: Problem, 403: Problem, 429: Problem };

/** Teams: the admin pages and /api/v1/teams, over the organisations service. */
export async function teamRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  async function teamsPage(reply: FastifyReply, principal: Principal, context: Record<string, unknown> = {}) {
    const teams = await organisations.teamsFor(db, principal);
    return reply.view('organisations/views/teams.njk', {
      pageTitle: 'Teams',
      teams,
      canAdd: can(principal.role, 'teams:manage'),
      ...context,
    });
  }

  app.get('/admin/teams', async (request, reply) => {
    const principal = requirePrincipal(request);
    const added = (request.query as Record<string, unknown>).added;
    const teams = await organisations.teamsFor(db, principal);
    const addedTeam = teams.find((team) => team.id === added);
    return teamsPage(reply, principal, { flash: addedTeam ? `Team “${addedTeam.name}” added` : undefined });
  });

  app.post('/admin/teams', async (request, reply) => {
    const principal = requirePrincipal(request);
    const name = formString(request.body, 'name');
    try {
      const team = await organisations.addTeam(db, principal, name);
      return reply.redirect(`/admin/teams?added=${team.id}`);
    } catch (error) {
      if (error instanceof ValidationFailed) return teamsPage(reply.code(400), principal, { name, errors: error.errors });
      throw error;
    }
  });

  app.get<{ Params: Params }>('/admin/teams/:id', async (request, reply) => {
    const principal = requirePrincipal(request);
    const team = await organisations.teamFor(db, principal, request.params.id);
    return reply.view('organisations/views/team.njk', {
      pageTitle: team.name,
      team,
      canSeeUsers: can(principal.role, 'users:view'),
    });
  });

  app.get(
    '/api/v1/teams',
    {
      schema: {
        tags: ['teams'],
        summary: 'The organisation’s teams, by name, with member counts',
        response: { 200: ApiTeamList, ...problems },
      },
    },
    async (request) => ({ items: (await organisations.teamsFor(db, requirePrincipal(request))).map(toApiTeam) }),
  );

  app.post(
    '/api/v1/teams',
    {
      schema: {
        tags: ['teams'],
        summary: 'Add a team',
        body: NewTeamBody,
        response: { 201: ApiTeam, ...problems, 413: Problem },
      },
    },
    async (request, reply) => {
      const team = await organisations.addTeam(db, requirePrincipal(request), request.body.name);
      return reply.code(201).header('location', `/api/v1/teams/${team.id}`).send(toApiTeam(team));
    },
  );

  app.get(
    '/api/v1/teams/:id',
    {
      schema: {
        tags: ['teams'],
        summary: 'One team of the organisation',
        params: TeamIdParams,
        response: { 200: ApiTeam, ...problems, 404: Problem },
      },
    },
    async (request) => toApiTeam(await organisations.teamFor(db, requirePrincipal(request), request.params.id)),
  );
}
