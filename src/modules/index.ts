import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/http/deps.ts';
import { accountRoutes } from './accounts/routes.ts';
import { apiTokenRoutes } from './api-tokens/routes.ts';
import { auditLogRoutes } from './audit-log/routes.ts';
import { homeRoutes } from './home/routes.ts';
import { instanceAdminRoutes } from './instance-admin/routes.ts';
import { teamRoutes } from './organisations/routes.ts';
import { outboxRoutes } from './outbox/routes.ts';
import { userRoutes } from './users/routes.ts';

/** Every module's routes, registered in this order by the app. */
export const routeModules: Array<(app: FastifyInstance, deps: Deps) => Promise<void>> = [
  homeRoutes,
  accountRoutes,
  auditLogRoutes,
  apiTokenRoutes,
  outboxRoutes,
  userRoutes,
  teamRoutes,
  instanceAdminRoutes,
];
