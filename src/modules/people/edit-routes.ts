import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { DateFieldError } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, ValidationFailed } from '../../platform/http/errors.ts';
import { formString, isUuid } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { DATE_FIELD, formValues, pageErrors, readPersonForm } from './person-form.ts';
import { formChoices } from './form-choices.ts';
import * as people from './service.ts';

type Params = { id: string };

/** Editing a person (with a version check) and merging a duplicate into them. */
export async function personEditRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  async function editPage(
    reply: FastifyReply,
    principal: Principal,
    record: Awaited<ReturnType<typeof people.personForEdit>>,
    values: ReturnType<typeof formValues>,
    version: number,
    errors: DateFieldError[] = [],
    reason = '',
  ) {
    return reply.view('people/views/edit.njk', {
      pageTitle: `Change details for ${record.input.givenName} ${record.input.familyName}`,
      person: { id: record.id, name: `${record.input.givenName} ${record.input.familyName}` },
      aliases: record.aliases,
      values,
      reason,
      version,
      errors,
      ...(await formChoices(deps, principal, values)),
    });
  }

  app.get<{ Params: Params }>('/people/:id/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const record = await people.personForEdit(db, principal, request.params.id);
    return editPage(reply, principal, record, formValues(record.input), record.version);
  });

  app.post<{ Params: Params }>('/people/:id/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const id = request.params.id;
    const version = /^\d{1,9}$/.test(formString(request.body, 'version')) ? Number(formString(request.body, 'version')) : -1;
    const record = await people.personForEdit(db, principal, id, { resubmitted: true });
    const { input, dateParts, errors } = readPersonForm(request.body, record.includeRestricted);
    const reason = formString(request.body, 'reason');
    const showForm = (formErrors: DateFieldError[]) =>
      editPage(reply.code(400), principal, record, formValues(input, dateParts), version, formErrors, reason);
    const allErrors = [...errors, ...pageErrors(await people.personErrors(db, principal, input, DATE_FIELD))];
    if (allErrors.length > 0) return showForm(allErrors);
    try {
      await people.updatePerson(db, principal, id, version, { ...input, reason }, DATE_FIELD);
      return reply.redirect(`/people/${id}?done=updated`);
    } catch (error) {
      if (error instanceof ValidationFailed) return showForm(pageErrors(error.errors));
      if (error instanceof Conflict) {
        return reply.code(409).view('people/views/conflict.njk', {
          pageTitle: 'This record was changed by someone else',
          person: { id: record.id, name: `${record.input.givenName} ${record.input.familyName}` },
        });
      }
      throw error;
    }
  });

  // Rectification history: who changed what, when, and the old values.
  app.get<{ Params: Params }>('/people/:id/history', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const history = await people.viewPersonHistory(db, principal, request.params.id);
    return reply.view('people/views/history.njk', { pageTitle: `Changes to the record: ${history.person.name}`, ...history });
  });

  // Merge step 1: find the duplicate by searching.
  app.get<{ Params: Params }>('/people/:id/merge', async (request, reply) => {
    const principal = requirePermission(request, 'people:merge');
    const kept = await people.getPersonSummary(db, principal, request.params.id);
    const name = formString(request.query, 'name').slice(0, 100);
    const results = name
      ? (await people.listPeople(db, principal, { name, identifier: '', dateOfBirth: null }, { limit: 20, offset: 0 })).people.filter(
          (person) => person.id !== kept.id,
        )
      : [];
    return reply.view('people/views/merge.njk', { pageTitle: `Merge a duplicate into ${kept.givenName} ${kept.familyName}`, kept, name, results });
  });

  // Merge step 2: ask first.
  app.get<{ Params: Params }>('/people/:id/merge/confirm', async (request, reply) => {
    const principal = requirePermission(request, 'people:merge');
    const kept = await people.getPersonSummary(db, principal, request.params.id);
    const otherId = formString(request.query, 'other');
    const duplicate = await people.getPersonSummary(db, principal, isUuid(otherId) ? otherId : 'none');
    const keptName = `${kept.givenName} ${kept.familyName}`;
    const duplicateName = `${duplicate.givenName} ${duplicate.familyName}`;
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: `Merge ${duplicateName} into ${keptName}`,
      question: `Merge ${duplicateName} into ${keptName}?`,
      explanation: `The record for ${duplicateName}${duplicate.dateOfBirth ? ` (born ${duplicate.dateOfBirth})` : ''} will be closed and point to ${keptName}${kept.dateOfBirth ? ` (born ${kept.dateOfBirth})` : ''}. Its episodes of support and other names move to ${keptName}, and ${duplicateName} is kept as another name. Both records keep their history. This cannot be undone here.`,
      action: `/people/${kept.id}/merge`,
      hidden: { otherId: duplicate.id },
      confirmText: 'Merge records',
      cancelHref: `/people/${kept.id}`,
      warning: true,
    });
  });

  app.post<{ Params: Params }>('/people/:id/merge', async (request, reply) => {
    const principal = requirePermission(request, 'people:merge');
    const otherId = formString(request.body, 'otherId');
    await people.mergePeople(db, principal, request.params.id, isUuid(otherId) ? otherId : 'none');
    return reply.redirect(`/people/${request.params.id}?done=merged`);
  });
}
