import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { employerApiRoutes } from './api.ts';
import { employerContactRoutes } from './contact-routes.ts';
import {
  blankEmployerForm,
  blankVacancyForm,
  type EmployerFormValues,
  employerFormFrom,
  readEmployerForm,
  readPersonForm,
  readVacancyForm,
  type VacancyFormValues,
  vacancyInputFrom,
} from './employer-form.ts';
import type { EmployerPersonInput } from './employer-rules.ts';
import { parseVersion } from '../custody/episode-access.ts';
import * as employers from './service.ts';

const PAGE_SIZE = 25;
type EmployerParams = { employerId: string };
type VacancyParams = { employerId: string; vacancyId: string };

const DONE_MESSAGES: Record<string, string> = {
  created: 'Employer added',
  updated: 'Employer updated',
  person: 'Contact person added',
  vacancy: 'Vacancy added',
  filled: 'Vacancy marked as filled',
};

type ListState = { q: string; sector: string; area: string; openness: string; forEpisode?: string };

/** The list's address: every filter and the page are kept in every link. */
export function employersHref(state: ListState, page = 1): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'sector', 'area', 'openness', 'forEpisode'] as const) {
    const value = state[key];
    if (value) params.set(key, value);
  }
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/employers${query ? `?${query}` : ''}`;
}

const OPENNESS_FILTER = [
  { value: '', text: 'Any' },
  ...employers.OPENNESS.map((value) => ({ value, text: employers.OPENNESS_LABELS[value] })),
];

export async function employerRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/employers', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const page = pageNumber(query.page);
    const forEpisode = typeof query.forEpisode === 'string' && query.forEpisode ? query.forEpisode : undefined;
    const result = await employers.searchEmployers(db, principal, query, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, forEpisode);
    const state: ListState = { ...result.filters, forEpisode: result.episode?.id };
    const pages = pageCount(result.total, PAGE_SIZE);
    if (page > pages) return reply.redirect(employersHref(state, pages));
    const heading = result.episode ? `Employers for ${result.episode.personName}` : 'Employers';
    return reply.view('employers/views/list.njk', {
      pageTitle: `${heading}${pages > 1 ? ` (page ${page} of ${pages})` : ''}`,
      heading,
      episode: result.episode,
      hasProfile: result.hasProfile,
      filters: result.filters,
      sectors: [{ value: '', text: 'Any sector' }, ...result.reference.options('employer_sector', result.filters.sector, 'selected')],
      openness: OPENNESS_FILTER.map((item) => ({ ...item, selected: item.value === result.filters.openness })),
      employers: result.employers,
      total: result.total,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + result.employers.length,
      pagination: pagination(page, pages, (n) => employersHref(state, n)),
      canEdit: employers.canEdit(principal),
    });
  });

  async function employerFormPage(reply: FastifyReply, principal: Principal, context: { values: EmployerFormValues; errors?: unknown[]; employerId?: string }) {
    const reference = await employers.employerReferenceData(db, principal);
    const { values, employerId } = context;
    return reply.view('employers/views/form.njk', {
      pageTitle: employerId ? `Change ${values.name || 'employer'}` : 'Add an employer',
      action: employerId ? `/employers/${employerId}/edit` : '/employers/new',
      cancelHref: employerId ? `/employers/${employerId}` : '/employers',
      values,
      errors: context.errors,
      sectors: [{ value: '', text: 'Not known' }, ...reference.options('employer_sector', values.sector, 'selected')],
      sizes: [{ value: '', text: 'Not known' }, ...reference.options('employer_size', values.size, 'selected')],
      jobTypes: reference.choices('soc_major_group').map((item) => ({ value: item.code, text: item.label, checked: values.jobTypes.includes(item.code) })),
      workFeatures: reference.choices('work_feature').map((item) => ({ value: item.code, text: item.label, checked: values.workFeatures.includes(item.code) })),
      openness: employers.OPENNESS.map((value) => ({ value, text: employers.OPENNESS_LABELS[value], checked: values.openToConvictions === value })),
    });
  }

  app.get('/employers/new', async (request, reply) =>
    employerFormPage(reply, requirePermission(request, 'people:edit'), { values: blankEmployerForm() }),
  );

  app.post('/employers/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readEmployerForm(request.body);
    try {
      const id = await employers.createEmployer(db, principal, values);
      return reply.redirect(`/employers/${id}?done=created`);
    } catch (error) {
      if (error instanceof ValidationFailed) return employerFormPage(reply.code(400), principal, { values, errors: error.errors });
      throw error;
    }
  });

  app.get<{ Params: EmployerParams }>('/employers/:employerId', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const details = await employers.getEmployer(db, principal, request.params.employerId);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('employers/views/employer.njk', {
      pageTitle: details.employer.name,
      ...details,
      canEdit: employers.canEdit(principal),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  app.get<{ Params: EmployerParams }>('/employers/:employerId/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const employer = await employers.getEmployerSummary(db, principal, request.params.employerId);
    return employerFormPage(reply, principal, { values: employerFormFrom(employer), employerId: employer.id });
  });

  app.post<{ Params: EmployerParams }>('/employers/:employerId/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const employer = await employers.getEmployerSummary(db, principal, request.params.employerId);
    const values = readEmployerForm(request.body);
    try {
      const result = await employers.updateEmployer(db, principal, employer.id, { ...values, version: parseVersion(values.version) });
      if (result.outcome === 'conflict') {
        return reply.code(409).view('employers/views/conflict.njk', { pageTitle: 'This employer was changed by someone else', current: result.current });
      }
      return reply.redirect(`/employers/${employer.id}?done=updated`);
    } catch (error) {
      if (error instanceof ValidationFailed) return employerFormPage(reply.code(400), principal, { values, errors: error.errors, employerId: employer.id });
      throw error;
    }
  });

  async function personFormPage(reply: FastifyReply, principal: Principal, employerId: string, values: EmployerPersonInput, errors?: unknown[]) {
    const employer = await employers.getEmployerSummary(db, principal, employerId);
    return reply.view('employers/views/person-form.njk', { pageTitle: `Add a contact person at ${employer.name}`, employer, values, errors });
  }

  app.get<{ Params: EmployerParams }>('/employers/:employerId/people/new', async (request, reply) =>
    personFormPage(reply, requirePermission(request, 'people:edit'), request.params.employerId, readPersonForm({})),
  );

  app.post<{ Params: EmployerParams }>('/employers/:employerId/people/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readPersonForm(request.body);
    try {
      await employers.addEmployerPerson(db, principal, request.params.employerId, values);
      return reply.redirect(`/employers/${request.params.employerId}?done=person`);
    } catch (error) {
      if (error instanceof ValidationFailed) return personFormPage(reply.code(400), principal, request.params.employerId, values, error.errors);
      throw error;
    }
  });

  async function vacancyFormPage(reply: FastifyReply, principal: Principal, employerId: string, values: VacancyFormValues, errors?: unknown[]) {
    const employer = await employers.getEmployerSummary(db, principal, employerId);
    const reference = await employers.employerReferenceData(db, principal);
    return reply.view('employers/views/vacancy-form.njk', {
      pageTitle: `Add a vacancy at ${employer.name}`,
      employer,
      values,
      errors,
      kinds: [
        { value: 'job', text: 'Job', checked: values.kind === 'job' },
        { value: 'work_experience', text: 'Work-experience placement', checked: values.kind === 'work_experience' },
      ],
      jobTypes: [{ value: '', text: 'Not known' }, ...reference.options('soc_major_group', values.jobType, 'selected')],
    });
  }

  app.get<{ Params: EmployerParams }>('/employers/:employerId/vacancies/new', async (request, reply) =>
    vacancyFormPage(reply, requirePermission(request, 'people:edit'), request.params.employerId, blankVacancyForm()),
  );

  app.post<{ Params: EmployerParams }>('/employers/:employerId/vacancies/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readVacancyForm(request.body);
    try {
      await employers.addVacancy(db, principal, request.params.employerId, vacancyInputFrom(values));
      return reply.redirect(`/employers/${request.params.employerId}?done=vacancy`);
    } catch (error) {
      if (error instanceof ValidationFailed) return vacancyFormPage(reply.code(400), principal, request.params.employerId, values, error.errors);
      throw error;
    }
  });

  app.get<{ Params: VacancyParams }>('/employers/:employerId/vacancies/:vacancyId/filled', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { employer, vacancy } = await employers.getVacancy(db, principal, request.params.employerId, request.params.vacancyId);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Mark this vacancy as filled',
      question: `Mark “${vacancy.title}” at ${employer.name} as filled?`,
      explanation: 'It will stay on the employer’s page, shown as filled.',
      action: `/employers/${employer.id}/vacancies/${vacancy.id}/filled`,
      confirmText: 'Mark as filled',
      cancelHref: `/employers/${employer.id}`,
    });
  });

  app.post<{ Params: VacancyParams }>('/employers/:employerId/vacancies/:vacancyId/filled', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    await employers.markVacancyFilled(db, principal, request.params.employerId, request.params.vacancyId);
    return reply.redirect(`/employers/${request.params.employerId}?done=filled`);
  });

  await employerContactRoutes(app, deps);
  await employerApiRoutes(app, deps);
}
