import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import { readDateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { getPersonSummary } from '../people/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import * as episodes from './service.ts';

const { journey } = episodes;
type PersonParams = { personId: string };
const PAGE_SIZE = 25;

function sectionForm(body: unknown): episodes.journey.SectionForm {
  return {
    sourceCode: formString(body, 'sourceCode'),
    referringOrganisation: formString(body, 'referringOrganisation'),
    referrerName: formString(body, 'referrerName'),
    referrerContact: formString(body, 'referrerContact'),
    receivedOn: readDateParts(body, 'receivedOn'),
    reason: formString(body, 'reason'),
    personKnows: formString(body, 'personKnows'),
    personAgrees: formString(body, 'personAgrees'),
    confirmedBy: formString(body, 'confirmedBy'),
    confirmedOn: readDateParts(body, 'confirmedOn'),
  };
}

/** Saved answers back into the shape of the form, for a section page opened to change them. */
function formFromDraft(draft: episodes.journey.DraftAnswers): Record<string, unknown> {
  const parts = (iso: string | undefined) => {
    const [year, month, day] = (iso ?? '').split('-');
    return iso ? { day: String(Number(day)), month: String(Number(month)), year } : undefined;
  };
  const yn = (value: boolean | undefined) => (value === undefined ? '' : value ? 'yes' : 'no');
  return {
    ...draft.source,
    receivedOn: parts(draft.details?.receivedOn),
    reason: draft.details?.reason,
    personKnows: yn(draft.agreement?.personKnows),
    personAgrees: yn(draft.agreement?.personAgrees),
    confirmedBy: draft.agreement?.confirmedBy,
    confirmedOn: parts(draft.agreement?.confirmedOn),
  };
}

/** The referral task list, check your answers and confirmation; the peer advisor's intake; pending referrals. */
export async function referralRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const base = (personId: string) => `/people/${personId}/referrals/new`;

  async function person(principal: Principal, personId: string) {
    const summary = await getPersonSummary(db, principal, personId);
    return { id: summary.id, name: `${summary.preferredName || summary.givenName} ${summary.familyName}` };
  }

  async function taskListPage(reply: FastifyReply, principal: Principal, personId: string, context: Record<string, unknown> = {}) {
    const who = await person(principal, personId);
    const draft = await journey.loadDraft(db, principal, personId);
    return reply.view('episodes/views/task-list.njk', {
      pageTitle: `Refer ${who.name}`,
      person: who,
      base: base(personId),
      sections: journey.SECTIONS.map((section) => ({ section, title: journey.SECTION_TITLES[section], done: Boolean(draft[section]) })),
      complete: journey.missingSections(draft).length === 0,
      ...context,
    });
  }

  app.get<{ Params: PersonParams }>('/people/:personId/referrals/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    return taskListPage(reply, principal, request.params.personId);
  });

  async function sectionPage(
    reply: FastifyReply,
    principal: Principal,
    personId: string,
    section: episodes.journey.Section,
    context: Record<string, unknown> = {},
  ) {
    const who = await person(principal, personId);
    const values = (context.values ?? formFromDraft(await journey.loadDraft(db, principal, personId))) as { sourceCode?: string };
    const reference = await journey.journeyReferenceData(db, principal);
    return reply.view(`episodes/views/section-${section}.njk`, {
      pageTitle: journey.SECTION_TITLES[section],
      person: who,
      action: `${base(personId)}/${section}`,
      back: base(personId),
      values,
      sources: reference.options('referral_source', values.sourceCode),
      ...context,
    });
  }

  app.get<{ Params: PersonParams & { section: string } }>('/people/:personId/referrals/new/:section', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { personId, section } = request.params;
    if (section === 'check') return checkPage(reply, principal, personId);
    if (!journey.isSection(section)) return reply.callNotFound();
    return sectionPage(reply, principal, personId, section);
  });

  app.post<{ Params: PersonParams & { section: string } }>('/people/:personId/referrals/new/:section', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { personId, section } = request.params;
    if (section === 'check') return submit(reply, principal, personId);
    if (!journey.isSection(section)) return reply.callNotFound();
    await person(principal, personId);
    const values = sectionForm(request.body);
    try {
      await journey.saveSection(db, principal, personId, section, values);
    } catch (error) {
      if (error instanceof ValidationFailed) return sectionPage(reply.code(400), principal, personId, section, { values, errors: error.errors });
      throw error;
    }
    const draft = await journey.loadDraft(db, principal, personId);
    return reply.redirect(journey.missingSections(draft).length === 0 ? `${base(personId)}/check` : base(personId));
  });

  async function checkPage(reply: FastifyReply, principal: Principal, personId: string, context: Record<string, unknown> = {}) {
    const who = await person(principal, personId);
    const draft = await journey.loadDraft(db, principal, personId);
    const reference = await journey.journeyReferenceData(db, principal);
    return reply.view('episodes/views/check.njk', {
      pageTitle: 'Check your answers before sending the referral',
      person: who,
      base: base(personId),
      rows: journey.answerRows(draft, reference),
      ...context,
    });
  }

  async function submit(reply: FastifyReply, principal: Principal, personId: string) {
    await person(principal, personId);
    try {
      const { episodeId } = await episodes.journey.submitDraft(db, principal, personId);
      return reply.redirect(`/episodes/${episodeId}/referral-sent`);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const missing = error.errors.some((e) => e.field.startsWith('task-'));
      if (missing) return taskListPage(reply.code(400), principal, personId, { errors: error.errors });
      return checkPage(reply.code(400), principal, personId, { errors: error.errors });
    }
  }

  app.get<{ Params: { id: string } }>('/episodes/:id/referral-sent', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const header = await episodes.getEpisodeHeader(db, principal, request.params.id);
    return reply.view('episodes/views/sent.njk', { pageTitle: 'Referral recorded', header });
  });

  const intakePage = async (reply: FastifyReply, principal: Principal, context: Record<string, unknown> = {}) => {
    const values = (context.values ?? {}) as { prisonCode?: string };
    const reference = await loadReferenceData(db, principal.organisationId, ['prison']);
    return reply.view('episodes/views/intake.njk', {
      pageTitle: 'Refer someone for support',
      values,
      prisons: [{ value: '', text: 'Select a prison' }, ...reference.options('prison', values.prisonCode, 'selected')],
      ...context,
    });
  };

  app.get('/intake', async (request, reply) => {
    const principal = requirePermission(request, 'intake:create');
    const sent = (request.query as Record<string, unknown>).sent === '1';
    return intakePage(reply, principal, sent ? { sent: true, pageTitle: 'Referral sent' } : {});
  });

  app.post('/intake', async (request, reply) => {
    const principal = requirePermission(request, 'intake:create');
    const body = request.body;
    const values = {
      givenName: formString(body, 'givenName'),
      familyName: formString(body, 'familyName'),
      dateOfBirth: readDateParts(body, 'dateOfBirth'),
      prisonNumber: formString(body, 'prisonNumber').toUpperCase(),
      prisonCode: formString(body, 'prisonCode'),
      helpWith: formString(body, 'helpWith'),
      agreesToContact: formString(body, 'agreesToContact'),
    };
    try {
      await episodes.submitIntake(db, principal, values);
    } catch (error) {
      if (error instanceof ValidationFailed) return intakePage(reply.code(400), principal, { values, errors: error.errors });
      throw error;
    }
    // The peer advisor cannot open the record they made: the confirmation names nothing.
    return reply.redirect('/intake?sent=1');
  });

  app.get('/referrals/pending', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const filters = { peerOnly: query.from === 'peer' };
    const page = pageNumber(query.page);
    const { referrals, total } = await episodes.listPendingReferrals(db, principal, filters, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const pages = pageCount(total, PAGE_SIZE);
    const href = (n: number) => {
      const params = new URLSearchParams();
      if (filters.peerOnly) params.set('from', 'peer');
      if (n > 1) params.set('page', String(n));
      const text = params.toString();
      return text ? `/referrals/pending?${text}` : '/referrals/pending';
    };
    if (page > pages) return reply.redirect(href(pages));
    return reply.view('episodes/views/pending.njk', {
      pageTitle: pages > 1 ? `Pending referrals (page ${page} of ${pages})` : 'Pending referrals',
      referrals,
      total,
      filters,
      pagination: pagination(page, pages, href),
    });
  });
}
