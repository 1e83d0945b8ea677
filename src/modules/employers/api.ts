import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import {
  ApiEmployer,
  ApiEmployerDetails,
  ApiEmployerList,
  ApiWeekly,
  CreatedEmployerContact,
  EmployerListQuery,
  EmployerParams,
  employerInputFromApi,
  NewEmployer,
  NewEmployerContact,
  toApiEmployer,
  toApiMatch,
  toApiVacancy,
  WeeklyQuery,
} from './schemas.ts';
import * as employers from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };

/** Employers and the employer-contact log as JSON: the same services as the pages. */
export async function employerApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/employers',
    {
      schema: {
        tags: ['employers'],
        summary: 'Employers by name; filter by sector, area and openness to people with convictions; forEpisode adds warnings and matches',
        querystring: EmployerListQuery,
        response: { 200: ApiEmployerList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const limit = request.query.limit ?? 25;
      const offset = request.query.offset ?? 0;
      const result = await employers.searchEmployers(db, principal, request.query, { limit, offset }, request.query.forEpisode);
      return { items: result.employers.map(toApiMatch), total: result.total, limit, offset };
    },
  );

  app.post(
    '/api/v1/employers',
    {
      schema: {
        tags: ['employers'],
        summary: 'Add an employer',
        body: NewEmployer,
        response: { 201: ApiEmployer, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const id = await employers.createEmployer(db, principal, employerInputFromApi(request.body));
      return reply.code(201).send(toApiEmployer(await employers.getEmployerSummary(db, principal, id)));
    },
  );

  app.get(
    '/api/v1/employers/:employerId',
    {
      schema: {
        tags: ['employers'],
        summary: 'An employer with its contact people and vacancies',
        params: EmployerParams,
        response: { 200: ApiEmployerDetails, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const details = await employers.getEmployer(db, principal, request.params.employerId);
      return { employer: toApiEmployer(details.employer), people: details.people, vacancies: details.vacancies.map(toApiVacancy) };
    },
  );

  app.post(
    '/api/v1/employer-contacts',
    {
      schema: {
        tags: ['employers'],
        summary: 'Log a contact with an employer, and whom it was on behalf of',
        body: NewEmployerContact,
        response: { 201: CreatedEmployerContact, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const body = request.body;
      const episodeIds = [...new Set(body.episodeIds ?? [])];
      const id = await employers.recordEmployerContact(
        db,
        principal,
        { employerId: body.employerId, occurredOn: body.occurredOn, method: body.method, purpose: body.purpose, note: body.note ?? '', episodeIds, errors: [] },
        body.specialistId,
      );
      const specialistId = body.specialistId || principal.userId || '';
      return reply.code(201).send({ id, employerId: body.employerId, specialistId, episodeIds });
    },
  );

  app.get(
    '/api/v1/employer-contacts/weekly',
    {
      schema: {
        tags: ['employers'],
        summary: 'A specialist’s employer contacts per week (Monday to Sunday): face to face against the IPS standard of 6, and the share matching someone’s preferences',
        querystring: WeeklyQuery,
        response: { 200: ApiWeekly, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const specialist = await employers.chooseSpecialist(db, principal, request.query.specialistId);
      const result = await employers.weeklyForSpecialist(db, principal, specialist, { from: request.query.from, to: request.query.to });
      return { specialistId: specialist.id, from: result.from, to: result.to, standard: result.standard, weeks: result.weeks };
    },
  );
}
