import type { FastifyInstance } from 'fastify';
import { API_TOKEN_ROLES, ROLE_LABELS } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import * as apiTokens from './service.ts';

type Params = { id: string };

const ROLE_HINTS: Record<(typeof API_TOKEN_ROLES)[number], string> = {
  manager: 'The same access as a team manager, including restricted fields.',
  practitioner: 'The same access as a practitioner.',
  commissioner: 'Aggregate figures only, like a commissioner.',
};

const roleItems = (selected: string) =>
  API_TOKEN_ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], hint: { text: ROLE_HINTS[role] }, checked: role === selected }));

export async function apiTokenRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/admin/api-tokens', async (request, reply) => {
    const principal = requirePermission(request, 'api-tokens:manage');
    const tokens = await apiTokens.listTokens(db, principal);
    const done = (request.query as Record<string, unknown>).done;
    return reply.view('api-tokens/views/index.njk', {
      pageTitle: 'API tokens',
      tokens: tokens.map((token) => ({ ...token, roleLabel: ROLE_LABELS[token.role as keyof typeof ROLE_LABELS] ?? token.role })),
      flash: done === 'revoked' ? 'The token has been revoked. Anything using it can no longer reach the API.' : undefined,
    });
  });

  app.get('/admin/api-tokens/new', async (request, reply) => {
    requirePermission(request, 'api-tokens:manage');
    return reply.view('api-tokens/views/new.njk', { pageTitle: 'Create an API token', roleItems: roleItems('') });
  });

  app.post('/admin/api-tokens/new', async (request, reply) => {
    const principal = requirePermission(request, 'api-tokens:manage');
    const input = { name: formString(request.body, 'name'), role: formString(request.body, 'role') };
    try {
      const created = await apiTokens.createToken(db, principal, input);
      // The token is in this response and nowhere else: no cache may keep it.
      reply.header('cache-control', 'no-store');
      return reply.view('api-tokens/views/created.njk', {
        pageTitle: 'API token created',
        created: { ...created, roleLabel: ROLE_LABELS[created.role as keyof typeof ROLE_LABELS] },
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return reply.code(400).view('api-tokens/views/new.njk', {
        pageTitle: 'Create an API token',
        name: input.name,
        roleItems: roleItems(input.role),
        errors: error.errors,
      });
    }
  });

  app.get<{ Params: Params }>('/admin/api-tokens/:id/revoke', async (request, reply) => {
    const principal = requirePermission(request, 'api-tokens:manage');
    const token = await apiTokens.getToken(db, principal, request.params.id);
    if (token.revoked_at) return reply.redirect('/admin/api-tokens');
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Revoke an API token',
      question: `Revoke the API token “${token.name}”?`,
      explanation: 'Anything using this token will be refused straight away. You cannot undo this.',
      action: `/admin/api-tokens/${token.id}/revoke`,
      confirmText: 'Revoke token',
      cancelHref: '/admin/api-tokens',
      warning: true,
    });
  });

  app.post<{ Params: Params }>('/admin/api-tokens/:id/revoke', async (request, reply) => {
    const principal = requirePermission(request, 'api-tokens:manage');
    await apiTokens.revokeToken(db, principal, request.params.id);
    return reply.redirect('/admin/api-tokens?done=revoked');
  });
}
