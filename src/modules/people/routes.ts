import type { FastifyInstance, FastifyReply } from 'fastify';
import { can } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/http/context.ts';
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { listEpisodesForPerson } from '../episodes/service.ts';
import { peopleApiRoutes } from './api.ts';
import { personEditRoutes } from './edit-routes.ts';
import { formChoices } from './form-choices.ts';
import { validateIdentifiers } from './identifiers.ts';
import { DATE_FIELD, formValues, pageErrors, readDateOfBirth, readPersonForm, readSearchFields, type SearchFields, searchHiddenFields } from './person-form.ts';
import * as people from './service.ts';

const PAGE_SIZE = 25;
type Params = { id: string };

interface ListQuery {
  name: string;
  identifier: string;
  dateOfBirth: DateParts;
}

/** The list's address for a search and a page: empty values and page 1 are left out. */
function listHref(search: ListQuery, page = 1): string {
  const params = new URLSearchParams();
  if (search.name) params.set('name', search.name);
  if (search.identifier) params.set('identifier', search.identifier);
  for (const part of ['day', 'month', 'year'] as const) {
    if (search.dateOfBirth[part]) params.set(`dateOfBirth-${part}`, search.dateOfBirth[part]);
  }
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/people?${query}` : '/people';
}

const DONE_MESSAGES: Record<string, string> = {
  created: 'Person record created',
  updated: 'Changes saved',
  merged: 'Records merged',
};

export async function peopleRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/people', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const search: ListQuery = {
      name: formString(query, 'name').slice(0, 100),
      identifier: formString(query, 'identifier').slice(0, 30),
      dateOfBirth: readDateParts(query, 'dateOfBirth'),
    };
    const errors: DateFieldError[] = [];
    const date = parseDateInput(search.dateOfBirth, 'Date of birth', 'dateOfBirth', errors);
    const page = pageNumber(query.page);
    const filtered = Boolean(search.name || search.identifier || date);
    const { people: rows, total } = await people.listPeople(
      db,
      principal,
      { name: search.name, identifier: search.identifier, dateOfBirth: date ? isoDate(date) : null },
      { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    );
    const pages = pageCount(total, PAGE_SIZE);
    if (page > pages) return reply.redirect(listHref(search, pages));
    return reply.view('people/views/list.njk', {
      pageTitle: pages > 1 ? `People (page ${page} of ${pages})` : 'People',
      people: rows,
      total,
      search,
      filtered,
      errors,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + rows.length,
      pagination: pagination(page, pages, (n) => listHref(search, n)),
      canCreate: can(principal.role, 'people:edit'),
    });
  });

  function searchPage(reply: FastifyReply, values: SearchFields, errors: DateFieldError[] = []) {
    return reply.view('people/views/new.njk', { pageTitle: 'Add a person: check they are not already recorded', values, errors });
  }

  app.get('/people/new', async (request, reply) => {
    requirePermission(request, 'people:edit');
    return searchPage(reply, readSearchFields({}));
  });

  // Search before create: show likely duplicates, or carry the search into the full form.
  app.post('/people/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readSearchFields(request.body);
    const errors: DateFieldError[] = [];
    if (!values.givenName) errors.push({ field: 'givenName', text: 'Enter their first name' });
    if (!values.familyName) errors.push({ field: 'familyName', text: 'Enter their last name' });
    const dateOfBirth = readDateOfBirth(request.body, errors);
    errors.push(...validateIdentifiers(values).errors);
    if (errors.length > 0) return searchPage(reply.code(400), values, errors);
    const matches = await people.findMatches(db, principal, {
      name: `${values.givenName} ${values.familyName}`,
      dateOfBirth: dateOfBirth.iso ?? undefined,
      identifiers: values,
    });
    return reply.view('people/views/matches.njk', {
      pageTitle: matches.length ? 'Is this person already recorded?' : 'No existing record found',
      matches,
      hidden: searchHiddenFields(values),
    });
  });

  async function createPage(reply: FastifyReply, principal: Principal, values: ReturnType<typeof formValues>, errors: DateFieldError[] = []) {
    return reply.view('people/views/create.njk', {
      pageTitle: 'Add a person',
      values,
      errors,
      ...(await formChoices(deps, principal, values)),
    });
  }

  // "None of these": the full form, filled in from the search.
  app.post('/people/new/details', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { input, dateParts } = readPersonForm(request.body, false);
    return createPage(reply, principal, formValues(input, dateParts));
  });

  app.post('/people', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { input, dateParts, errors } = readPersonForm(request.body, can(principal.role, 'people:view-restricted'));
    const allErrors = [...errors, ...pageErrors(await people.personErrors(db, principal, input, DATE_FIELD))];
    if (allErrors.length > 0) return createPage(reply.code(400), principal, formValues(input, dateParts), allErrors);
    try {
      const person = await people.createPerson(db, principal, input, DATE_FIELD);
      return reply.redirect(`/people/${person.id}?done=created`);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        return createPage(reply.code(400), principal, formValues(input, dateParts), pageErrors(error.errors));
      }
      throw error;
    }
  });

  app.get<{ Params: Params }>('/people/:id', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const { person, mergedIntoId } = await people.viewPerson(db, principal, request.params.id);
    if (mergedIntoId) return reply.redirect(`/people/${mergedIntoId}`);
    const query = request.query as Record<string, unknown>;
    return reply.view('people/views/person.njk', {
      pageTitle: person!.name,
      person,
      episodes: await listEpisodesForPerson(db, principal, request.params.id, { personFound: true }),
      flash: typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined,
      canEdit: can(principal.role, 'people:edit'),
      canMerge: can(principal.role, 'people:merge'),
      canExport: can(principal.role, 'people:subject-access'),
      canErase: can(principal.role, 'people:erase'),
      canViewRestricted: can(principal.role, 'people:view-restricted'),
    });
  });

  // A POST, not a link: seeing restricted fields is a deliberate act, and each one is audited.
  app.post<{ Params: Params }>('/people/:id/restricted', async (request, reply) => {
    const principal = requirePermission(request, 'people:view-restricted');
    const summary = await people.getPersonSummary(db, principal, request.params.id);
    const restricted = await people.revealRestricted(db, principal, request.params.id);
    return reply.view('people/views/restricted.njk', {
      pageTitle: `Restricted information: ${summary.givenName} ${summary.familyName}`,
      person: summary,
      restricted,
    });
  });

  await personEditRoutes(app, deps);
  await peopleApiRoutes(app, deps);
}
