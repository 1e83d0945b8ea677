import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import { navigationFor } from './navigation.ts';

/** reply.view(template, context): renders with what every page needs (user, nav, CSRF token, CSP nonce). */
export function registerViews(app: FastifyInstance, env: nunjucks.Environment): void {
  app.decorateReply('view', function view(template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const principal = request.principal;
    const html = env.render(template, {
      principal,
      navigation: principal?.fullySignedIn ? navigationFor(principal, request.url) : [],
      csrfToken: request.csrfToken,
      cspNonce: (this as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
      currentUrl: request.url,
      query: request.query ?? {},
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
}
