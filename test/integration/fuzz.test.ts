/**
 * Fuzzing (issue 7): fast-check throws generated input at every form (POST
 * page routes) and every API body (POST/PUT under /api/v1), enumerated from
 * app.routeTable so that a new route is fuzzed without anyone listing it.
 *
 * Callers have the right role for each route (a manager where a manager may,
 * else the organisation administrator or system administrator the route
 * needs; a manager API token for the API), and :params name the caller's own
 * fixtures, so requests reach validation and the services rather than being
 * turned away at the door. Form fields are found on the route's own form page
 * (and on the page it answers an empty submission with); each generated form
 * mixes the page's own values with hostile ones, drops fields, repeats them
 * and adds strangers. API bodies follow the route's OpenAPI request schema the
 * same way, and sometimes are not even objects.
 *
 * Every answer must hold three things:
 *   - no 5xx, ever;
 *   - no partial write: a refused request (4xx) leaves the row count of every
 *     table with organisation_id as it was;
 *   - no unescaped output: no HTML answer contains a generated script-looking
 *     payload raw. Afterwards every page that shows the data is read and
 *     checked the same way.
 * The figures are logged at the end. FUZZ_SEED and FUZZ_TOTAL override the
 * fixed seed and the number of cases; FUZZ_VERBOSE=1 logs each route's answers
 * by status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { can, ROLES, type Role } from '../../src/platform/auth/permissions.ts';
import { isApiRequest } from '../../src/platform/http/authenticate.ts';
import { EXPECTED_ACCESS, PARAM_FIXTURES, SKIPPED_ROUTES } from '../authorisation/expected-access.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { createFixtures, type Fixtures, organisationTables, routeParams } from '../support/fixtures.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20260707);
const TOTAL = Number(process.env.FUZZ_TOTAL ?? 10_200);
/** Routes that end the caller's session get a few cases each: every one needs a fresh sign-in. */
const SESSION_ENDING_RUNS = 10;

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE = '"><img src=x onerror=alert(1)>';
/** What must never appear raw in HTML: the script tag, and the attribute breakout's handler. */
const RAW_MARKERS = [SCRIPT, 'onerror=alert(1)>'];
const SQL_TEXT = "'; drop table person; --";

const HOSTILE = [
  SCRIPT,
  ATTRIBUTE,
  SQL_TEXT,
  `Robert${SQL_TEXT}`,
  "1' or '1'='1",
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Eevil\u202C',
  '\u200F\u200E\u200B',
  '\uFEFF',
  '😀👩‍👩‍👧‍👦',
  '𝕏𝕐ℤ',
  'Zoë Ångström ŁÓDŹ',
  'مرحبا',
  'e\u0301\u0301\u0301',
  '\r\n\t',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0',
  '1e309',
  '-99999999999999999999',
  '99999',
  '2026-02-31',
  '0000-01-01',
  '99999-01-01',
  '31/02/2026',
  '2026-13-45T99:99:99Z',
  '../../../etc/passwd',
  '%00%0d%0a',
  '{{ 7 * 7 }}',
  '$' + '{7*7}',
  '__proto__',
  'constructor',
];

const IMPOSSIBLE_DATES = ['2026-02-31', '2026-02-29', '0000-01-01', '0001-01-01', '99999-12-31', '2026-00-10', '2026-1-1', '1899-12-31', '2100-01-01', '2026-01-10T25:61:00Z', '2026-01-10T10:00:00+99:00'];
const DATE_PARTS = ['31', '30', '29', '0', '00', '-1', '13', '2', '99999', '0000', '1899', '2.5', '1e3', ' 12 ', '٣', 'ii', ''];

