import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { ApiContactList, ContactListQuery, CreatedContact, contactInputFromApi, EpisodeParams, NewContact, toApiContact } from './schemas.ts';
import * as contacts from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };

/** The episode's contacts as JSON: the same service as the pages. */
export async function contactApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/episodes/:id/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'An episode’s contacts, newest first',
        params: EpisodeParams,
        querystring: ContactListQuery,
        response: { 200: ApiContactList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const limit = request.query.limit ?? 25;
      const offset = request.query.offset ?? 0;
      const result = await contacts.listContacts(db, principal, request.params.id, {
        includeDeleted: request.query.includeDeleted ?? false,
        limit,
        offset,
      });
      return { items: result.contacts.map(toApiContact), total: result.total, limit, offset };
    },
  );

  app.post(
    '/api/v1/episodes/:id/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Record a contact; the answer includes the episode’s stage after it',
        params: EpisodeParams,
        body: NewContact,
        response: { 201: CreatedContact, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const saved = await contacts.createContact(db, principal, request.params.id, contactInputFromApi(request.body));
      const { contact } = await contacts.getEditableContact(db, principal, request.params.id, saved.contactId);
      return reply.code(201).send({ contact: toApiContact(contact), episode: { id: request.params.id, stage: saved.stage } });
    },
  );
}
