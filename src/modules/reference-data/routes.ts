import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import * as referenceData from './service.ts';

type ListParams = { list: string };
type ItemParams = { list: string; itemId: string };

const DONE_MESSAGES: Record<string, string> = {
  added: 'Item added',
  deactivated: 'Item deactivated: it is no longer offered in forms',
  reactivated: 'Item reactivated',
};

/** Reference lists (seeded and the organisation's own items) and the organisation's settings. */
export async function referenceDataRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/admin/reference-data', async (request, reply) => {
    const principal = requirePermission(request, 'reference-data:manage');
    return reply.view('reference-data/views/lists.njk', {
      pageTitle: 'Reference data',
      lists: await referenceData.listLists(db, principal),
    });
  });

  app.get<{ Params: ListParams }>('/admin/reference-data/:list', async (request, reply) => {
    const principal = requirePermission(request, 'reference-data:manage');
    const list = await referenceData.getList(db, principal, request.params.list);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('reference-data/views/list.njk', {
      pageTitle: list.label,
      list,
      values: {},
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  app.post<{ Params: ListParams }>('/admin/reference-data/:list', async (request, reply) => {
    const principal = requirePermission(request, 'reference-data:manage');
    const label = formString(request.body, 'label');
    try {
      await referenceData.addItem(db, principal, request.params.list, label);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const list = await referenceData.getList(db, principal, request.params.list);
      return reply.code(400).view('reference-data/views/list.njk', { pageTitle: list.label, list, values: { label }, errors: error.errors });
    }
    return reply.redirect(`/admin/reference-data/${request.params.list}?done=added`);
  });

  for (const action of [
    { path: 'deactivate', active: false, done: 'deactivated' },
    { path: 'reactivate', active: true, done: 'reactivated' },
  ]) {
    app.get<{ Params: ItemParams }>(`/admin/reference-data/:list/:itemId/${action.path}`, async (request, reply) => {
      const principal = requirePermission(request, 'reference-data:manage');
      const { list, item } = await referenceData.getOwnItem(db, principal, request.params.list, request.params.itemId);
      const listHref = `/admin/reference-data/${list.code}`;
      if (item.active === action.active) return reply.redirect(listHref);
      return reply.view('accounts/views/confirm.njk', {
        pageTitle: `${action.active ? 'Reactivate' : 'Deactivate'} ${item.label}`,
        question: `${action.active ? 'Reactivate' : 'Deactivate'} “${item.label}”?`,
        explanation: action.active
          ? `“${item.label}” will be offered again in forms that use the ${list.label.toLowerCase()} list.`
          : `“${item.label}” will no longer be offered in forms. Records that already use it keep it.`,
        action: `${listHref}/${item.id}/${action.path}`,
        confirmText: action.active ? 'Reactivate item' : 'Deactivate item',
        cancelHref: listHref,
        warning: !action.active,
      });
    });

    app.post<{ Params: ItemParams }>(`/admin/reference-data/:list/:itemId/${action.path}`, async (request, reply) => {
      const principal = requirePermission(request, 'reference-data:manage');
      await referenceData.setItemActive(db, principal, request.params.list, request.params.itemId, action.active);
      return reply.redirect(`/admin/reference-data/${request.params.list}?done=${action.done}`);
    });
  }

  app.get('/admin/settings', async (request, reply) => {
    const principal = requirePermission(request, 'settings:manage');
    const settings = await referenceData.getSettingsForEdit(db, principal);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('reference-data/views/settings.njk', {
      pageTitle: 'Settings',
      values: {
        engagedAfterContacts: String(settings.engagedAfterContacts),
        serviceArea: settings.serviceArea ?? '',
        version: String(settings.version),
      },
      flash: done === 'saved' ? 'Settings saved' : undefined,
    });
  });

  app.post('/admin/settings', async (request, reply) => {
    const principal = requirePermission(request, 'settings:manage');
    const values = {
      engagedAfterContacts: formString(request.body, 'engagedAfterContacts'),
      serviceArea: formString(request.body, 'serviceArea'),
      version: formString(request.body, 'version'),
    };
    try {
      await referenceData.updateSettings(db, principal, values);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return reply.code(400).view('reference-data/views/settings.njk', { pageTitle: 'Settings', values, errors: error.errors });
    }
    return reply.redirect('/admin/settings?done=saved');
  });
}