const hostileText = fc.constantFrom(...HOSTILE);
/** Up to about 10 KB: well under the body limit, far over every field's maximum. */
const hugeText = fc
  .tuple(fc.constantFrom('a', 'é', '😀', SCRIPT, SQL_TEXT, '\u202E'), fc.integer({ min: 100, max: 10_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, 10_000));
const fuzzText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.constantFrom(...IMPOSSIBLE_DATES) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), hostileText, fc.string({ maxLength: 10 })).map((parts) => parts.join('')) },
);
const hugeNumber = fc.constantFrom(-1, 0, 1, 2, -2147483649, 2147483648, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 0.5, 1e-320);
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fuzzText },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), hugeNumber, fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fuzzText, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fuzzText, { maxKeys: 2 }) },
);
const strangerName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'organisationId', 'organisation_id', 'version', 'role', 'admin'), fc.string({ maxLength: 12 }));

/**
 * Audit rows that record a view or a failed attempt, not a change: a refused
 * request may rightly leave one (the form re-shown with its person, a wrong
 * two-factor code), so they are not counted as writes.
 */
const AUDIT_NOT_A_WRITE = '(viewed|failed)$';

type Counts = Record<string, number>;
interface Fault {
  kind: '5xx' | 'partial write' | 'unescaped';
  route: string;
  status: number;
  detail: string;
}

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  items?: SchemaNode;
  format?: string;
  pattern?: string;
  enum?: unknown[];
}

const isHtml = (response: LightMyRequestResponse) => String(response.headers['content-type'] ?? '').includes('text/html');
const rawMarkerIn = (body: string) => RAW_MARKERS.find((marker) => body.includes(marker));

/** Every field a page's forms submit, with the values the page offers (value attributes, options, textarea text). */
function formFields(html: string): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  const add = (name: string, value: string | undefined) => {
    if (name === '_csrf') return;
    const values = fields.get(name) ?? new Set<string>();
    if (value !== undefined) values.add(decodeEntities(value));
    fields.set(name, values);
  };
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  for (const match of html.matchAll(/<(input|button)\b[^>]*>/g)) {
    const name = attribute(match[0], 'name');
    if (name) add(decodeEntities(name), attribute(match[0], 'value'));
  }
  for (const match of html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attribute(match[1], 'name');
    if (!name) continue;
    add(decodeEntities(name), undefined);
    for (const option of match[2].matchAll(/<option\b[^>]*\svalue="([^"]*)"/g)) add(decodeEntities(name), option[1]);
  }
  for (const match of html.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(match[1], 'name');
    if (name) add(decodeEntities(name), match[2].trim());
  }
  return fields;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A value the form would take for a field: one the page offers, else a plausible one by the field's name. */
function plausibleField(name: string, offered: Set<string>): string[] {
  const choices = [...offered].filter((value) => value !== '');
  if (choices.length > 0) return choices;
  if (/postcode/i.test(name)) return ['SW1A 1AA'];
  if (/phone/i.test(name)) return ['07700 900123'];
  if (/-day$/.test(name)) return ['10'];
  if (/-month$/.test(name)) return ['1'];
  if (/-year$/.test(name)) return ['2026', '1990'];
  if (/email/i.test(name)) return ['fuzz@example.org'];
  if (/time/i.test(name)) return ['10:00'];
  if (/password/i.test(name)) return ['a long enough passphrase 123'];
  if (/version/i.test(name)) return ['1'];
  return ['Fuzz text'];
}

/**
 * A form. Half the time it is the form as a person would fill it, with one or
 * two fields made hostile, so the hostile value gets past the other checks and
 * reaches the service; otherwise every field is drawn freely: one of the page's
 * values, a hostile value, several values, or left out; strangers join.
 */
