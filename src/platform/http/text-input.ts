import type { FastifyInstance } from 'fastify';
import { type FieldError, ValidationFailed } from './errors.ts';

const NUL = '\u0000';
const MAX_DEPTH = 20;

/**
 * Where a NUL character (U+0000) hides in a parsed body or query: the field's
 * path ("name", "person/givenName"), or null if there is none. PostgreSQL text
 * cannot hold NUL, so such a value would fail at the database as a 500.
 */
export function fieldWithNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path || 'body' : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    const here = path ? `${path}/${key}` : key;
    if (key.includes(NUL)) return here;
    const found = fieldWithNul(item, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses, with a 400 that names the field, any form, API body or query that
 * carries a NUL character, before a route passes it to a service. Runs as a
 * preHandler, after the CSRF check (registered before it) and the API's
 * schema validation, so those answer first.
 */
export function registerTextInputGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const field = fieldWithNul(request.body) ?? fieldWithNul(request.query);
    if (field) {
      const error: FieldError = { field, text: 'Text must not contain the NUL character (U+0000). Remove it and try again' };
      throw new ValidationFailed([error]);
    }
  });
}
