import type { FastifyRequest } from 'fastify';
import { type Action, can } from '../auth/permissions.ts';
import type { Principal } from './context.ts';
import { Forbidden, HttpError } from './errors.ts';

/** Thrown when there is no signed-in user; pages redirect to sign in, the API answers 401. */
export class SignInRequired extends HttpError {
  constructor() {
    super(401, 'Unauthorised', 'Sign in, or send a valid API token, to use this.');
  }
}

/** Thrown for a session still waiting on its second factor. */
export class SecondFactorRequired extends HttpError {
  readonly enrolled: boolean;
  constructor(enrolled: boolean) {
    super(401, 'Two-factor authentication required');
    this.enrolled = enrolled;
  }
}

export function requirePrincipal(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (!principal) throw new SignInRequired();
  if (!principal.fullySignedIn) throw new SecondFactorRequired(principal.twoFactorEnabled);
  return principal;
}

export function requirePermission(request: FastifyRequest, action: Action): Principal {
  const principal = requirePrincipal(request);
  if (!can(principal.role, action)) throw new Forbidden();
  return principal;
}

/** For services: the same check, when a service is called with a principal rather than a request. */
export function assertCan(principal: Principal, action: Action): void {
  if (!can(principal.role, action)) throw new Forbidden();
}
