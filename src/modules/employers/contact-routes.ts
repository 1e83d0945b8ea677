import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { blankContactForm, type ContactFormValues, contactInputFrom, placeContactErrors, readContactForm } from './employer-form.ts';
import * as employers from './service.ts';

const PAGE_SIZE = 25;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 100) : '';
}

/** The log's address: whose log, the week and the page are kept in every link. */
export function contactLogHref(state: { specialist?: string; week?: string | null }, page = 1): string {
  const params = new URLSearchParams();
  if (state.specialist) params.set('specialist', state.specialist);
  if (state.week) params.set('week', state.week);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/employer-contacts${query ? `?${query}` : ''}`;
}

export async function employerContactRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  /** Managers get a select of specialists; the chosen one is kept in the query string only when it is not the user. */
  async function whose(principal: Principal, requested: string) {
    const specialist = await employers.chooseSpecialist(db, principal, requested || undefined);
    const choices = await employers.specialistChoices(db, principal);
    return {
      specialist,
      own: specialist.id === principal.userId,
      specialistParam: specialist.id === principal.userId ? '' : specialist.id,
      specialists: choices.map((choice) => ({ value: choice.id, text: choice.name, selected: choice.id === specialist.id })),
    };
  }

  app.get('/employer-contacts', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const chosen = await whose(principal, text(query.specialist));
    const week = employers.weekFrom(query.week);
    const page = pageNumber(query.page);
    const state = { specialist: chosen.specialistParam, week };
    const { contacts, total } = await employers.listContactLog(db, principal, chosen.specialist, week, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = pageCount(total, PAGE_SIZE);
    if (page > pages) return reply.redirect(contactLogHref(state, pages));
    const heading = chosen.own ? 'Your employer contacts' : `Employer contacts: ${chosen.specialist.name}`;
    return reply.view('employers/views/contacts.njk', {
      pageTitle: `${heading}${pages > 1 ? ` (page ${page} of ${pages})` : ''}`,
      heading,
      ...chosen,
      filterAction: '/employer-contacts',
      week: week ?? '',
      contacts,
      total,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + contacts.length,
      pagination: pagination(page, pages, (n) => contactLogHref(state, n)),
      weeklyHref: `/employer-contacts/weekly${chosen.specialistParam ? `?specialist=${chosen.specialistParam}` : ''}`,
      canEdit: employers.canEdit(principal),
      flash: query.done === 'recorded' ? 'Employer contact recorded' : undefined,
    });
  });

  async function contactFormPage(reply: FastifyReply, principal: Principal, values: ContactFormValues, errors?: unknown[]) {
    const choices = await employers.contactFormChoices(db, principal, values.episodeIds[0]);
    return reply.view('employers/views/contact-form.njk', {
      pageTitle: 'Record an employer contact',
      values,
      errors,
      employers: [
        { value: '', text: 'Choose an employer', selected: !values.employerId },
        ...choices.employers.map((employer) => ({ value: employer.id, text: employer.name, selected: employer.id === values.employerId })),
      ],
      methods: choices.reference.options('employer_contact_method', values.method),
      purposes: choices.reference.options('employer_contact_purpose', values.purpose),
      people: choices.people.map((person) => ({ value: person.episodeId, text: person.name, checked: values.episodeIds.includes(person.episodeId) })),
    });
  }

  app.get('/employer-contacts/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const query = request.query as Record<string, unknown>;
    return contactFormPage(reply, principal, blankContactForm({ employerId: text(query.employer), episodeId: text(query.episode) || undefined }));
  });

  app.post('/employer-contacts/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readContactForm(request.body);
    try {
      await employers.recordEmployerContact(db, principal, contactInputFrom(values));
      return reply.redirect('/employer-contacts?done=recorded');
    } catch (error) {
      if (error instanceof ValidationFailed) return contactFormPage(reply.code(400), principal, values, placeContactErrors(error.errors));
      throw error;
    }
  });

  app.get('/employer-contacts/weekly', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const chosen = await whose(principal, text((request.query as Record<string, unknown>).specialist));
    const result = await employers.weeklyForSpecialist(db, principal, chosen.specialist);
    const heading = chosen.own ? 'Your employer contacts by week' : `Employer contacts by week: ${chosen.specialist.name}`;
    return reply.view('employers/views/weekly.njk', {
      pageTitle: heading,
      heading,
      ...chosen,
      filterAction: '/employer-contacts/weekly',
      standard: result.standard,
      weeks: [...result.weeks].reverse().map((week) => ({
        ...week,
        sharePercent: week.matchingShare === null ? null : Math.round(week.matchingShare * 100),
        logHref: contactLogHref({ specialist: chosen.specialistParam, week: week.weekStart }),
      })),
    });
  });
}
