import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import type { CalculatorFields } from './calculator.ts';
import * as benefits from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Boolean>>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD' });

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
const EpisodeParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const CalculatorBody = Type.Object(
  {
    hoursPerWeek: Type.Number({ description: 'Hours a week of the offer: more than 0, at most 100' }),
    hourlyPay: Type.Number({ description: 'Gross hourly pay in pounds, 0 or more' }),
    onEsa: Type.Boolean(),
    onUniversalCredit: Type.Boolean(),
    ucIncludesHousingCosts: Type.Optional(Type.Boolean()),
    ucMonthlyAward: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'The current monthly Universal Credit award in pounds' })),
    startsOn: IsoDate,
  },
  { additionalProperties: false },
);

const NewSession = Type.Object(
  {
    heldOn: IsoDate,
    adviser: Type.String({ minLength: 1, maxLength: 200 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    calculation: Type.Optional(Type.Union([CalculatorBody, Type.Null()], { description: 'A better-off calculation to compute and keep with the session' })),
  },
  { additionalProperties: false },
);

const ApiClaim = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    benefit: Type.String({ description: "A code from the 'benefit' reference list" }),
    startedOn: Nullable(Type.String()),
    endedOn: Nullable(Type.String()),
    includesHousingCosts: Type.Boolean(),
    note: Nullable(Type.String()),
    current: Type.Boolean({ description: 'No end date, or one in the future' }),
  },
  { additionalProperties: false },
);

const ApiSession = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    heldOn: Type.String(),
    adviser: Type.String(),
    note: Nullable(Type.String()),
    calculation: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  },
  { additionalProperties: false },
);

const ApiBenefits = Type.Object(
  {
    episodeId: Type.String({ format: 'uuid' }),
    claims: Type.Array(ApiClaim),
    sessions: Type.Array(ApiSession, { description: 'Newest first' }),
    counselledInLast30Days: Type.Boolean(),
  },
  { additionalProperties: false },
);

const ApiCalculation = Type.Object({}, { additionalProperties: true, description: 'The inputs, the rates used (tax year and source) and the results' });

/** Numbers arrive checked by type; the calculator's own rules (ranges) are shared with the page by passing them as text. */
function fieldsFrom(body: Static<typeof CalculatorBody>): CalculatorFields {
  return {
    hoursPerWeek: String(body.hoursPerWeek),
    hourlyPay: String(body.hourlyPay),
    onEsa: body.onEsa,
    onUniversalCredit: body.onUniversalCredit,
    ucIncludesHousingCosts: body.ucIncludesHousingCosts ?? false,
    ucMonthlyAward: body.ucMonthlyAward === undefined || body.ucMonthlyAward === null ? '' : String(body.ucMonthlyAward),
    startsOn: realDate(body.startsOn),
  };
}

function realDate(text: string): string | undefined {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1900 && date.toISOString().slice(0, 10) === text ? text : undefined;
}

const API_NAMES = { hours: 'hoursPerWeek', pay: 'hourlyPay', benefits: 'onUniversalCredit', award: 'ucMonthlyAward', startsOn: 'startsOn' };
const withPrefix = (prefix: string) => Object.fromEntries(Object.entries(API_NAMES).map(([key, name]) => [key, `${prefix}${name}`])) as typeof API_NAMES;

export async function benefitsApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get(
    '/api/v1/episodes/:id/benefits',
    { schema: { tags: ['benefits'], summary: 'The person’s benefit claims and the episode’s benefits-counselling sessions', params: EpisodeParams, response: { 200: ApiBenefits, ...errors } } },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const page = await benefits.viewBenefits(db, principal, request.params.id);
      return {
        episodeId: page.episode.id,
        claims: [...page.current, ...page.past].map((claim) => ({
          id: claim.id,
          benefit: claim.benefitCode,
          startedOn: claim.startedOn,
          endedOn: claim.endedOn,
          includesHousingCosts: claim.includesHousingCosts,
          note: claim.note,
          current: claim.current,
        })),
        sessions: page.sessions.map((session) => ({ id: session.id, heldOn: session.heldOn, adviser: session.adviser, note: session.note, calculation: session.calculation })),
        counselledInLast30Days: page.counselledRecently,
      };
    },
  );

  app.post(
    '/api/v1/episodes/:id/benefits-sessions',
    {
      schema: {
        tags: ['benefits'],
        summary: 'Record a benefits-counselling session, optionally with a better-off calculation',
        params: EpisodeParams,
        body: NewSession,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const body = request.body;
      const episode = await benefits.episodeFor(db, principal, request.params.id);
      const calculation = body.calculation ? await benefits.betterOff(db, principal, fieldsFrom(body.calculation), withPrefix('calculation.')) : null;
      const heldOn = realDate(body.heldOn);
      const id = await benefits.createSession(
        db,
        principal,
        episode.id,
        { heldOn: heldOn ?? null, adviser: body.adviser, note: body.note ?? '', errors: heldOn ? [] : [{ field: 'heldOn', text: 'heldOn must be a real date' }] },
        calculation,
      );
      return reply.code(201).send({ id });
    },
  );

  app.post(
    '/api/v1/better-off-calculations',
    {
      schema: {
        tags: ['benefits'],
        summary: 'Compute a better-off-in-work calculation (nothing is saved); the rates used are in the answer',
        body: CalculatorBody,
        response: { 200: ApiCalculation, ...errors },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:view');
      const result = await benefits.betterOff(db, principal, fieldsFrom(request.body), API_NAMES);
      return benefits.storedCalculation(result);
    },
  );
}
