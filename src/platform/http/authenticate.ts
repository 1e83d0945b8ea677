import type { FastifyInstance } from 'fastify';
import { principalForApiToken, principalForSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { Deps } from './deps.ts';
import { SignInRequired } from './guards.ts';

export function isApiRequest(url: string): boolean {
  return url === '/api' || url.startsWith('/api/');
}

/**
 * Works out who is asking. Pages use the session cookie; the API accepts only
 * bearer tokens, never cookies, so a page cannot be tricked into calling it
 * with the user's session.
 */
export function registerAuthentication(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/public/') || request.url.startsWith('/assets/')) return;
    if (isApiRequest(request.url)) {
      const header = request.headers.authorization;
      const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      request.principal = match ? await principalForApiToken(deps.db, match[1]) : null;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    request.principal = token ? await principalForSession(deps.db, deps.config, token) : null;
  });
  // An API call without a valid token is answered 401 before its body or query is validated, so an
  // unauthenticated caller learns nothing from validation errors. Public API routes say so in their config.
  app.addHook('preValidation', async (request) => {
    const config = request.routeOptions.config as { public?: boolean } | undefined;
    if (isApiRequest(request.url) && !request.principal && !config?.public) throw new SignInRequired();
  });
}
