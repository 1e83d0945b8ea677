/**
 * The authorisation matrix (issue 7): every route the router serves × every
 * caller (signed out, each role, each API-token role, no token) × the caller's
 * own organisation's records and another organisation's, each answer compared
 * with test/authorisation/expected-access.ts.
 *
 * Routes come from app.routeTable (recorded by an onRoute hook in app.ts), so
 * a new route fails this test until the table says who may use it. Requests
 * are real: :params are filled with real records, unsafe page methods carry a
 * valid CSRF token from the caller's own session, and API writes carry a
 * schema-valid body so that they reach the permission check. The point is
 * access, not success: a 400 from validation counts as "allowed".
 *
 * MATRIX_DUMP=/tmp/cells.tsv writes every cell (route, target, caller, status,
 * outcome) to that file, for reading the whole matrix rather than its failures.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { type Action, API_TOKEN_ROLES, can, ROLES, type Role } from '../../src/platform/auth/permissions.ts';
import { isApiRequest } from '../../src/platform/http/authenticate.ts';
import {
  EXPECTED_ACCESS,
  type Outcome,
  PARAM_FIXTURES,
  PERSON_LEVEL_PREFIXES,
  type RouteAccess,
  SKIPPED_ROUTES,
} from '../authorisation/expected-access.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { createFixtures, type Fixtures, organisationTables, routeParams } from '../support/fixtures.ts';

type TokenRole = (typeof API_TOKEN_ROLES)[number];
type Observed = Outcome | 'two-factor' | 'server-error' | `unexpected ${number}`;

type Caller =
  | { kind: 'signed-out'; label: string }
  | { kind: 'session'; label: string; role: Role }
  | { kind: 'no-token'; label: string }
  | { kind: 'token'; label: string; role: TokenRole };

interface Cell {
  route: string;
  target: 'own' | 'other';
  caller: string;
  url: string;
  status: number;
  observed: Observed;
  accepted: Outcome[];
  leak: boolean;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isSkipped(method: string, url: string): boolean {
  return method === 'HEAD' || `${method} ${url}` in SKIPPED_ROUTES;
}

/** Whether a route names another organisation's records when tried against it. */
function triesOtherOrganisation(url: string, entry: RouteAccess): boolean {
  const owned = routeParams(url).some((param) => PARAM_FIXTURES[param.key]?.owned);
  const inBody = /\{(?!own:|unique)\w+\}/.test(JSON.stringify([entry.form ?? {}, entry.json ?? {}, entry.query ?? '']));
  return owned || inBody;
}

function classify(response: LightMyRequestResponse, api: boolean): Observed {
  const status = response.statusCode;
  if (status >= 300 && status < 400) {
    const location = String(response.headers.location ?? '');
    if (/^\/sign-in\/two-factor|^\/account\/two-factor\/setup/.test(location)) return 'two-factor';
    // A redirect to sign in is being turned away, except the one that confirms a sign-out the caller asked for.
    if (/^\/sign-in(\?|$)/.test(location) && !/^\/sign-in\?signedOut=/.test(location)) return 'signed-out';
    return 'allowed';
  }
  if (status >= 200 && status < 300) return 'allowed';
  if ([400, 409, 410, 413].includes(status)) return 'allowed';
  if (status === 401 && api) return 'signed-out';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status >= 500) return 'server-error';
  return `unexpected ${status}`;
}

/** What the table says this caller gets with their own organisation's records. */
function expectedOwn(entry: RouteAccess, api: boolean, caller: Caller): Outcome {
  if (entry.access === 'public') return 'allowed';
  if (caller.kind === 'signed-out' || caller.kind === 'no-token') return 'signed-out';
  // The API accepts bearer tokens only: a session cookie is no one there.
  if (api && caller.kind === 'session') return 'signed-out';
  const override = entry.overrides?.[caller.role];
  if (override) return override;
  if (entry.access === 'signed-in') return 'allowed';
  return can(caller.role, entry.access as Action) ? 'allowed' : 'forbidden';
}

/** Another organisation's record: never found by anyone who could use the route; refused or not found for the rest. */
function expectedOther(entry: RouteAccess, own: Outcome): Outcome[] {
  if (own === 'signed-out') return ['signed-out'];
  if (own === 'forbidden') return ['forbidden', 'not-found'];
  // A record named in the body is refused with 400 ("No person with this id"); a 2xx is still a leak (see below).
  return entry.crossOrgInBody ? ['not-found', 'allowed'] : ['not-found'];
}

