import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/** Links that carry secrets in their path; the secret part never reaches the logs. */
const SECRET_PATHS = /^(\/(?:password-reset|invitations)\/)[^/?]+/;

export function scrubUrl(url: string): string {
  const [path, query] = url.split('?');
  // Query strings can hold search terms (names); log that there was one, not what it said.
  return path.replace(SECRET_PATHS, '$1[redacted]') + (query ? '?[query]' : '');
}

/**
 * Structured logs with no personal data: request logs carry method, scrubbed
 * URL and status only; never bodies, cookies or authorisation headers.
 */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { id: request.id, method: request.method, url: scrubUrl(request.url) };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
