/**
 * Pages under load: autocannon against a production-mode server (the soak's
 * child process, soak/run.ts) on a seeded database, beside the same pages'
 * queries issued straight through the database (no HTTP, no templating) at
 * the same concurrency, and a hello-world Fastify server as the ceiling.
 *
 * The database is a PGlite data directory (one connection, so it is opened
 * here only while the server is not running) or a PostgreSQL database (the
 * server started with DATABASE_URL; the raw side through its own pool of the
 * same size as the server's, each cell's raw run just before its HTTP run).
 *
 * Standalone, for iterating on one page:
 *   node bench/http.ts --database-url postgres://…/db | --data-dir DIR
 *     [--pages person,caseload,board,contact] [--connections 16,64] [--duration 10] [--no-hello]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createToken } from '../src/modules/api-tokens/service.ts';
import { activeCount, caseloadPage } from '../src/modules/caseload/queries.ts';
import { episodeStage, insertContact, lockEpisode } from '../src/modules/contacts/queries.ts';
import { releaseBoard, releaseBoardCounts } from '../src/modules/custody/board-queries.ts';
import { teamOfUser } from '../src/modules/users/service.ts';
import { firstFaceToFaceContacts } from '../src/modules/employers/queries.ts';
import { recomputeEpisodes } from '../src/modules/engagement/service.ts';
import { episodesForPerson } from '../src/modules/episodes/queries.ts';
import { listTeams } from '../src/modules/organisations/service.ts';
import { aliasesOf, findPerson } from '../src/modules/people/queries.ts';
import * as users from '../src/modules/users/service.ts';
import * as audit from '../src/platform/audit/service.ts';
import { findActiveApiToken, findLiveSession } from '../src/platform/auth/queries.ts';
import { sha256 } from '../src/platform/auth/secrets.ts';
import { idleCutoff, startSession } from '../src/platform/auth/sessions.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import { type Database, type Db, openPGlite, openPostgres } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { residentMemoryMib } from '../soak/load.ts';
import { serverEnv, startServer, stopServer } from '../soak/run.ts';
import { freePort } from '../test/support/free-port.ts';
import { benchContact } from './queries.ts';
import { directPrincipal } from '../src/platform/http/context.ts';

export const PAGES = ['caseload page', 'person page', 'release board', 'contact via API'] as const;
export type Page = (typeof PAGES)[number];

/**
 * What the raw side issues for each page, for the doc. Every query the page
 * needs at the database, once: the session or token lookup, the page's data
 * and, where the page audits a view or a change, the audit write (through the
 * audit service: an append, chained later by the sealer). Left out: the
 * throttled session/token "last seen" touch (once a minute) and reference-data
 * lists, which the app caches per process (a query per list a minute), and
 * any query an app repeats, since the limit is what the page must ask.
 */
export const RAW_QUERIES: Record<Page, string> = {
  'caseload page': 'findLiveSession, caseloadPage, firstFaceToFaceContacts, activeCount',
  'person page': 'findLiveSession, findPerson, aliasesOf, episodesForPerson, audit.record (person.viewed)',
  'release board': 'findLiveSession, teamOfUser, releaseBoardCounts, releaseBoard (first page of the worker\'s team), listTeams',
  'contact via API':
    'findActiveApiToken, then in one transaction lockEpisode, insertContact, recomputeEpisodes, episodeStage, audit.record (contact.created)',
};