function formArbitrary(fields: Map<string, Set<string>>, learned: Record<string, string>): fc.Arbitrary<Record<string, string | string[]>> {
  const names = [...fields.keys()];
  const model: Record<string, fc.Arbitrary<string | string[]>> = {};
  const valid: Record<string, fc.Arbitrary<string>> = {};
  for (const [name, offered] of fields) {
    const datePart = /-(day|month|year)$/.test(name);
    valid[name] = name in learned ? fc.constant(learned[name]) : fc.constantFrom(...plausibleField(name, offered));
    const choices: Array<fc.WeightedArbitrary<string | string[]>> = [{ weight: 4, arbitrary: fuzzText }];
    if (offered.size > 0) choices.push({ weight: 4, arbitrary: fc.constantFrom(...offered) });
    if (datePart) choices.push({ weight: 4, arbitrary: fc.constantFrom(...DATE_PARTS) });
    choices.push({ weight: 1, arbitrary: fc.array(offered.size > 0 ? fc.oneof(fc.constantFrom(...offered), fuzzText) : fuzzText, { minLength: 2, maxLength: 3 }) });
    model[name] = fc.oneof(...choices);
  }
  const strangers = fc.dictionary(strangerName, fuzzText, { maxKeys: 2 });
  const nearlyValid = fc
    .tuple(fc.record(valid), fc.array(fc.tuple(names.length > 0 ? fc.constantFrom(...names) : fc.constant('x'), fc.oneof(fuzzText, fc.array(fuzzText, { maxLength: 2 }))), { minLength: 1, maxLength: 2 }), strangers, fc.nat(4))
    .map(([base, mutations, extra, mode]) => {
      const form: Record<string, string | string[]> = { ...base };
      for (const [name, value] of mutations) {
        if (mode === 1) delete form[name];
        else form[name] = value;
      }
      return mode === 0 ? { ...extra, ...form } : form;
    });
  const free = fc.tuple(fc.record(model, { requiredKeys: [] }), strangers, fc.nat(9)).map(([known, extra, mode]) => {
    const present = Object.entries(known).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined);
    return mode === 0 ? { ...extra, ...Object.fromEntries(present) } : Object.fromEntries(present);
  });
  return fc.oneof(nearlyValid, free);
}

function nodeTypes(node: SchemaNode): SchemaNode[] {
  return node.anyOf ? node.anyOf.flatMap(nodeTypes) : [node];
}

/** A value that fits the schema node, near enough: where the fuzz starts from before it turns hostile. */
function plausible(node: SchemaNode, baseline: unknown): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (baseline !== undefined) options.push(fc.constant(baseline));
  for (const variant of nodeTypes(node)) {
    if (variant.enum) options.push(fc.constantFrom(...variant.enum));
    else if (variant.type === 'boolean') options.push(fc.boolean());
    else if (variant.type === 'integer' || variant.type === 'number') options.push(fc.oneof(fc.integer({ min: 1, max: 5 }), hugeNumber));
    else if (variant.type === 'null') options.push(fc.constant(null));
    else if (variant.type === 'object' && variant.properties) options.push(objectArbitrary(variant, undefined));
    else if (variant.type === 'array') options.push(fc.array(variant.items ? plausible(variant.items, undefined) : fuzzText, { maxLength: 3 }));
    else if (variant.format === 'date' || variant.pattern?.includes('\\d{4}')) options.push(fc.constantFrom('2026-01-12', ...IMPOSSIBLE_DATES));
    else if (variant.format === 'date-time') options.push(fc.constantFrom('2026-01-12T10:00:00Z', '2026-02-31T10:00:00Z', '0000-01-01T00:00:00Z', '99999-01-01T00:00:00Z'));
    else if (variant.type === 'string') options.push(fc.string({ maxLength: 12 }));
  }
  return options.length > 0 ? fc.oneof(...options) : fuzzText;
}

function objectArbitrary(schema: SchemaNode, baseline: Record<string, unknown> | undefined): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    model[name] = fc.oneof({ weight: 4, arbitrary: plausible(node, baseline?.[name]) }, { weight: 2, arbitrary: jsonValue });
  }
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.dictionary(strangerName, jsonValue, { maxKeys: 2 }), fc.nat(9))
    .map(([known, strangers, mode]) => (mode === 0 ? { ...known, ...strangers } : known));
}

