import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { STAGE_LABELS } from '../engagement/service.ts';
import type { EpisodeHeader } from '../episodes/service.ts';
import { contactApiRoutes } from './api.ts';
import { blankContactForm, type ContactFormValues, contactFormFrom, contactInputFrom, placeErrors, readContactForm } from './contact-form.ts';
import * as contacts from './service.ts';

const PAGE_SIZE = 25;
type EpisodeParams = { id: string };
type ContactParams = { id: string; contactId: string };

/** The list's address: "Show deleted" and the page are kept in every link. */
export function contactsHref(episodeId: string, includeDeleted: boolean, page = 1): string {
  const params = new URLSearchParams();
  if (includeDeleted) params.set('deleted', 'include');
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/episodes/${episodeId}/contacts${query ? `?${query}` : ''}`;
}

const STAGE_MESSAGE = (stage: keyof typeof STAGE_LABELS) => `Contact saved. Stage: ${STAGE_LABELS[stage]}`;
const DONE_MESSAGES: Record<string, string> = {
  updated: 'Contact updated',
  deleted: 'Contact deleted',
};

export async function contactRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: EpisodeParams }>('/episodes/:id/contacts', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const includeDeleted = query.deleted === 'include';
    const page = pageNumber(query.page);
    const { episode, contacts: rows, total } = await contacts.listContacts(db, principal, request.params.id, {
      includeDeleted,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const pages = pageCount(total, PAGE_SIZE);
    if (page > pages) return reply.redirect(contactsHref(episode.id, includeDeleted, pages));
    const saved = typeof query.saved === 'string' && query.saved in STAGE_LABELS ? STAGE_MESSAGE(query.saved as keyof typeof STAGE_LABELS) : undefined;
    return reply.view('contacts/views/list.njk', {
      pageTitle: `Contacts: ${episode.personName}${pages > 1 ? ` (page ${page} of ${pages})` : ''}`,
      episode,
      contacts: rows,
      total,
      includeDeleted,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + rows.length,
      pagination: pagination(page, pages, (n) => contactsHref(episode.id, includeDeleted, n)),
      listQuery: includeDeleted || page > 1 ? `?list=${encodeURIComponent(contactsHref(episode.id, includeDeleted, page).split('?')[1])}` : '',
      canEdit: contacts.canEdit(principal),
      flash: saved ?? (typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined),
    });
  });

  async function formPage(
    reply: FastifyReply,
    principal: Principal,
    episode: EpisodeHeader,
    context: { values: ContactFormValues; errors?: unknown[]; contactId?: string },
  ) {
    const reference = await contacts.contactReferenceData(db, principal);
    const { values } = context;
    return reply.view('contacts/views/form.njk', {
      pageTitle: context.contactId ? 'Change contact' : 'Record a contact',
      episode,
      action: context.contactId ? `/episodes/${episode.id}/contacts/${context.contactId}/edit` : `/episodes/${episode.id}/contacts/new`,
      cancelHref: context.contactId ? `/episodes/${episode.id}/contacts/${context.contactId}` : `/episodes/${episode.id}/contacts`,
      values,
      errors: context.errors,
      types: reference.options('contact_type', values.type),
      settings: reference.options('contact_setting', values.setting),
      withs: reference.options('contact_with', values.with),
      pathways: [{ value: '', text: 'None', selected: !values.pathway }, ...reference.options('pathway', values.pathway, 'selected')],
    });
  }

  app.get<{ Params: EpisodeParams }>('/episodes/:id/contacts/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await contacts.episodeFor(db, principal, request.params.id);
    return formPage(reply, principal, episode, { values: blankContactForm() });
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/contacts/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await contacts.episodeFor(db, principal, request.params.id);
    const values = readContactForm(request.body);
    try {
      const saved = await contacts.createContact(db, principal, episode.id, contactInputFrom(values));
      return reply.redirect(`/episodes/${episode.id}/contacts?saved=${saved.stage}`);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        return formPage(reply.code(400), principal, episode, { values, errors: placeErrors(error.errors, values) });
      }
      throw error;
    }
  });

  app.get<{ Params: ContactParams }>('/episodes/:id/contacts/:contactId', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const { episode, contact, revisions } = await contacts.getContact(db, principal, request.params.id, request.params.contactId);
    const list = (request.query as Record<string, unknown>).list;
    const back = typeof list === 'string' ? contactsHref(episode.id, new URLSearchParams(list).get('deleted') === 'include', pageNumber(new URLSearchParams(list).get('page') ?? undefined)) : contactsHref(episode.id, false);
    return reply.view('contacts/views/contact.njk', {
      pageTitle: `Contact: ${episode.personName}`,
      flash: (request.query as Record<string, unknown>).done === 'updated' ? DONE_MESSAGES.updated : undefined,
      episode,
      contact,
      revisions,
      backHref: back,
      canEdit: contacts.canEdit(principal) && !contact.deleted,
    });
  });

  app.get<{ Params: ContactParams }>('/episodes/:id/contacts/:contactId/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { episode, contact } = await contacts.getEditableContact(db, principal, request.params.id, request.params.contactId);
    return formPage(reply, principal, episode, { values: contactFormFrom(contact), contactId: contact.id });
  });

  app.post<{ Params: ContactParams }>('/episodes/:id/contacts/:contactId/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { id, contactId } = request.params;
    const episode = await contacts.episodeFor(db, principal, id);
    const values = readContactForm(request.body);
    try {
      const result = await contacts.updateContact(db, principal, episode.id, contactId, { ...contactInputFrom(values), version: values.version ?? '' });
      if (result.outcome === 'conflict') {
        return reply.code(409).view('contacts/views/conflict.njk', { pageTitle: 'This contact was changed by someone else', episode, current: result.current });
      }
      return reply.redirect(`/episodes/${episode.id}/contacts/${contactId}?done=updated`);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        return formPage(reply.code(400), principal, episode, { values, errors: placeErrors(error.errors, values), contactId });
      }
      throw error;
    }
  });

  async function deletePage(reply: FastifyReply, principal: Principal, params: ContactParams, context: { reason?: string; errors?: unknown[] } = {}) {
    const { episode, contact } = await contacts.getEditableContact(db, principal, params.id, params.contactId);
    return reply.view('contacts/views/delete.njk', { pageTitle: 'Delete this contact', episode, contact, ...context });
  }

  app.get<{ Params: ContactParams }>('/episodes/:id/contacts/:contactId/delete', async (request, reply) =>
    deletePage(reply, requirePermission(request, 'people:edit'), request.params),
  );

  app.post<{ Params: ContactParams }>('/episodes/:id/contacts/:contactId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const reason = formString(request.body, 'reason');
    try {
      await contacts.deleteContact(db, principal, request.params.id, request.params.contactId, reason);
      return reply.redirect(`/episodes/${request.params.id}/contacts?done=deleted`);
    } catch (error) {
      if (error instanceof ValidationFailed) return deletePage(reply.code(400), principal, request.params, { reason, errors: error.errors });
      throw error;
    }
  });

  await contactApiRoutes(app, deps);
}