export interface Load {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface PageLoad {
  page: Page;
  connections: number;
  http: Load;
  raw: Load;
  /** Page requests a second over raw-query rounds a second. */
  fraction: number;
}

export interface HttpFigures {
  /** 'PGlite', or 'PostgreSQL' for a server database. */
  database?: string;
  durationSeconds: number;
  pages: PageLoad[];
  hello: Array<{ connections: number; load: Load }>;
  /** VmRSS of the server after the load, MiB. */
  rssAfterMib: number | undefined;
}

export type BenchDatabase = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface HttpOptions {
  connections: number[];
  durationMs: number;
  logFile: string;
  log?: (line: string) => void;
  /** Defaults to every page. */
  pages?: readonly Page[];
  /** Defaults to true. */
  hello?: boolean;
}

interface Targets {
  organisationId: string;
  config: Config;
  workerId: string;
  sessionToken: string;
  apiToken: string;
  personIds: string[];
  episodeIds: string[];
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN;
}

function summarise(latencies: number[], errors: number, seconds: number): Load {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { requests: sorted.length, errors, requestsPerSecond: sorted.length / seconds, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/**
 * A practitioner API token made by an organisation admin (the bench's own
 * admin, made once per database and reused, so a kept database can be
 * benchmarked again), through the same services as the app.
 */
async function benchApiToken(db: Db, organisation: { id: string; name: string }): Promise<string> {
  const email = `bench.admin.${organisation.id.slice(0, 8)}@example.org`;
  const existing = await db.selectFrom('app_user').select(['id', 'email']).where('organisation_id', '=', organisation.id).where('email', '=', email).executeTakeFirst();
  const admin =
    existing ??
    (await users.createUserWithPassword(db, audit.SYSTEM_ACTOR, {
      organisationId: organisation.id,
      email,
      displayName: 'Bench Admin',
      role: 'organisation_admin',
      password: 'a throwaway password for the bench only',
    }));
  const principal = directPrincipal(organisation, 'organisation_admin', { id: admin.id, displayName: 'Bench Admin', email: admin.email });
  return (await createToken(db, principal, { name: `bench ${new Date().toISOString()}`, role: 'practitioner' })).token;
}

/** Session and token for the seeded caseworker with the most open episodes; people and episodes from that caseload. */
export async function prepareTargets(db: Db, env: Record<string, string>, organisation: { id: string; name: string }): Promise<Targets> {
  const busiest = await sql<{ key_worker_id: string }>`
    select key_worker_id from episode
    where organisation_id = ${organisation.id} and exited_on is null and key_worker_id is not null
    group by key_worker_id order by count(*) desc, key_worker_id limit 1`.execute(db);
  const workerId = busiest.rows[0]?.key_worker_id;
  if (!workerId) throw new Error('The seeded organisation has no allocated open episode');
  const config = loadConfig(env);
  const apiToken = await benchApiToken(db, organisation);
  const sessionToken = await startSession(db, config, { id: workerId, organisationId: organisation.id }, true);
  const episodes = await db
    .selectFrom('episode')
    .select(['id', 'person_id'])
    .where('organisation_id', '=', organisation.id)
    .where('key_worker_id', '=', workerId)
    .orderBy('id')
    .limit(200)
    .execute();
  return { organisationId: organisation.id, config, workerId, sessionToken, apiToken, personIds: episodes.map((e) => e.person_id), episodeIds: episodes.map((e) => e.id) };
}

const today = () => new Date().toISOString().slice(0, 10);
const contactBody = (n: number) =>
  JSON.stringify({ occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(), type: 'face_to_face', setting: 'community', with: 'person', durationMinutes: 30 });

async function sessionLookup(db: Db, t: Targets): Promise<void> {
  if (!(await findLiveSession(db, sha256(t.sessionToken), idleCutoff(t.config)))) throw new Error('the bench session is not live');
}

/** One round of a page's queries (RAW_QUERIES), from its modules' queries.ts, with nothing else. */
async function rawRound(db: Db, t: Targets, page: Page, n: number): Promise<unknown> {
  const org = t.organisationId;
  switch (page) {
    case 'caseload page': {
      await sessionLookup(db, t);
      const rows = await caseloadPage(db, org, { scope: { keyWorkerId: t.workerId }, search: '', stage: '', window: '', overdueOnly: false, sort: 'name', today: today(), limit: 25, offset: 0 });
      await firstFaceToFaceContacts(db, org, rows.map((row) => row.episode_id));
      return activeCount(db, org, t.workerId);
    }
    case 'person page': {
      const personId = t.personIds[n % t.personIds.length];
      await sessionLookup(db, t);
      const person = await findPerson(db, org, personId);
      await aliasesOf(db, org, personId);
      await episodesForPerson(db, org, personId);
      await audit.record(db, { organisationId: org, actor: { userId: t.workerId, label: 'bench' }, action: 'person.viewed', subjectType: 'person', subjectId: person!.id });
      return person;
    }
    case 'release board': {
      // The board opens on the signed-in worker's team.
      await sessionLookup(db, t);
      const teamId = await teamOfUser(db, org, t.workerId);
      await releaseBoardCounts(db, org, { today: today(), teamId, keyWorkerId: null });
      await releaseBoard(db, org, { today: today(), teamId, keyWorkerId: null, window: null });
      return listTeams(db, org);
    }
    case 'contact via API': {
      const episodeId = t.episodeIds[n % t.episodeIds.length];
      if (!(await findActiveApiToken(db, sha256(t.apiToken)))) throw new Error('the bench API token is not active');
      return db.transaction().execute(async (trx) => {
        await lockEpisode(trx, org, episodeId);
        const { id } = await insertContact(trx, benchContact(org, episodeId, new Date(Date.UTC(2026, 0, 1) + n * 60_000)));
        await recomputeEpisodes(trx, org, [episodeId]);
        const stage = await episodeStage(trx, org, episodeId);
        await audit.record(trx, { organisationId: org, actor: { userId: null, label: 'bench' }, action: 'contact.created', subjectType: 'contact', subjectId: id, detail: { episodeId, stage } });
        return stage;
      });
    }
  }
}

/** `connections` loops issuing rounds back to back for the duration. */
export async function rawLoad(db: Db, t: Targets, page: Page, connections: number, durationMs: number): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        try {
          await rawRound(db, t, page, n++);
          latencies.push(performance.now() - sent);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return summarise(latencies, errors, (performance.now() - started) / 1000);
}

/** autocannon against one page; latencies taken from every response, so p95 is exact. */
export async function httpLoad(baseUrl: string, t: Targets | undefined, page: Page | 'hello', connections: number, durationMs: number): Promise<Load> {
  const cookie = t ? { cookie: `tg_session=${t.sessionToken}` } : {};
  let n = 0;
  const options: autocannon.Options = { url: baseUrl, connections, duration: durationMs / 1000 };
  if (page === 'hello') options.url = `${baseUrl}/`;
  else if (page === 'caseload page') Object.assign(options, { url: `${baseUrl}/caseload`, headers: cookie });
  else if (page === 'release board') Object.assign(options, { url: `${baseUrl}/release-board`, headers: cookie });
  else if (page === 'person page') options.requests = [{ method: 'GET', headers: cookie, setupRequest: (r) => ({ ...r, path: `/people/${t!.personIds[n++ % t!.personIds.length]}` }) }];
  else {
    const headers = { authorization: `Bearer ${t!.apiToken}`, 'content-type': 'application/json' };
    options.requests = [{ method: 'POST', headers, setupRequest: (r) => ({ ...r, path: `/api/v1/episodes/${t!.episodeIds[n % t!.episodeIds.length]}/contacts`, body: contactBody(n++) }) }];
  }
  const expected = page === 'contact via API' ? 201 : 200;
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === expected) latencies.push(responseTime);
      else errors += 1;
    });
  });
  return summarise(latencies, errors + result.errors + result.timeouts, result.duration);
}

