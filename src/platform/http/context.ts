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
