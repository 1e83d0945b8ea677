import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import * as consents from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
const PersonParams = Type.Object({ personId: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const ApiConsent = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.String({ description: "A code from the 'sharing_kind' reference list" }),
    recipient: Nullable(Type.String()),
    givenOn: Type.String({ description: 'YYYY-MM-DD' }),
    note: Nullable(Type.String()),
    withdrawnOn: Nullable(Type.String({ description: 'YYYY-MM-DD; from this day the consent no longer holds' })),
    withdrawalNote: Nullable(Type.String()),
    current: Type.Boolean({ description: 'Given on or before today and not withdrawn by today' }),
  },
  { additionalProperties: false },
);

const ApiConsents = Type.Object(
  { personId: Type.String({ format: 'uuid' }), consents: Type.Array(ApiConsent, { description: 'Current and past, newest given first' }) },
  { additionalProperties: false },
);

export async function consentApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/people/:personId/consents',
    { schema: { tags: ['consents'], summary: 'The person’s consents to each kind of sharing, current and withdrawn', params: PersonParams, response: { 200: ApiConsents, ...errors } } },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const page = await consents.viewConsents(db, principal, request.params.personId, 'api');
      return {
        personId: page.person.id,
        consents: page.consents.map((consent) => ({
          id: consent.id,
          kind: consent.kindCode,
          recipient: consent.recipient,
          givenOn: consent.givenOn,
          note: consent.note,
          withdrawnOn: consent.withdrawnOn,
          withdrawalNote: consent.withdrawalNote,
          current: consent.current,
        })),
      };
    },
  );
}
