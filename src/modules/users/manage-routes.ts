import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePrincipal } from '../../platform/http/guards.ts';
import * as users from './service.ts';

type Params = { id: string };

/** Pages that change a user: role and team (with a version check), deactivate, reactivate, resend, unlock. */
export async function userManagementRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  async function editPage(
    reply: FastifyReply,
    principal: Principal,
    user: users.UserView,
    context: Record<string, unknown> = {},
  ) {
    const choices = await users.assignmentChoices(db, principal);
    return reply.view('users/views/edit.njk', {
      pageTitle: `Change role and team for ${user.displayName}`,
      user,
      ...choices,
      values: { role: user.role, teamId: user.teamId ?? '', practitionerKind: user.practitionerKind ?? '', version: user.version },
      ...context,
    });
  }

  app.get<{ Params: Params }>('/admin/users/:id/edit', async (request, reply) => {
    const principal = requirePrincipal(request);
    const user = await users.getManageableUser(db, principal, request.params.id);
    return editPage(reply, principal, user);
  });

  app.post<{ Params: Params }>('/admin/users/:id/edit', async (request, reply) => {
    const principal = requirePrincipal(request);
    const id = request.params.id;
    const values = {
      role: formString(request.body, 'role'),
      teamId: formString(request.body, 'team'),
      practitionerKind: formString(request.body, 'practitionerKind'),
      version: formString(request.body, 'version'),
    };
    let outcome: users.UpdateOutcome;
    try {
      outcome = await users.updateUser(db, principal, id, values);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        const user = await users.getManageableUser(db, principal, id);
        return editPage(reply.code(400), principal, user, { values, errors: error.errors });
      }
      throw error;
    }
    if (outcome.outcome === 'saved') return reply.redirect(`/admin/users/${id}?done=updated`);
    const choices = await users.assignmentChoices(db, principal);
    return reply.code(409).view('users/views/conflict.njk', {
      pageTitle: 'This user was changed by someone else',
      user: outcome.current,
      attempted: {
        role: choices.roles.find((role) => role.value === values.role)?.text ?? values.role,
        team: choices.teams.find((team) => team.value === values.teamId)?.text ?? 'No team',
      },
    });
  });

  app.get<{ Params: Params }>('/admin/users/:id/deactivate', async (request, reply) => {
    const principal = requirePrincipal(request);
    const user = await users.getManageableUser(db, principal, request.params.id);
    if (!users.permittedActions(principal, user).deactivate) return reply.redirect(`/admin/users/${user.id}`);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: `Deactivate ${user.displayName}`,
      question: `Deactivate ${user.displayName}?`,
      explanation: `${user.displayName} will be signed out on every device and will not be able to sign in until an administrator reactivates them.`,
      action: `/admin/users/${user.id}/deactivate`,
      confirmText: 'Deactivate user',
      cancelHref: `/admin/users/${user.id}`,
      warning: true,
    });
  });

  const actions = [
    { path: 'deactivate', done: 'deactivated', run: (principal: Principal, id: string) => users.deactivateUser(db, principal, id) },
    { path: 'reactivate', done: 'reactivated', run: (principal: Principal, id: string) => users.reactivateUser(db, principal, id) },
    { path: 'resend-invitation', done: 'resent', run: (principal: Principal, id: string) => users.resendInvitation(deps, principal, id) },
    { path: 'unlock', done: 'unlocked', run: (principal: Principal, id: string) => users.unlockUser(db, principal, id) },
  ];
  for (const action of actions) {
    app.post<{ Params: Params }>(`/admin/users/:id/${action.path}`, async (request, reply) => {
      const principal = requirePrincipal(request);
      await action.run(principal, request.params.id);
      return reply.redirect(`/admin/users/${request.params.id}?done=${action.done}`);
    });
  }
}
