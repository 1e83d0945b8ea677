import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { routeModules } from '../../modules/index.ts';
import { sha256 } from '../auth/secrets.ts';
import { createViewEnvironment } from '../views/render.ts';
import { isApiRequest, registerAuthentication } from './authenticate.ts';
import { registerCsrf } from './csrf.ts';
import { registerTextInputGuard } from './text-input.ts';
import type { Deps } from './deps.ts';
import { registerErrorHandling } from './error-handler.ts';
import { loggerOptions } from './logging.ts';
import { registerApiIdentity } from './api-identity.ts';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';
import { sendProblem } from './problem.ts';
import { registerViews } from './views.ts';

/** One method and URL pattern the router serves, as Fastify registered it (HEAD routes included). */
export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on this app, in registration order. */
    routeTable: readonly RouteEntry[];
    /** Compiles, in the background, the route schemas no request has needed yet (see lazy-schema-compilers.ts). */
    compileRemainingSchemas(): Promise<void>;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../../..');

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const { config } = deps;
  const schemaCompilers = lazySchemaCompilers();
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.environment === 'production',
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    schemaController: { compilersFactory: { buildValidator: schemaCompilers.buildValidator, buildSerializer: schemaCompilers.buildSerializer } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every route the app serves, recorded as it is added (before any plugin registers one), so that
  // tests such as the authorisation matrix can enumerate the router itself rather than a hand-kept list.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.decorate('compileRemainingSchemas', schemaCompilers.compileRemaining);
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      routeTable.push({ method: String(method).toUpperCase(), url: route.url });
    }
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.environment === 'production' ? [] : null,
      },
    },
    hsts: config.environment === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  // Every API route is rate limited per token (or per address when there is none), unless it sets its own limit.
  app.addHook('onRoute', (route) => {
    if (!isApiRequest(route.url) || route.config?.rateLimit) return;
    route.config = {
      ...route.config,
      rateLimit: {
        max: config.apiRateLimitPerMinute,
        timeWindow: '1 minute',
        keyGenerator: (request) => (request.headers.authorization ? sha256(request.headers.authorization) : request.ip),
      },
    };
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const error = new Error(`Too many requests: try again in ${context.after}.`) as Error & { statusCode: number };
      error.statusCode = 429;
      return error;
    },
  });
  await app.register(fastifyStatic, { root: path.join(ROOT, 'public'), prefix: '/public/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: path.join(ROOT, 'node_modules/govuk-frontend/dist/govuk/assets'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Throughgate API',
        version: '1.0.0',
        description: 'Organisation-scoped API. Authenticate with `Authorization: Bearer <token>`; errors are RFC 9457 problem+json.',
      },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    hideUntagged: true,
  });

  registerCsrf(app, config);
  registerTextInputGuard(app);
  registerAuthentication(app, deps);
  registerViews(app, createViewEnvironment({ watch: false }));
  registerErrorHandling(app);

  app.get('/health', { config: { public: true } }, async (_request, reply) => {
    try {
      await deps.database.withSession((session) => session.query('select 1'));
      return { status: 'ok', database: deps.database.kind };
    } catch {
      return sendProblem(reply, 503, 'Unavailable', 'The database is not answering.');
    }
  });

  app.get('/api/v1/openapi.json', { config: { public: true } }, async () => app.swagger());
  registerApiIdentity(app);

  for (const register of routeModules) {
    await register(app, deps);
  }
  return app;
}
