import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePrincipal } from '../../platform/http/guards.ts';
import { ApiEpisode, ApiEpisodeList, CreatedReferral, IdParams, NewReferralBody, PersonParams } from './schemas.ts';
import * as episodes from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };

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
}
