import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/http/deps.ts';
import { accountRoutes } from './accounts/routes.ts';
import { homeRoutes } from './home/routes.ts';

/** Every module's routes, registered in this order by the app. */
export const routeModules: Array<(app: FastifyInstance, deps: Deps) => Promise<void>> = [homeRoutes, accountRoutes];
