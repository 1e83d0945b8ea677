import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import * as subjectAccess from './service.ts';

type PersonParams = { personId: string };

/** Subject access: a page explaining the export, the JSON download and the printable document. */
export async function subjectAccessRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: PersonParams }>('/people/:personId/subject-access', async (request, reply) => {
    const principal = requirePermission(request, 'people:subject-access');
    const person = await subjectAccess.subjectAccessPerson(db, principal, request.params.personId);
    return reply.view('subject-access/views/start.njk', { pageTitle: `Subject access: ${person.givenName} ${person.familyName}`, person });
  });

  app.get<{ Params: PersonParams }>('/people/:personId/subject-access/json', async (request, reply) => {
    const principal = requirePermission(request, 'people:subject-access');
    const data = await subjectAccess.exportPerson(db, principal, request.params.personId, 'json');
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="subject-access-${data.personId}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  });

  app.get<{ Params: PersonParams }>('/people/:personId/subject-access/html', async (request, reply) => {
    const principal = requirePermission(request, 'people:subject-access');
    const data = await subjectAccess.exportPerson(db, principal, request.params.personId, 'html');
    const document = subjectAccess.documentModel(data);
    const name = `${data.person.given_name} ${data.person.family_name}`;
    return reply.header('cache-control', 'no-store').view('subject-access/views/document.njk', { pageTitle: `Subject access export: ${name}`, name, data, document });
  });
}
