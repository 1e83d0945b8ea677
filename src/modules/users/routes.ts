import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePrincipal } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { userApiRoutes } from './api.ts';
import { userManagementRoutes } from './manage-routes.ts';
import * as users from './service.ts';

const PAGE_SIZE = 25;
type Params = { id: string };

/** The list's address for some filters and a page: empty filters and page 1 are left out, so links stay short. */
export function listHref(filters: users.UserFilters, page = 1): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin/users?${query}` : '/admin/users';
}

/** Where the user page's back link goes: the list as it was, read from the `list` parameter and rebuilt from known filters only. */
function backToList(value: unknown): string {
  if (typeof value !== 'string') return '/admin/users';
  const params = new URLSearchParams(value);
  return listHref(users.normaliseFilters(Object.fromEntries(params)), pageNumber(params.get('page') ?? undefined));
}

const DONE_MESSAGES: Record<string, (user: users.UserView) => string> = {
  invited: (user) => `Invitation sent to ${user.email}`,
  resent: (user) => `Invitation sent again to ${user.email}`,
  updated: (user) => `Role and team saved for ${user.displayName}`,
  deactivated: (user) => `${user.displayName} has been deactivated and signed out everywhere`,
  reactivated: (user) => `${user.displayName} has been reactivated`,
  unlocked: (user) => `${user.displayName} can sign in again`,
};

function invitationValues(body: unknown): users.Invitation {
  return {
    email: formString(body, 'email'),
    displayName: formString(body, 'displayName'),
    role: formString(body, 'role'),
    teamId: formString(body, 'team'),
    practitionerKind: formString(body, 'practitionerKind'),
  };
}

export async function userRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/admin/users', async (request, reply) => {
    const principal = requirePrincipal(request);
    const query = request.query as Record<string, unknown>;
    const filters = users.normaliseFilters(query);
    const page = pageNumber(query.page);
    const { users: rows, total } = await users.listUsers(db, principal, filters, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const pages = pageCount(total, PAGE_SIZE);
    if (page > pages) return reply.redirect(listHref(filters, pages));
    const current = listHref(filters, page);
    const listParam = current.includes('?') ? `?list=${encodeURIComponent(current.split('?')[1])}` : '';
    return reply.view('users/views/list.njk', {
      pageTitle: pages > 1 ? `Users (page ${page} of ${pages})` : 'Users',
      users: rows,
      total,
      filters,
      filtered: Object.values(filters).some(Boolean),
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + rows.length,
      pagination: pagination(page, pages, (n) => listHref(filters, n)),
      listParam,
      roles: users.ROLE_CHOICES,
      statuses: users.USER_STATUSES.map((status) => ({ value: status, text: users.STATUS_LABELS[status] })),
      teams: await users.teamChoices(db, principal),
      canInvite: users.permittedActions(principal).invite,
    });
  });

  async function invitePage(reply: FastifyReply, principal: Principal, context: Record<string, unknown> = {}) {
    const choices = await users.assignmentChoices(db, principal);
    return reply.view('users/views/invite.njk', { pageTitle: 'Invite a user', ...choices, values: {}, ...context });
  }

  app.get('/admin/users/invite', async (request, reply) => invitePage(reply, requirePrincipal(request)));

  app.post('/admin/users/invite', async (request, reply) => {
    const principal = requirePrincipal(request);
    const values = invitationValues(request.body);
    try {
      const user = await users.inviteUser(deps, principal, values);
      return reply.redirect(`/admin/users/${user.id}?done=invited`);
    } catch (error) {
      if (error instanceof ValidationFailed) return invitePage(reply.code(400), principal, { values, errors: error.errors });
      throw error;
    }
  });

  app.get<{ Params: Params }>('/admin/users/:id', async (request, reply) => {
    const principal = requirePrincipal(request);
    const user = await users.getUser(db, principal, request.params.id);
    const query = request.query as Record<string, unknown>;
    const done = typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined;
    return reply.view('users/views/user.njk', {
      pageTitle: user.displayName,
      user,
      actions: users.permittedActions(principal, user),
      backHref: backToList(query.list),
      flash: done?.(user),
    });
  });

  await userManagementRoutes(app, deps);
  await userApiRoutes(app, deps);
}
