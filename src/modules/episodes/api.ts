import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { DateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission, requirePrincipal } from '../../platform/http/guards.ts';
import {
  AllocationBody,
  ApiCustodyEvent,
  ApiEpisode,
  ApiEpisodeList,
  CreatedReferral,
  CustodyEventBody,
  DecisionBody,
  ExitBody,
  IdParams,
  NewReferralBody,
  PersonParams,
  ReopenBody,
} from './schemas.ts';
import * as episodes from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };
const withConflict = { ...errors, 409: Problem };

/** The services read dates as the pages' day, month and year boxes; the API sends YYYY-MM-DD (its schema checks the shape). */
function partsOf(isoDate: string): DateParts {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return { day, month, year };
}

/**
 * Errors come back named as the pages' fields (reasonCode, exitedOn-day);
 * the API names them as its body does, so a pointer leads to what was sent.
 */
async function namedAsApi<T>(names: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    const rename = (field: string) => {
      const base = field.replace(/-(day|month|year)$/, ''); // a date is one field in the API
      return names[base] ?? base;
    };
    throw new ValidationFailed(error.errors.map((e) => ({ field: rename(e.field), text: e.text })));
  }
}

/** Partner systems create referrals and read episode status and stage. */
export async function episodeApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.post(
    '/api/v1/referrals',
    {
      schema: {
        tags: ['episodes'],
        summary: 'Create a pending referral, for an existing person (personId) or a new one (person), opening an episode',
        body: NewReferralBody,
        response: { 201: CreatedReferral, ...errors },
      },
    },
    async (request, reply) => {
      const created = await episodes.createReferralFromApi(db, requirePrincipal(request), request.body);
      return reply.code(201).send({ episodeId: created.episodeId, personId: created.personId, status: 'pending' as const });
    },
  );

  app.get(
    '/api/v1/episodes/:id',
    {
      schema: {
        tags: ['episodes'],
        summary: 'An episode’s referral status and derived stage, with the date each stage was reached',
        params: IdParams,
        response: { 200: ApiEpisode, ...errors },
      },
    },
    async (request) => episodes.getEpisodeForApi(db, requirePrincipal(request), request.params.id),
  );

  app.get(
    '/api/v1/people/:personId/episodes',
    {
      schema: {
        tags: ['episodes'],
        summary: 'A person’s episodes of support, newest first',
        params: PersonParams,
        response: { 200: ApiEpisodeList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const items = await episodes.listEpisodesForPerson(db, principal, request.params.personId);
      return {
        items: items.map((item) => ({
          id: item.id,
          referredOn: item.referredOn,
          stage: item.stage,
          exitedOn: item.exitedOn,
          referralStatus: item.referralStatus,
        })),
      };
    },
  );

  app.post(
    '/api/v1/episodes/:id/decision',
    {
      schema: {
        tags: ['episodes'],
        summary: 'Accept, decline or withdraw a pending referral; declines and withdrawals need a reason and a note',
        params: IdParams,
        body: DecisionBody,
        response: { 200: ApiEpisode, ...withConflict },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'referrals:decide');
      const { decision, reasonCode, note, version } = request.body;
      await episodes.decideReferral(db, principal, request.params.id, decision, {
        reasonCode: reasonCode ?? '',
        note: note ?? '',
        version: String(version),
      });
      return episodes.getEpisodeForApi(db, principal, request.params.id);
    },
  );

  app.post(
    '/api/v1/episodes/:id/allocation',
    {
      schema: {
        tags: ['episodes'],
        summary: 'Make a worker the key worker, with a handover note when someone held it before; pending tasks move to them',
        params: IdParams,
        body: AllocationBody,
        response: { 200: ApiEpisode, ...withConflict },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'episodes:allocate');
      const { workerId, handoverNote, version } = request.body;
      await episodes.allocate(db, principal, request.params.id, { workerId, handoverNote: handoverNote ?? '', version: String(version) });
      return episodes.getEpisodeForApi(db, principal, request.params.id);
    },
  );

  app.post(
    '/api/v1/episodes/:id/exit',
    {
      schema: {
        tags: ['episodes'],
        summary: 'Close the episode with a reason and date; the stage becomes exited',
        params: IdParams,
        body: ExitBody,
        response: { 200: ApiEpisode, ...withConflict },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const { exitedOn, reasonCode, note, version } = request.body;
      await namedAsApi({}, () =>
        episodes.exitEpisode(db, principal, request.params.id, { exitedOn: partsOf(exitedOn), reasonCode, note: note ?? '', version: String(version) }),
      );
      return episodes.getEpisodeForApi(db, principal, request.params.id);
    },
  );

  app.post(
    '/api/v1/episodes/:id/reopen',
    {
      schema: {
        tags: ['episodes'],
        summary: 'Reopen a closed episode; refused while the person has another open episode',
        params: IdParams,
        body: ReopenBody,
        response: { 200: ApiEpisode, ...withConflict },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      await episodes.reopenEpisode(db, principal, request.params.id, String(request.body.version));
      return episodes.getEpisodeForApi(db, principal, request.params.id);
    },
  );

  app.post(
    '/api/v1/episodes/:id/custody-events',
    {
      schema: {
        tags: ['episodes'],
        summary: 'Record a recall, remand or new sentence with its reason and date',
        params: IdParams,
        body: CustodyEventBody,
        response: { 201: ApiCustodyEvent, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const { kind, reason, occurredOn, note } = request.body;
      const input = { kindCode: kind, reasonCode: reason, occurredOn: partsOf(occurredOn), note: note ?? '' };
      const row = await namedAsApi({ kindCode: 'kind', reasonCode: 'reason' }, () =>
        episodes.recordCustodyEvent(db, principal, request.params.id, input),
      );
      return reply
        .code(201)
        .send({ id: row.id, episodeId: row.episode_id, kind: row.kind_code, reason: row.reason_code, occurredOn: row.occurred_on, note: row.note });
    },
  );
}
