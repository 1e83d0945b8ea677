import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { ApiPerson, ApiPersonList, IdParams, NewPersonBody, PersonListQuery } from './schemas.ts';
import * as people from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 429: Problem };

/** /api/v1/people: the same services as the pages, as JSON. */
export async function peopleApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/people',
    {
      schema: {
        tags: ['people'],
        summary: 'The organisation’s people, optionally searched by name (tolerant of spelling and order) or by any identifier',
        querystring: PersonListQuery,
        response: { 200: ApiPersonList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const limit = request.query.limit ?? 25;
      const offset = request.query.offset ?? 0;
      const search = (request.query.search ?? '').trim();
      // Identifiers all contain a digit; names do not.
      const byIdentifier = /\d/.test(search);
      const result = await people.listPeople(
        db,
        principal,
        { name: byIdentifier ? '' : search, identifier: byIdentifier ? search : '', dateOfBirth: null },
        { limit, offset },
      );
      return { items: result.people, total: result.total, limit, offset };
    },
  );

  app.get(
    '/api/v1/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'One person; each read is audited, and restricted fields appear (and are audited) only for roles that may see them',
        params: IdParams,
        response: { 200: ApiPerson, ...errors, 404: Problem },
      },
    },
    async (request) => people.getPersonForApi(db, requirePermission(request, 'people:view'), request.params.id),
  );

  app.post(
    '/api/v1/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a person. Search first (GET /api/v1/people) to avoid duplicates.',
        body: NewPersonBody,
        response: { 201: ApiPerson, ...errors, 413: Problem },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const { id } = await people.createPerson(db, principal, request.body);
      const person = await people.getPersonForApi(db, principal, id, { justCreated: true });
      return reply.code(201).header('location', `/api/v1/people/${id}`).send(person);
    },
  );
}
