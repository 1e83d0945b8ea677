import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import {
  ActivityListQuery,
  ApiActivity,
  ApiActivityList,
  ApiJobSearchDates,
  activityInputFromApi,
  DatesBody,
  EpisodeParams,
  NewActivity,
  realDate,
  toApiActivity,
} from './schemas.ts';
import * as jobSearch from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };

/** The job search as JSON: the same service as the pages. */
export async function jobSearchApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/episodes/:id/job-search-activities',
    {
      schema: {
        tags: ['job search'],
        summary: 'An episode’s job search activities, newest first',
        params: EpisodeParams,
        querystring: ActivityListQuery,
        response: { 200: ApiActivityList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const limit = request.query.limit ?? 25;
      const offset = request.query.offset ?? 0;
      const result = await jobSearch.getJobSearch(db, principal, request.params.id, { kind: request.query.kind ?? '', limit, offset });
      return { items: result.activities.map(toApiActivity), total: result.total, limit, offset };
    },
  );

  app.post(
    '/api/v1/episodes/:id/job-search-activities',
    {
      schema: {
        tags: ['job search'],
        summary: 'Record a job search activity (a CV without its file: upload the file on the page)',
        params: EpisodeParams,
        body: NewActivity,
        response: { 201: ApiActivity, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const id = await jobSearch.createActivity(db, principal, request.params.id, activityInputFromApi(request.body));
      const { activity } = await jobSearch.getActivityToDelete(db, principal, request.params.id, id);
      return reply.code(201).send(toApiActivity(activity));
    },
  );

  app.put(
    '/api/v1/episodes/:id/job-search-dates',
    {
      schema: {
        tags: ['job search'],
        summary: 'Save when the job search started; give the version to change dates already saved',
        params: EpisodeParams,
        body: DatesBody,
        response: { 200: ApiJobSearchDates, ...errors, 409: Problem },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const dateErrors: FieldError[] = [];
      const startedOn = realDate(request.body.jobSearchStartedOn, 'jobSearchStartedOn', dateErrors) ?? null;
      // The service names the date startedOn; the API's field is jobSearchStartedOn.
      try {
        await jobSearch.saveDates(db, principal, request.params.id, { startedOn, version: request.body.version ?? null, errors: dateErrors });
      } catch (error) {
        if (error instanceof ValidationFailed) {
          throw new ValidationFailed(error.errors.map((e) => (e.field === 'startedOn' ? { ...e, field: 'jobSearchStartedOn' } : e)));
        }
        throw error;
      }
      const dates = await jobSearch.getDates(db, principal, request.params.id);
      return {
        jobSearchStartedOn: dates.startedOn,
        firstEmployerContactOn: dates.rapid.firstEmployerContactOn,
        daysToFirstEmployerContact: dates.rapid.days,
        overdue: dates.rapid.overdue,
        version: dates.version,
      };
    },
  );
}
