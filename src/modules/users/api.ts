import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePrincipal } from '../../platform/http/guards.ts';
import { ApiUser, ApiUserList, IdParams, toApiUser, UserListQuery } from './schemas.ts';
import * as users from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 429: Problem };

/** GET /api/v1/users and /api/v1/users/:id: the same service as the pages, as JSON. */
export async function userApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'The organisation’s users, by name, optionally searched and filtered by role',
        querystring: UserListQuery,
        response: { 200: ApiUserList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const limit = request.query.limit ?? 25;
      const offset = request.query.offset ?? 0;
      const filters = users.normaliseFilters({ search: request.query.search, role: request.query.role });
      const result = await users.listUsers(db, principal, filters, { limit, offset });
      return { items: result.users.map(toApiUser), total: result.total, limit, offset };
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'One user of the organisation',
        params: IdParams,
        response: { 200: ApiUser, ...errors, 404: Problem },
      },
    },
    async (request) => toApiUser(await users.getUser(db, requirePrincipal(request), request.params.id)),
  );
}
