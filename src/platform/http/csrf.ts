import type { FastifyInstance, FastifyReply } from 'fastify';
import { hmac, randomToken, safeEqual } from '../auth/secrets.ts';
import type { Config } from '../config.ts';
import { isApiRequest } from './authenticate.ts';
import { HttpError } from './errors.ts';

export const CSRF_COOKIE = 'tg_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class CsrfRejected extends HttpError {
  constructor() {
    super(403, 'Forbidden', 'The form was out of date or did not come from this service. Go back, reload the page and try again.');
  }
}

/**
 * Signed double-submit: a random HttpOnly cookie, and in each form an HMAC of
 * it under the server secret. A cross-site form can neither read the cookie
 * nor compute the HMAC. The API is exempt because it accepts no cookies.
 */
export function registerCsrf(app: FastifyInstance, config: Config): void {
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (request, reply) => {
    if (isApiRequest(request.url) || request.url.startsWith('/public/') || request.url.startsWith('/assets/')) return;
    let secret = request.cookies[CSRF_COOKIE];
    if (!secret || secret.length < 32) {
      secret = randomToken();
      setCsrfCookie(reply, config, secret);
    }
    request.csrfToken = hmac(config.sessionSecret, secret);
  });

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE.has(request.method) || isApiRequest(request.url)) return;
    const cookie = request.cookies[CSRF_COOKIE];
    const body = request.body as Record<string, unknown> | undefined;
    const submitted = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
    if (!cookie || typeof submitted !== 'string' || !safeEqual(submitted, hmac(config.sessionSecret, cookie))) {
      throw new CsrfRejected();
    }
  });
}

/** A new CSRF secret at sign-in, so a token seen before signing in is useless after. */
export function rotateCsrf(reply: FastifyReply, config: Config): string {
  const secret = randomToken();
  setCsrfCookie(reply, config, secret);
  reply.request.csrfToken = hmac(config.sessionSecret, secret);
  return secret;
}

function setCsrfCookie(reply: FastifyReply, config: Config, secret: string): void {
  reply.setCookie(CSRF_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
  });
}
