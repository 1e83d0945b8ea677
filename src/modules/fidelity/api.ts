import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import * as fidelity from './service.ts';

const ApiFidelityReview = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    reviewedOn: Type.String({ format: 'date' }),
    serviceName: Type.String(),
    teamName: Type.Union([Type.String(), Type.Null()]),
    reviewers: Type.String(),
    total: Type.Integer({ minimum: 25, maximum: 125, description: 'The sum of the 25 item scores' }),
    band: Type.Unsafe<fidelity.FidelityBand>({ type: 'string', enum: ['exemplary', 'good', 'fair', 'not_ips'], description: '115–125 exemplary, 100–114 good, 74–99 fair, 73 or below not IPS' }),
    scores: Type.Record(Type.String(), Type.Integer({ minimum: 1, maximum: 5 }), { description: 'Each item’s score by item code (see docs/fidelity.md)' }),
  },
  { additionalProperties: false, description: 'An IPS fidelity review with its total, band and item scores' },
);

const ApiFidelityReviewList = Type.Object({ items: Type.Array(ApiFidelityReview) }, { additionalProperties: false });

/** The organisation's fidelity reviews as JSON, newest first: the same service as the pages. */
export async function fidelityApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/v1/fidelity-reviews',
    {
      schema: {
        tags: ['fidelity'],
        summary: 'The organisation’s IPS fidelity reviews, newest first, with totals, bands and item scores',
        response: { 200: ApiFidelityReviewList, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request): Promise<Static<typeof ApiFidelityReviewList>> => {
      const principal = requirePermission(request, 'reports:view-aggregate');
      const { reviews, scores } = await fidelity.listReviews(deps.db, principal);
      return {
        items: reviews.map((review) => ({
          id: review.id,
          reviewedOn: review.reviewedOn,
          serviceName: review.serviceName,
          teamName: review.teamName,
          reviewers: review.reviewers,
          total: review.total,
          band: review.band,
          scores: Object.fromEntries(scores.get(review.id) ?? []),
        })),
      };
    },
  );
}
