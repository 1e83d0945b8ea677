import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import {
  ApiCustody,
  ApiReleasePlan,
  ApiTaskList,
  EpisodeParams,
  ReleaseBody,
  ReleaseDatesBody,
  ReleasePlanBody,
  toApiCustody,
  toApiReleasePlan,
} from './schemas.ts';
import * as custody from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };

/** The API names the release type `releaseType`; the service's errors name it `typeCode`. */
function renameFields(error: unknown, names: Record<string, string>): unknown {
  if (!(error instanceof ValidationFailed)) return error;
  return new ValidationFailed(error.errors.map((e) => ({ ...e, field: names[e.field] ?? e.field })));
}

/** The plan's service names checklist fields as the page's inputs (item-CODE, note-CODE); the API nests them under checklist. */
function checklistPointers(error: unknown): unknown {
  if (!(error instanceof ValidationFailed)) return error;
  const rename = (field: string) => field.replace(/^item-(.+)$/, 'checklist/$1/state').replace(/^note-(.+)$/, 'checklist/$1/note');
  return new ValidationFailed(error.errors.map((e) => ({ ...e, field: rename(e.field) })));
}

/** The custody API: the same service as the pages, as JSON. */
export async function custodyApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/episodes/:id/custody',
    {
      schema: {
        tags: ['custody'],
        summary: 'Custody status, prison history, release dates and the release of an episode',
        params: EpisodeParams,
        response: { 200: ApiCustody, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      return toApiCustody(await custody.getCustody(db, principal, request.params.id));
    },
  );

  app.put(
    '/api/v1/episodes/:id/release-dates',
    {
      schema: {
        tags: ['custody'],
        summary: 'Set, change or remove release dates; the release-anchored tasks move with them',
        params: EpisodeParams,
        body: ReleaseDatesBody,
        response: { 200: ApiCustody, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      await custody.saveReleaseDates(db, principal, request.params.id, request.body, null);
      return toApiCustody(await custody.getCustody(db, principal, request.params.id));
    },
  );

  app.post(
    '/api/v1/episodes/:id/release',
    {
      schema: {
        tags: ['custody'],
        summary: 'Record the actual release (or change it, with its version); it must not be before the referral or in the future',
        params: EpisodeParams,
        body: ReleaseBody,
        response: { 200: ApiCustody, 201: ApiCustody, ...errors, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const body = request.body;
      let created: boolean;
      try {
        ({ created } = await custody.recordRelease(db, principal, request.params.id, {
          releasedOn: body.releasedOn,
          typeCode: body.releaseType,
          withoutNotice: body.withoutNotice ?? false,
          note: body.note ?? '',
          version: body.version ?? null,
        }));
      } catch (error) {
        throw renameFields(error, { typeCode: 'releaseType' });
      }
      const after = toApiCustody(await custody.getCustody(db, principal, request.params.id));
      return reply.code(created ? 201 : 200).send(after);
    },
  );

  app.get(
    '/api/v1/episodes/:id/tasks',
    {
      schema: {
        tags: ['custody'],
        summary: 'An episode’s tasks (the release-anchored schedule and others), pending first, with overdue ones flagged',
        params: EpisodeParams,
        response: { 200: ApiTaskList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const tasks = await custody.listEpisodeTasks(db, principal, request.params.id);
      return { items: tasks.map((task) => ({ ...task, completedAt: task.completedAt?.toISOString() ?? null })) };
    },
  );

  app.get(
    '/api/v1/episodes/:id/release-plan',
    {
      schema: {
        tags: ['custody'],
        summary: 'The meet-at-the-gate plan and the release-day checklist',
        params: EpisodeParams,
        response: { 200: ApiReleasePlan, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      return toApiReleasePlan(request.params.id, await custody.getReleasePlan(db, principal, request.params.id));
    },
  );

  app.put(
    '/api/v1/episodes/:id/release-plan',
    {
      schema: {
        tags: ['custody'],
        summary: 'Save the whole release plan and checklist; give the version to change a plan already saved',
        params: EpisodeParams,
        body: ReleasePlanBody,
        response: { 200: ApiReleasePlan, ...errors, 409: Problem },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const body = request.body;
      const items = Object.fromEntries(Object.entries(body.checklist ?? {}).map(([code, item]) => [code, { state: item.state, note: item.note ?? '' }]));
      try {
        await custody.saveReleasePlan(db, principal, request.params.id, {
          meetAtGate: body.meetAtGate ? 'yes' : 'no',
          gateWorkerId: body.gateWorkerId ?? '',
          meetingPoint: body.meetingPoint ?? '',
          meetingTime: body.meetingTime ?? '',
          note: body.note ?? '',
          items,
          version: body.version ?? null,
        });
      } catch (error) {
        throw checklistPointers(error);
      }
      return toApiReleasePlan(request.params.id, await custody.getReleasePlan(db, principal, request.params.id));
    },
  );
}
