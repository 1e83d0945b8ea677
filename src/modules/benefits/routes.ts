import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { DateFieldError } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import type { EpisodeHeader } from '../episodes/service.ts';
import { benefitsApiRoutes } from './api.ts';
import {
  blankCalculatorForm,
  blankClaimForm,
  blankEndClaimForm,
  blankSessionForm,
  CALCULATOR_FIELD_NAMES,
  type CalculatorFormValues,
  type ClaimFormValues,
  calculatorFieldsFrom,
  calculatorHiddenFields,
  claimInputFrom,
  type EndClaimFormValues,
  endClaimInputFrom,
  readCalculatorForm,
  readClaimForm,
  readEndClaimForm,
  readSessionForm,
  type SessionFormValues,
  sessionInputFrom,
} from './benefits-form.ts';
import * as benefits from './service.ts';

type EpisodeParams = { id: string };
type ClaimParams = { id: string; claimId: string };

const DONE_MESSAGES: Record<string, string> = {
  claim: 'Benefit recorded',
  ended: 'Benefit ended',
  session: 'Benefits-counselling session recorded',
  calculation: 'Benefits-counselling session recorded with the calculation',
};

export async function benefitsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const home = (episodeId: string, done?: string) => `/episodes/${episodeId}/benefits${done ? `?done=${done}` : ''}`;

  app.get<{ Params: EpisodeParams }>('/episodes/:id/benefits', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const page = await benefits.viewBenefits(db, principal, request.params.id);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('benefits/views/benefits.njk', {
      pageTitle: `Benefits: ${page.episode.personName}`,
      ...page,
      canEdit: benefits.canEdit(principal),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  async function claimPage(reply: FastifyReply, principal: Principal, episode: EpisodeHeader, values: ClaimFormValues, errors?: unknown[]) {
    return reply.view('benefits/views/claim-form.njk', {
      pageTitle: 'Record a benefit',
      episode,
      values,
      errors,
      benefitOptions: [{ value: '', text: 'Choose a benefit' }, ...(await benefits.benefitOptions(db, principal, values.benefit))],
    });
  }

  app.get<{ Params: EpisodeParams }>('/episodes/:id/benefits/claims/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    return claimPage(reply, principal, await benefits.episodeFor(db, principal, request.params.id), blankClaimForm());
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/benefits/claims/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await benefits.episodeFor(db, principal, request.params.id);
    const values = readClaimForm(request.body);
    try {
      await benefits.createClaim(db, principal, episode.id, claimInputFrom(values));
      return reply.redirect(home(episode.id, 'claim'));
    } catch (error) {
      if (error instanceof ValidationFailed) return claimPage(reply.code(400), principal, episode, values, error.errors);
      throw error;
    }
  });

  async function endPage(reply: FastifyReply, principal: Principal, params: ClaimParams, values: EndClaimFormValues, errors?: unknown[]) {
    const { episode, claim } = await benefits.claimFor(db, principal, params.id, params.claimId);
    return reply.view('benefits/views/end-claim.njk', { pageTitle: `End ${claim.benefitLabel}`, episode, claim, values, errors });
  }

  app.get<{ Params: ClaimParams }>('/episodes/:id/benefits/claims/:claimId/end', async (request, reply) =>
    endPage(reply, requirePermission(request, 'people:edit'), request.params, blankEndClaimForm()),
  );

  app.post<{ Params: ClaimParams }>('/episodes/:id/benefits/claims/:claimId/end', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readEndClaimForm(request.body);
    try {
      await benefits.endClaim(db, principal, request.params.id, request.params.claimId, endClaimInputFrom(values));
      return reply.redirect(home(request.params.id, 'ended'));
    } catch (error) {
      if (error instanceof ValidationFailed) return endPage(reply.code(400), principal, request.params, values, error.errors);
      throw error;
    }
  });

  const sessionPage = (reply: FastifyReply, episode: EpisodeHeader, values: SessionFormValues, errors?: unknown[]) =>
    reply.view('benefits/views/session-form.njk', { pageTitle: 'Record a benefits-counselling session', episode, values, errors });

  app.get<{ Params: EpisodeParams }>('/episodes/:id/benefits/sessions/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    return sessionPage(reply, await benefits.episodeFor(db, principal, request.params.id), blankSessionForm(principal.displayName));
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/benefits/sessions/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await benefits.episodeFor(db, principal, request.params.id);
    const values = readSessionForm(request.body);
    try {
      await benefits.createSession(db, principal, episode.id, sessionInputFrom(values));
      return reply.redirect(home(episode.id, 'session'));
    } catch (error) {
      if (error instanceof ValidationFailed) return sessionPage(reply.code(400), episode, values, error.errors);
      throw error;
    }
  });

  async function calculatorPage(
    reply: FastifyReply,
    principal: Principal,
    episode: EpisodeHeader,
    values: CalculatorFormValues,
    context: { errors?: unknown[]; result?: benefits.CalculationResult; session?: SessionFormValues; sessionErrors?: unknown[] } = {},
  ) {
    return reply.view('benefits/views/calculator.njk', {
      pageTitle: context.result ? 'Better off in work: result' : 'Better off in work calculator',
      episode,
      values,
      errors: context.errors ?? context.sessionErrors,
      sessionErrors: context.sessionErrors,
      pounds: benefits.pounds,
      result: context.result,
      hidden: calculatorHiddenFields(values),
      session: context.session ?? blankSessionForm(principal.displayName),
      canEdit: benefits.canEdit(principal),
    });
  }

  /** Runs the calculator on the page's boxes; errors keep the page's field names. */
  async function compute(principal: Principal, values: CalculatorFormValues) {
    const dateErrors: DateFieldError[] = [];
    const fields = calculatorFieldsFrom(values, dateErrors);
    return benefits.betterOff(db, principal, fields, CALCULATOR_FIELD_NAMES, dateErrors);
  }

  app.get<{ Params: EpisodeParams }>('/episodes/:id/benefits/calculator', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    return calculatorPage(reply, principal, await benefits.episodeFor(db, principal, request.params.id), blankCalculatorForm());
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/benefits/calculator', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const episode = await benefits.episodeFor(db, principal, request.params.id);
    const values = readCalculatorForm(request.body);
    try {
      return calculatorPage(reply, principal, episode, values, { result: await compute(principal, values) });
    } catch (error) {
      if (error instanceof ValidationFailed) return calculatorPage(reply.code(400), principal, episode, values, { errors: error.errors });
      throw error;
    }
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/benefits/calculator/save', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await benefits.episodeFor(db, principal, request.params.id);
    const values = readCalculatorForm(request.body);
    let result: benefits.CalculationResult;
    try {
      result = await compute(principal, values);
    } catch (error) {
      if (error instanceof ValidationFailed) return calculatorPage(reply.code(400), principal, episode, values, { errors: error.errors });
      throw error;
    }
    const session = readSessionForm(request.body);
    try {
      await benefits.createSession(db, principal, episode.id, sessionInputFrom(session), result);
      return reply.redirect(home(episode.id, 'calculation'));
    } catch (error) {
      if (error instanceof ValidationFailed) return calculatorPage(reply.code(400), principal, episode, values, { result, session, sessionErrors: error.errors });
      throw error;
    }
  });

  await benefitsApiRoutes(app, deps);
}
