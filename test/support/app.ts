import type { FastifyInstance } from 'fastify';
import { SYSTEM_ACTOR } from '../../src/platform/audit/service.ts';
import { totpAt, timeStep } from '../../src/platform/auth/totp.ts';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import type { Deps } from '../../src/platform/http/deps.ts';
import { createRuntime } from '../../src/platform/runtime.ts';
import * as organisations from '../../src/modules/organisations/service.ts';
import * as users from '../../src/modules/users/service.ts';
import { freshDatabase } from './database.ts';
import { Browser } from './browser-session.ts';
import { directPrincipal } from '../../src/platform/http/context.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  config: Config;
  close(): Promise<void>;
  /** A signed-out client with its own cookies. */
  browser(): Browser;
  /** Creates an organisation (with a team) and returns its id. */
  organisation(name: string, kind?: 'provider' | 'commissioner' | 'operator'): Promise<{ id: string; teamId: string }>;
  /** Creates an active user with TEST_PASSWORD. */
  user(organisationId: string, role: string, email?: string): Promise<{ id: string; email: string }>;
  /** How many live session rows a user has. */
  sessionCount(userId: string): Promise<number>;
  /** A client signed in as a new user of that role, past two-factor where the role needs it. */
  signedIn(organisationId: string, role: string): Promise<{ browser: Browser; userId: string; email: string }>;
}

let userCounter = 0;

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-hmac-0123456789',
    BASE_URL: 'http://localhost:3000',
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  });
  const { database, drop } = await freshDatabase();
  const runtime = await createRuntime(config, { database });
  await runtime.app.ready();
  const { app, deps } = runtime;

  const testApp: TestApp = {
    app,
    deps,
    config,
    async close() {
      await runtime.close();
      await drop();
    },
    browser: () => new Browser(app),
    async organisation(name, kind = 'provider') {
      const organisation = await organisations.createOrganisation(deps.db, SYSTEM_ACTOR, { name, kind });
      const team = await organisations.createTeam(deps.db, SYSTEM_ACTOR, organisation.id, `${name} team`);
      return { id: organisation.id, teamId: team.id };
    },
    async user(organisationId, role, email) {
      userCounter += 1;
      const address = email ?? `user${userCounter}-${Date.now()}@example.org`;
      const user = await users.createUserWithPassword(deps.db, SYSTEM_ACTOR, {
        organisationId,
        email: address,
        displayName: `Test ${role} ${userCounter}`,
        role,
        password: TEST_PASSWORD,
      });
      return { id: user.id, email: address };
    },
    async sessionCount(userId) {
      const row = await deps.db
        .selectFrom('user_session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async signedIn(organisationId, role) {
      const user = await testApp.user(organisationId, role);
      const browser = testApp.browser();
      const response = await browser.submit('/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
      if (response.headers.location === '/account/two-factor/setup') {
        const setup = await browser.get('/account/two-factor/setup');
        const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(setup.body)?.[1]?.replace(/ /g, '');
        if (!secret) throw new Error('No TOTP secret on the setup page');
        await browser.submit('/account/two-factor/setup', '/account/two-factor/setup', {
          code: totpAt(secret, timeStep(new Date())),
        });
        browser.totpSecret = secret;
      }
      return { browser, userId: user.id, email: user.email };
    },
  };
  return testApp;
}

/** A bearer token for the API, created the way an admin would. */
export async function apiTokenFor(t: TestApp, organisationId: string, role: 'manager' | 'practitioner' | 'commissioner'): Promise<string> {
  const { createToken } = await import('../../src/modules/api-tokens/service.ts');
  const admin = await t.user(organisationId, 'organisation_admin');
  const created = await createToken(
    t.deps.db,
    directPrincipal({ id: organisationId, name: 'test' }, 'organisation_admin', { id: admin.id, displayName: 'Test admin', email: admin.email }),
    { name: `token for ${role}`, role },
  );
  return created.token;
}
