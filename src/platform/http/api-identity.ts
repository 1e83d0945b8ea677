import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requirePrincipal } from './guards.ts';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** GET /api/v1/me: who the token acts as, so a partner can check its set-up. */
export function registerApiIdentity(app: FastifyInstance): void {
  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The organisation and role this token acts as',
        response: {
          200: Type.Object({
            organisationId: Type.String({ format: 'uuid' }),
            organisationName: Type.String(),
            role: Type.String(),
            tokenId: Type.String({ format: 'uuid' }),
          }),
          401: Problem,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return {
        organisationId: principal.organisationId,
        organisationName: principal.organisationName,
        role: principal.role,
        tokenId: principal.apiTokenId!,
      };
    },
  );
}
