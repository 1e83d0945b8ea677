import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import {
  ApiJobList,
  ChangedJob,
  CheckpointConfirmation,
  EpisodeParams,
  endInputFromApi,
  JobEnd,
  JobParams,
  jobInputFromApi,
  NewJob,
  SavedJob,
  toApiJob,
} from './schemas.ts';
import * as jobs from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };

/** An episode's jobs as JSON: the same service and rules as the pages. */
export async function jobApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  async function answer(principal: Principal, episodeId: string, saved: jobs.SavedJob) {
    const { job } = await jobs.getJob(db, principal, episodeId, saved.jobId);
    return { job: toApiJob(job), episode: { id: episodeId, stage: saved.stage, inWorkOn: saved.inWorkOn } };
  }

  app.get(
    '/api/v1/episodes/:id/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'An episode’s jobs, oldest first, with competitive explanation, checkpoints and follow-along timing',
        params: EpisodeParams,
        response: { 200: ApiJobList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const result = await jobs.listJobs(db, principal, request.params.id);
      return { items: result.jobs.map(toApiJob) };
    },
  );

  app.post(
    '/api/v1/episodes/:id/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Record a job; competitive is derived, and the answer includes the episode’s stage after it',
        params: EpisodeParams,
        body: NewJob,
        response: { 201: SavedJob, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const saved = await jobs.createJob(db, principal, request.params.id, jobInputFromApi(request.body), endInputFromApi(request.body));
      return reply.code(201).send(await answer(principal, request.params.id, saved));
    },
  );

  app.put(
    '/api/v1/episodes/:id/jobs/:jobId',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Change a job; give the version it was read at',
        params: JobParams,
        body: ChangedJob,
        response: { 200: SavedJob, ...errors, 409: Problem },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const { id, jobId } = request.params;
      const result = await jobs.updateJob(db, principal, id, jobId, { ...jobInputFromApi(request.body), version: String(request.body.version) });
      if (result.outcome === 'conflict') throw new Conflict(`This job was changed by someone else: it is now at version ${result.current.version}.`);
      return answer(principal, id, result.saved);
    },
  );

  app.post(
    '/api/v1/episodes/:id/jobs/:jobId/end',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Record how a job ended; give the version it was read at',
        params: JobParams,
        body: JobEnd,
        response: { 200: SavedJob, ...errors, 409: Problem },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const { id, jobId } = request.params;
      const body = request.body;
      const result = await jobs.endJob(db, principal, id, jobId, {
        endsOn: body.endsOn,
        endReason: body.endReason,
        helpedWithNextJob: body.helpedWithNextJob,
        note: body.endNote ?? '',
        version: String(body.version),
      });
      if (result.outcome === 'conflict') throw new Conflict(`This job was changed by someone else: it is now at version ${result.current.version}.`);
      return answer(principal, id, result.saved);
    },
  );

  app.post(
    '/api/v1/episodes/:id/jobs/:jobId/checkpoints',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Confirm a 13, 26 or 52-week sustainment checkpoint once it is due',
        params: JobParams,
        body: CheckpointConfirmation,
        response: { 200: SavedJob, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const { id, jobId } = request.params;
      const { weeks, stillInWork, confirmedOn } = request.body;
      if (!jobs.isCheckpointWeeks(weeks)) throw new ValidationFailed([{ field: 'weeks', text: 'weeks must be 13, 26 or 52' }]);
      const saved = await jobs.confirmCheckpoint(db, principal, id, jobId, weeks, { stillInWork, confirmedOn });
      return answer(principal, id, saved);
    },
  );
}
