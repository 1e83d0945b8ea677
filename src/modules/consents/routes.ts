import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';

export async function consentRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