/** An API body: the route's valid body with one or two fields made hostile or dropped, objects shaped like the schema, or not an object at all. */
function bodyArbitrary(schema: SchemaNode | undefined, baseline: Record<string, unknown> | undefined): fc.Arbitrary<unknown> {
  const names = Object.keys(schema?.properties ?? {});
  const nearlyValid = fc
    .array(fc.tuple(names.length > 0 ? fc.constantFrom(...names) : fc.constant('x'), jsonValue, fc.boolean()), { minLength: 1, maxLength: 2 })
    .map((mutations) => {
      const body: Record<string, unknown> = { ...baseline };
      for (const [name, value, drop] of mutations) {
        if (drop) delete body[name];
        else body[name] = value;
      }
      return body;
    });
  return fc.oneof(
    { weight: 8, arbitrary: nearlyValid },
    { weight: 12, arbitrary: schema?.properties ? objectArbitrary(schema, baseline) : fc.dictionary(strangerName, jsonValue, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.oneof(jsonValue, fc.array(jsonValue, { maxLength: 3 })) },
  );
}

function multipartBody(fields: Record<string, string>, file: string): { payload: string; contentType: string } {
  const boundary = '----fuzz-boundary-7MA4YWxkTrZu0gW';
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fuzz.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n`);
  return { payload: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe(`fuzzing every form and API body (${databaseLabel()})`, () => {
  let t: TestApp;
  let own: { id: string; teamId: string };
  let fixtures: Fixtures;
  let tables: string[];
  let managerToken: string;
  const sessions = new Map<Role | 'signed-out', { browser: Browser; csrf: string }>();
  const faults: Fault[] = [];
  const perRoute = new Map<string, Record<number, number>>();
  const figures = { cases: 0, routes: 0, pagesChecked: 0, accepted: 0, refused: 0 };

  async function sessionFor(role: Role | 'signed-out', fresh = false): Promise<{ browser: Browser; csrf: string }> {
    const cached = sessions.get(role);
    if (cached && !fresh) return cached;
    const browser = role === 'signed-out' ? t.browser() : (await t.signedIn(own.id, role)).browser;
    const session = { browser, csrf: await browser.csrfFrom(role === 'signed-out' ? '/sign-in' : '/account') };
    sessions.set(role, session);
    return session;
  }

  /** The role that may use a route: a manager where the table allows, else whichever role holds its permission. */
  function roleFor(routeKey: string): Role | 'signed-out' {
    const access = EXPECTED_ACCESS[routeKey]?.access ?? 'signed-in';
    if (access === 'public') return 'signed-out';
    if (access === 'signed-in') return 'manager';
    const preferred: Role[] = ['manager', 'organisation_admin', 'practitioner', 'system_admin'];
    return [...preferred, ...ROLES].find((role) => can(role, access)) ?? 'manager';
  }

  function resolve(url: string): string {
    let path = url;
    for (const param of routeParams(url)) {
      const mapping = PARAM_FIXTURES[param.key];
      const value = mapping ? fixtures[mapping.fixture] : undefined;
      if (!value) throw new Error(`No fixture for ${param.name} in ${url}`);
      path = path.replace(param.name, encodeURIComponent(value));
    }
    return path;
  }

  function fillBaseline(value: unknown): Record<string, unknown> | undefined {
    if (!value) return undefined;
    return JSON.parse(JSON.stringify(value).replace(/\{(?:own:)?(\w+)\}/g, (_whole, name: string) => (name === 'unique' ? String(Date.now()) : (fixtures[name] ?? ''))));
  }

  /** Row counts of every organisation-owned table, for this organisation, in one query. */
  async function counts(): Promise<Counts> {
    const selects = tables.map((table) =>
      table === 'audit_event'
        ? sql`(select count(*) from audit_event where organisation_id = ${own.id} and action !~ ${AUDIT_NOT_A_WRITE})::int as audit_event`
        : sql`(select count(*) from ${sql.table(table)} where organisation_id = ${own.id})::int as ${sql.ref(table)}`,
    );
    const result = await sql<Counts>`select ${sql.join(selects)}`.execute(t.deps.db);
    return result.rows[0];
  }

  function check(route: string, response: LightMyRequestResponse, before: Counts, afterCounts: Counts, input: unknown): void {
    figures.cases += 1;
    const status = response.statusCode;
    const tally = perRoute.get(route) ?? {};
    tally[status] = (tally[status] ?? 0) + 1;
    perRoute.set(route, tally);
    const shown = () => JSON.stringify(input).slice(0, 400);
    if (status >= 500) faults.push({ kind: '5xx', route, status, detail: `${response.body.slice(0, 300)} ← ${shown()}` });
    if (status >= 400) {
      figures.refused += 1;
      const changed = tables.filter((table) => before[table] !== afterCounts[table]);
      if (changed.length > 0) faults.push({ kind: 'partial write', route, status, detail: `${changed.map((table) => `${table} ${before[table]}→${afterCounts[table]}`).join(', ')} ← ${shown()}` });
    } else figures.accepted += 1;
    const marker = isHtml(response) ? rawMarkerIn(response.body) : undefined;
    if (marker) faults.push({ kind: 'unescaped', route, status, detail: `raw ${marker} ← ${shown()}` });
  }

  /** The fields a form route takes: from its own GET page, and from its answer to an empty submission. */
  async function fieldsOf(method: string, pattern: string, url: string, session: { browser: Browser; csrf: string }): Promise<Map<string, Set<string>>> {
    const fields = new Map<string, Set<string>>();
    const merge = (html: string) => {
      for (const [name, values] of formFields(html)) fields.set(name, new Set([...(fields.get(name) ?? []), ...values]));
    };
    if (t.app.routeTable.some((route) => route.method === 'GET' && route.url === pattern)) merge((await session.browser.get(url)).body);
    const before = await counts();
    const empty = await session.browser.request({ method: method as 'POST', url, form: { _csrf: session.csrf } });
    check(`${method} ${pattern}`, empty, before, await counts(), {});
    if (isHtml(empty)) merge(empty.body);
    return fields;
  }

  /**
   * A form the route accepts, or as near as can be found: starting with every
   * text field empty, each field the error summary points at is given its next
   * plausible value, a few rounds over. The fuzz then turns one or two fields
   * of it hostile, so hostile values reach the service past the other checks.
   */
  async function learnValidForm(key: string, url: string, fields: Map<string, Set<string>>, session: { browser: Browser; csrf: string }): Promise<Record<string, string>> {
    const options = new Map<string, string[]>();
    const form: Record<string, string> = {};
    for (const [name, offered] of fields) {
      const plausible = plausibleField(name, offered);
      const choices = [...offered].some((value) => value !== '') ? plausible : ['', ...plausible];
      options.set(name, choices);
      form[name] = choices[0];
    }
    for (let round = 0; round < 6; round += 1) {
      const before = await counts();
      const response = await session.browser.request({ method: 'POST', url, form: { ...form, _csrf: session.csrf } });
      check(key, response, before, await counts(), form);
      if (response.statusCode < 400 || !isHtml(response)) break;
      const summary = /govuk-error-summary[\s\S]*?<\/ul>/.exec(response.body)?.[0] ?? '';
      const wrong = [...summary.matchAll(/href="#([^"]+)"/g)].map((match) => decodeEntities(match[1]));
      let changed = false;
      for (const target of wrong) {
        const names = [...fields.keys()].filter((name) => name === target || name.startsWith(`${target}-`) || target.startsWith(`${name}-`));
        for (const name of names) {
          const choices = options.get(name) ?? [];
          const next = choices[choices.indexOf(form[name]) + 1];
          if (next !== undefined) {
            form[name] = next;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    return form;
  }

  before(async () => {
    t = await createTestApp({ API_RATE_LIMIT_PER_MINUTE: '1000000', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000000' });
    own = await t.organisation('Fuzz Org');
    fixtures = await createFixtures(t, own, 'Fuzz');
    tables = await organisationTables(t);
    managerToken = await apiTokenFor(t, own.id, 'manager');
  });
  after(() => t.close());

  test('no 5xx, no partial writes and no unescaped output for generated input to every form and API body', { timeout: 900_000 }, async () => {
    const openapi = JSON.parse((await t.app.inject({ url: '/api/v1/openapi.json' })).body) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: SchemaNode }> } }>>;
    };
    const targets = t.app.routeTable.filter((route) => {
      if (`${route.method} ${route.url}` in SKIPPED_ROUTES) return false;
      if (isApiRequest(route.url)) return route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
      return route.method === 'POST';
    });
    const endsSession = (key: string) => EXPECTED_ACCESS[key]?.endsSession === true;
    const shortRoutes = targets.filter((route) => endsSession(`${route.method} ${route.url}`)).length;
    const runsPerRoute = Math.ceil((TOTAL - shortRoutes * SESSION_ENDING_RUNS) / (targets.length - shortRoutes));
    figures.routes = targets.length;

    for (const [index, route] of targets.entries()) {
      const key = `${route.method} ${route.url}`;
      const url = resolve(route.url);
      const numRuns = endsSession(key) ? SESSION_ENDING_RUNS : runsPerRoute;
      const seed = SEED + index;

      if (isApiRequest(route.url)) {
        const openapiPath = route.url.replace(/:(\w+)/g, '{$1}').replace(/^\/api\/v1/, '/api/v1');
        const schema = openapi.paths[openapiPath]?.[route.method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
        const baseline = fillBaseline(EXPECTED_ACCESS[key]?.json);
        await fc.assert(
          fc.asyncProperty(bodyArbitrary(schema, baseline), async (body) => {
            const before = await counts();
            const response = await t.app.inject({
              method: route.method as 'POST',
              url,
              headers: { authorization: `Bearer ${managerToken}`, 'content-type': 'application/json' },
              payload: JSON.stringify(body) ?? 'null',
            });
            check(key, response, before, await counts(), body);
            return true;
          }),
          { seed, numRuns },
        );
        continue;
      }

      const role = roleFor(key);
      let session = await sessionFor(role);
      const fields = await fieldsOf(route.method, route.url, url, session);
      const multipart = route.url === '/imports/new';
      const learned = multipart || endsSession(key) ? {} : await learnValidForm(key, url, fields, session);
      await fc.assert(
        fc.asyncProperty(formArbitrary(fields, learned), fc.array(fc.array(fuzzText, { maxLength: 6 }), { maxLength: 6 }), async (form, rows) => {
          if (endsSession(key)) session = await sessionFor(role, true);
          const before = await counts();
          let response: LightMyRequestResponse;
          if (multipart) {
            const simple = Object.fromEntries(Object.entries(form).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
            const csv = ['given_name,family_name,date_of_birth,received_on,source', ...rows.map((row) => row.join(','))].join('\n');
            const { payload, contentType } = multipartBody({ ...simple, _csrf: session.csrf }, csv);
            response = await t.app.inject({
              method: 'POST',
              url,
              headers: { cookie: session.browser.cookieHeader(), 'content-type': contentType, 'x-csrf-token': session.csrf },
              payload,
            });
          } else {
            response = await session.browser.request({ method: route.method as 'POST', url, form: { ...form, _csrf: session.csrf } });
          }
          check(key, response, before, await counts(), multipart ? { form, rows } : form);
          return true;
        }),
        { seed, numRuns },
      );
      // A fuzzed form may have signed this caller out (or changed their password): start the next route signed in.
      if (role !== 'signed-out' && (await session.browser.get('/account')).statusCode !== 200) await sessionFor(role, true);
    }

    // Now read back every page that shows the data: each GET page route with the fixtures, and every record the fuzz created.
    const reader = (await sessionFor('manager', true)).browser;
    const pages = new Set<string>();
    for (const route of t.app.routeTable) {
      if (route.method !== 'GET' || isApiRequest(route.url) || `${route.method} ${route.url}` in SKIPPED_ROUTES) continue;
      if (/sign-out|two-factor|password-reset|invitations/.test(route.url)) continue;
      pages.add(resolve(route.url));
    }
    const people = await t.deps.db.selectFrom('person').select('id').where('organisation_id', '=', own.id).orderBy('created_at', 'desc').limit(40).execute();
    for (const person of people) pages.add(`/people/${person.id}`);
    const episodes = await t.deps.db.selectFrom('episode').select('id').where('organisation_id', '=', own.id).orderBy('created_at', 'desc').limit(40).execute();
    for (const episode of episodes) {
      for (const suffix of ['', '/contacts', '/custody', '/release-plan', '/tasks']) pages.add(`/episodes/${episode.id}${suffix}`);
    }
    for (const search of [SCRIPT, ATTRIBUTE, SQL_TEXT]) pages.add(`/people?name=${encodeURIComponent(search)}`);
    for (const page of pages) {
      // Someone with restricted access too, where the page offers it.
      for (const browser of [reader, (await sessionFor('organisation_admin')).browser]) {
        const response = await browser.get(page);
        figures.pagesChecked += 1;
        if (response.statusCode >= 500) faults.push({ kind: '5xx', route: `GET ${page}`, status: response.statusCode, detail: response.body.slice(0, 300) });
        const marker = isHtml(response) ? rawMarkerIn(response.body) : undefined;
        if (marker) faults.push({ kind: 'unescaped', route: `GET ${page}`, status: response.statusCode, detail: `raw ${marker}` });
      }
    }
    for (const api of ['/api/v1/people', `/api/v1/people/${fixtures.person}`, `/api/v1/episodes/${fixtures.episode}/contacts`]) {
      const response = await t.app.inject({ url: api, headers: { authorization: `Bearer ${managerToken}` } });
      figures.pagesChecked += 1;
      if (response.statusCode >= 500) faults.push({ kind: '5xx', route: `GET ${api}`, status: response.statusCode, detail: response.body.slice(0, 300) });
    }

    if (process.env.FUZZ_VERBOSE) {
      for (const [route, tally] of perRoute) console.log(`  ${route}: ${Object.entries(tally).map(([status, n]) => `${status}×${n}`).join(' ')}`);
    }
    const count = (kind: Fault['kind']) => faults.filter((fault) => fault.kind === kind).length;
    console.log(
      `fuzz: ${figures.cases} cases run over ${figures.routes} routes (seed ${SEED}; ${figures.accepted} accepted, ${figures.refused} refused), ` +
        `${figures.pagesChecked} pages read back; 5xx seen: ${count('5xx')}, partial writes: ${count('partial write')}, unescaped: ${count('unescaped')}`,
    );
    const describeFaults = (kind: Fault['kind']) =>
      faults
        .filter((fault) => fault.kind === kind)
        .slice(0, 15)
        .map((fault) => `  ${fault.route} → ${fault.status}: ${fault.detail}`)
        .join('\n');
    assert.ok(figures.cases >= 10_000 || TOTAL < 10_000, `Only ${figures.cases} cases ran; the suite promises at least 10,000`);
    assert.equal(count('5xx'), 0, `Server errors:\n${describeFaults('5xx')}`);
    assert.equal(count('partial write'), 0, `Partial writes (rows changed by a refused request):\n${describeFaults('partial write')}`);
    assert.equal(count('unescaped'), 0, `Unescaped output:\n${describeFaults('unescaped')}`);
  });
});