/** A hello-world Fastify server in a child process, like the app's. */
async function withHelloServer<T>(fn: (baseUrl: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const script = `import Fastify from 'fastify'; const app = Fastify(); app.get('/', async () => ({ hello: 'world' })); await app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, stdio: 'ignore' });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        if ((await fetch(baseUrl)).ok) break;
      } catch {
        if (tries > 200) throw new Error('the hello-world server did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return await fn(baseUrl);
  } finally {
    await stopServer(child);
  }
}

async function helloLoads(options: HttpOptions): Promise<HttpFigures['hello']> {
  if (options.hello === false) return [];
  return withHelloServer(async (baseUrl) => {
    const loads: HttpFigures['hello'] = [];
    for (const connections of options.connections) loads.push({ connections, load: await httpLoad(baseUrl, undefined, 'hello', connections, options.durationMs) });
    return loads;
  });
}

const openBenchDatabase = (target: BenchDatabase): Promise<Database> => (target.kind === 'pglite' ? openPGlite(target.dataDir) : openPostgres(target.url));

/**
 * Every page × connection count on one seeded database. `env` is the soak's
 * production settings (serverEnv); for PostgreSQL, DATABASE_URL is added here.
 */
export async function pagesUnderLoad(target: BenchDatabase, env: Record<string, string>, organisation: { id: string; name: string }, options: HttpOptions): Promise<HttpFigures> {
  const log = options.log ?? (() => {});
  const pages = options.pages ?? PAGES;
  const serverEnvironment = target.kind === 'postgres' ? { ...env, DATABASE_URL: target.url } : env;
  const cells = pages.flatMap((page) => options.connections.map((connections) => ({ page, connections })));
  const raw = new Map<string, Load>();
  const runRaw = async (db: Db, targets: Targets, page: Page, connections: number) => {
    const load = await rawLoad(db, targets, page, connections, options.durationMs);
    raw.set(`${page}/${connections}`, load);
    log(`raw ${page} × ${connections}: ${load.requestsPerSecond.toFixed(0)}/s, p99 ${load.p99.toFixed(1)} ms, ${load.errors} errors`);
  };
  const database = await openBenchDatabase(target);
  await migrate(database);
  let targets: Targets;
  let serverRunning = false;
  const results: PageLoad[] = [];
  let rssAfterMib: number | undefined;
  try {
    targets = await prepareTargets(database.db, serverEnvironment, organisation);
    // PGlite is one connection, so its raw runs all come before the server opens the directory.
    if (target.kind === 'pglite') {
      for (const { page, connections } of cells) await runRaw(database.db, targets, page, connections);
      await database.close();
    }
    const server = await startServer(serverEnvironment, options.logFile);
    serverRunning = true;
    try {
      for (const { page, connections } of cells) {
        if (target.kind === 'postgres') await runRaw(database.db, targets, page, connections);
        const http = await httpLoad(server.baseUrl, targets, page, connections, options.durationMs);
        const limit = raw.get(`${page}/${connections}`)!;
        results.push({ page, connections, http, raw: limit, fraction: http.requestsPerSecond / limit.requestsPerSecond });
        log(`http ${page} × ${connections}: ${http.requestsPerSecond.toFixed(0)}/s, p50 ${http.p50} p99 ${http.p99} ms, ${http.errors} errors (${((100 * http.requestsPerSecond) / limit.requestsPerSecond).toFixed(0)}% of raw)`);
      }
      rssAfterMib = await residentMemoryMib(server.child.pid!);
    } finally {
      await stopServer(server.child);
    }
  } finally {
    if (target.kind === 'postgres' || !serverRunning) await database.close().catch(() => {});
  }
  return { database: target.kind === 'pglite' ? 'PGlite' : 'PostgreSQL', durationSeconds: options.durationMs / 1000, pages: results, hello: await helloLoads(options), rssAfterMib };
}

/** The PGlite suite on a seeded, closed data directory (what `npm run bench` and bench-smoke run). */
export function httpSuite(dataDir: string, env: Record<string, string>, organisation: { id: string; name: string }, options: HttpOptions): Promise<HttpFigures> {
  return pagesUnderLoad({ kind: 'pglite', dataDir }, env, organisation, options);
}

/** The organisation with the most people: the seeded one. */
async function busiestOrganisation(db: Db): Promise<{ id: string; name: string }> {
  const row = await sql<{ id: string; name: string }>`
    select o.id, o.name from organisation o join person p on p.organisation_id = o.id
    group by o.id, o.name order by count(*) desc limit 1`.execute(db);
  if (!row.rows[0]) throw new Error('The database holds no people: seed it first');
  return row.rows[0];
}

/**
 * The suite on a seeded PostgreSQL database (one call per database size), the
 * server in production mode against it. The database is written to: a bench
 * admin, a session and a token, audit events, and the contacts POSTed.
 */
export async function postgresHttpSuite(databaseUrl: string, options: Omit<HttpOptions, 'logFile'> & { logFile?: string }): Promise<HttpFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-http-'));
  try {
    const database = await openPostgres(databaseUrl);
    const organisation = await busiestOrganisation(database.db).finally(() => database.close());
    return await pagesUnderLoad({ kind: 'postgres', url: databaseUrl }, serverEnv(path.join(dir, 'unused-data'), await freePort()), organisation, {
      ...options,
      logFile: options.logFile ?? path.join(dir, 'server.log'),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const PAGE_NAMES: Record<string, Page> = { caseload: 'caseload page', person: 'person page', board: 'release board', contact: 'contact via API' };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      pages: { type: 'string', default: 'caseload,person,board,contact' },
      connections: { type: 'string', default: '1,16,64' },
      duration: { type: 'string', default: '5' },
      'log-file': { type: 'string' },
      'no-hello': { type: 'boolean', default: false },
    },
  });
  const pages = values.pages.split(',').map((name) => PAGE_NAMES[name]);
  const connections = values.connections.split(',').map(Number);
  const durationMs = Number(values.duration) * 1000;
  if (pages.some((page) => !page) || !connections.every((c) => Number.isInteger(c) && c > 0) || !(durationMs > 0) || !values['database-url'] === !values['data-dir']) {
    console.error(`Usage: node bench/http.ts --database-url URL | --data-dir DIR [--pages ${Object.keys(PAGE_NAMES).join(',')}] [--connections 1,16,64] [--duration S] [--log-file F] [--no-hello]`);
    return 2;
  }
  const options = { pages, connections, durationMs, hello: !values['no-hello'], log: (line: string) => console.error(line) };
  let figures: HttpFigures;
  if (values['database-url']) {
    figures = await postgresHttpSuite(values['database-url'], { ...options, logFile: values['log-file'] });
  } else {
    const dataDir = values['data-dir']!;
    const database = await openPGlite(dataDir);
    const organisation = await busiestOrganisation(database.db).finally(() => database.close());
    figures = await httpSuite(dataDir, serverEnv(dataDir, await freePort()), organisation, { ...options, logFile: values['log-file'] ?? path.join(os.tmpdir(), `throughgate-bench-http-${process.pid}.log`) });
  }
  console.log(JSON.stringify(figures, null, 2));
  return 0;
}

if (import.meta.main) process.exitCode = await main();