function personLevel(url: string): boolean {
  return PERSON_LEVEL_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

describe(`authorisation matrix (${databaseLabel()})`, () => {
  let t: TestApp;
  let own: { id: string; teamId: string };
  let other: { id: string; teamId: string };
  const fixtures: { own: Fixtures; other: Fixtures } = { own: {}, other: {} };
  const browsers = new Map<string, Browser>();
  const csrfTokens = new Map<Browser, string>();
  const tokens = new Map<TokenRole, string>();
  let signedOut: Browser;
  let unique = 0;

  /** Every row the other organisation owns, table by table, to prove nothing of theirs changed. */
  async function snapshotOf(organisationId: string): Promise<Map<string, string>> {
    const snapshot = new Map<string, string>();
    for (const table of await organisationTables(t)) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where organisation_id = ${organisationId}`.execute(t.deps.db);
      const lines = rows.rows.map((row) => JSON.stringify(row)).sort();
      snapshot.set(table, lines.join('\n'));
    }
    return snapshot;
  }

  function fill(text: string, target: Fixtures): string {
    return text.replace(/\{(own:)?(\w+)\}/g, (whole, ownPrefix: string | undefined, name: string) => {
      if (name === 'unique') return String(++unique);
      const value = (ownPrefix ? fixtures.own : target)[name];
      if (value === undefined) throw new Error(`No fixture "${name}" for placeholder ${whole}`);
      return value;
    });
  }

  function resolveUrl(url: string, target: Fixtures, query?: string): string {
    let path = url;
    for (const param of routeParams(url)) {
      const mapping = PARAM_FIXTURES[param.key];
      const value = mapping && (mapping.owned ? target : fixtures.own)[mapping.fixture];
      if (!value) throw new Error(`No fixture for ${param.name} in ${url}`);
      path = path.replace(param.name, encodeURIComponent(value));
    }
    return query ? `${path}?${fill(query, target)}` : path;
  }

  async function sessionFor(role: Role): Promise<Browser> {
    const { browser } = await t.signedIn(own.id, role);
    browsers.set(role, browser);
    return browser;
  }

  async function csrfFor(browser: Browser, signedIn: boolean): Promise<string> {
    const cached = csrfTokens.get(browser);
    if (cached) return cached;
    const token = await browser.csrfFrom(signedIn ? '/account' : '/sign-in');
    csrfTokens.set(browser, token);
    return token;
  }

  async function send(caller: Caller, method: string, url: string, entry: RouteAccess, target: Fixtures): Promise<LightMyRequestResponse> {
    const verb = method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    if (caller.kind === 'token') {
      const payload = entry.json ? JSON.parse(fill(JSON.stringify(entry.json), target)) : undefined;
      return t.app.inject({ method: verb, url, headers: { authorization: `Bearer ${tokens.get(caller.role)}` }, ...(payload ? { payload } : {}) });
    }
    // Without a token (or with only a session cookie) the API must answer 401 before it looks at the body,
    // so these callers send none: a 400 from validation would show the body was read.
    if (caller.kind === 'no-token') return t.app.inject({ method: verb, url });
    const browser = caller.kind === 'session' ? browsers.get(caller.role)! : signedOut;
    if (isApiRequest(url)) return t.app.inject({ method: verb, url, headers: { cookie: browser.cookieHeader() } });
    if (!UNSAFE.has(method)) return browser.request({ method: verb, url });
    const form: Record<string, string> = { _csrf: await csrfFor(browser, caller.kind === 'session') };
    for (const [key, value] of Object.entries(entry.form ?? {})) form[key] = fill(value, target);
    return browser.request({ method: verb, url, form });
  }

  before(async () => {
    t = await createTestApp({ API_RATE_LIMIT_PER_MINUTE: '100000' });
    own = await t.organisation('Matrix Own Org');
    other = await t.organisation('Matrix Other Org');
    fixtures.own = await createFixtures(t, own, 'Own');
    fixtures.other = await createFixtures(t, other, 'Other');
    signedOut = t.browser();
    for (const role of ROLES) await sessionFor(role);
    for (const role of API_TOKEN_ROLES) tokens.set(role, await apiTokenFor(t, own.id, role));
  });
  after(() => t.close());

  test('the expected-access table covers exactly the routes the router serves', () => {
    const served = new Set(t.app.routeTable.filter((route) => !isSkipped(route.method, route.url)).map((route) => `${route.method} ${route.url}`));
    const missing = [...served].filter((route) => !(route in EXPECTED_ACCESS));
    const stale = Object.keys(EXPECTED_ACCESS).filter((route) => !served.has(route));
    assert.deepEqual(
      missing,
      [],
      `Routes with no entry in test/authorisation/expected-access.ts: ${missing.join(', ')}.\n` +
        "Add each to EXPECTED_ACCESS as '<METHOD> <url>': { access: <the permission its service checks, or 'public' / 'signed-in'> }, " +
        'and map any new :param in PARAM_FIXTURES.',
    );
    assert.deepEqual(stale, [], `Entries in test/authorisation/expected-access.ts for routes the router no longer serves: ${stale.join(', ')}. Remove them.`);
    const unmapped = [...served].flatMap((route) => routeParams(route.split(' ')[1]).filter((param) => !(param.key in PARAM_FIXTURES)).map((param) => `${param.key} (${route})`));
    assert.deepEqual(unmapped, [], `Params with no fixture in PARAM_FIXTURES: ${unmapped.join(', ')}`);
  });

  test('every route × every caller × own and other organisation answers as the table says', { timeout: 600_000 }, async () => {
    const before = await snapshotOf(other.id);
    const routes = t.app.routeTable.filter((route) => !isSkipped(route.method, route.url) && `${route.method} ${route.url}` in EXPECTED_ACCESS);
    const cells: Cell[] = [];

    const sessionCallers: Caller[] = [
      { kind: 'signed-out', label: 'signed out' },
      ...ROLES.map((role): Caller => ({ kind: 'session', label: role, role })),
    ];
    const apiCallers: Caller[] = [
      { kind: 'no-token', label: 'no token' },
      ...API_TOKEN_ROLES.map((role): Caller => ({ kind: 'token', label: `${role} token`, role })),
      // Session cookies must not work on the API.
      ...sessionCallers.map((caller): Caller => ({ ...caller, label: `${caller.label} (cookie)` })),
    ];

    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const entry = EXPECTED_ACCESS[key];
      const api = isApiRequest(route.url);
      const callers = api ? apiCallers : sessionCallers;
      const targets: Array<'own' | 'other'> = triesOtherOrganisation(route.url, entry) ? ['own', 'other'] : ['own'];
      for (const target of targets) {
        const targetFixtures = fixtures[target];
        const url = resolveUrl(route.url, targetFixtures, entry.query);
        for (const caller of callers) {
          const response = await send(caller, route.method, url, entry, targetFixtures);
          const observed = classify(response, api);
          const ownExpected = expectedOwn(entry, api, caller);
          let accepted: Outcome[] = target === 'own' ? [ownExpected] : expectedOther(entry, ownExpected);
          const callerRole = caller.kind === 'session' || caller.kind === 'token' ? caller.role : null;
          if (callerRole === 'commissioner' && personLevel(route.url)) {
            accepted = accepted.filter((outcome) => outcome !== 'allowed');
            if (accepted.length === 0) accepted = ['forbidden', 'not-found'];
          }
          // A leak: something was granted that should not have been.
          let leak = observed === 'allowed' && !accepted.includes('allowed');
          if (target === 'other' && observed === 'allowed' && response.statusCode < 400) leak = true;
          cells.push({ route: key, target, caller: caller.label, url, status: response.statusCode, observed, accepted, leak });

          if (caller.kind === 'session' && (entry.endsSession || observed === 'signed-out' || observed === 'two-factor')) {
            // Sign that role in again, so one request's sign-out does not colour the rest.
            if (entry.endsSession || !(await stillSignedIn(caller.role))) {
              csrfTokens.delete(browsers.get(caller.role)!);
              await sessionFor(caller.role);
            }
          }
          if (caller.kind === 'signed-out' && entry.endsSession) csrfTokens.delete(signedOut);
        }
      }
    }

    if (process.env.MATRIX_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.MATRIX_DUMP, cells.map((cell) => `${cell.route}\t${cell.target}\t${cell.caller}\t${cell.status}\t${cell.observed}`).join('\n'));
    }
    const afterSnapshot = await snapshotOf(other.id);
    const watchedRows = [...before.values()].reduce((sum, rows) => sum + (rows ? rows.split('\n').length : 0), 0);
    const changedTables = [...before.keys()].filter((table) => before.get(table) !== afterSnapshot.get(table));

    const leaks = cells.filter((cell) => cell.leak);
    const errors = cells.filter((cell) => cell.observed === 'server-error');
    const mismatches = cells.filter((cell) => !cell.accepted.includes(cell.observed as Outcome));
    const describeCell = (cell: Cell) =>
      `  ${cell.route} [${cell.target} organisation] as ${cell.caller}: ${cell.status} → ${cell.observed}, expected ${cell.accepted.join(' or ')} (${cell.url})`;

    console.log(
      `authorisation matrix: ${routes.length} routes (${t.app.routeTable.filter((route) => isSkipped(route.method, route.url)).length} skipped: HEAD and static assets), ` +
        `${cells.length} cells checked, ${leaks.length} leaks found, ${errors.length} server errors, ${mismatches.length} mismatches; ` +
        `other organisation's ${watchedRows} rows changed in: ${changedTables.length ? changedTables.join(', ') : 'no table'}`,
    );

    assert.deepEqual(changedTables, [], `LEAK: another organisation's rows changed during the matrix, in: ${changedTables.join(', ')}`);
    assert.equal(leaks.length, 0, `LEAKS: access granted where the table refuses it:\n${leaks.map(describeCell).join('\n')}`);
    assert.equal(errors.length, 0, `Server errors:\n${errors.map(describeCell).join('\n')}`);
    assert.equal(mismatches.length, 0, `Answers that differ from test/authorisation/expected-access.ts:\n${mismatches.map(describeCell).join('\n')}`);
  });

  async function stillSignedIn(role: Role): Promise<boolean> {
    const response = await browsers.get(role)!.get('/account');
    return response.statusCode === 200;
  }
});
