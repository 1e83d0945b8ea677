import type { Role } from '../auth/permissions.ts';

/** Who is making a request. Every service call takes one, and scopes its queries by organisationId. */
export interface Principal {
  organisationId: string;
  organisationName: string;
  role: Role;
  userId: string | null;
  displayName: string;
  email: string | null;
  via: 'session' | 'api-token';
  sessionId: string | null;
  apiTokenId: string | null;
  /** False while a session waits for its second factor; such a session reaches only the two-factor pages. */
  fullySignedIn: boolean;
  twoFactorEnabled: boolean;
}

/**
 * Someone acting outside a web request and fully signed in: the command line
 * acting as the system (no user), or a named user in the benchmark, the soak
 * and tests. Requests get theirs from their session or token.
 */
export function directPrincipal(
  organisation: { id: string; name: string },
  role: Role,
  user: { id: string | null; displayName: string; email: string | null },
): Principal {
  return {
    organisationId: organisation.id,
    organisationName: organisation.name,
    role,
    userId: user.id,
    displayName: user.displayName,
    email: user.email,
    via: 'session',
    sessionId: null,
    apiTokenId: null,
    fullySignedIn: true,
    twoFactorEnabled: true,
  };
}

export function actorOf(principal: Principal): { userId: string | null; label: string } {
  return principal.via === 'api-token'
    ? { userId: null, label: `api-token:${principal.apiTokenId}` }
    : { userId: principal.userId, label: principal.displayName };
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    csrfToken: string;
  }
  interface FastifyReply {
    view(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}
