/**
 * Pages under load: autocannon against a production-mode server (the soak's
 * child process, soak/run.ts) on a seeded PGlite data directory, beside the
 * same pages' main queries issued straight through the database (no HTTP, no
 * templating) at the same concurrency, and a hello-world Fastify server as the
 * ceiling. PGlite is one connection, so the data directory is opened here
 * only while the server is not running.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { caseloadPage, activeCount } from '../src/modules/caseload/queries.ts';
import { insertContact, lockEpisode, episodeStage } from '../src/modules/contacts/queries.ts';
import { releaseBoard } from '../src/modules/custody/board-queries.ts';
import { episodesForPerson } from '../src/modules/episodes/queries.ts';
import { aliasesOf, findPerson } from '../src/modules/people/queries.ts';
import { loadConfig } from '../src/platform/config.ts';
import { type Db, openPGlite } from '../src/platform/db/database.ts';
import { residentMemoryMib } from '../soak/load.ts';
import { freePort, loadCredentials, startServer, stopServer } from '../soak/run.ts';

export const PAGES = ['caseload page', 'person page', 'release board', 'contact via API'] as const;
export type Page = (typeof PAGES)[number];

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
  durationSeconds: number;
  pages: PageLoad[];
  hello: Array<{ connections: number; load: Load }>;
  /** VmRSS of the server after the load, MiB. */
  rssAfterMib: number | undefined;
}

interface Targets {
  organisationId: string;
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

/** Session and token for the seeded caseworker with the most open episodes; people and episodes from that caseload. */
export async function prepareTargets(db: Db, env: Record<string, string>, organisation: { id: string; name: string }): Promise<Targets> {
  const busiest = await sql<{ key_worker_id: string }>`
    select key_worker_id from episode
    where organisation_id = ${organisation.id} and exited_on is null and key_worker_id is not null
    group by key_worker_id order by count(*) desc, key_worker_id limit 1`.execute(db);
  const workerId = busiest.rows[0]?.key_worker_id;
  if (!workerId) throw new Error('The seeded organisation has no allocated open episode');
  const credentials = await loadCredentials(db, loadConfig(env), organisation, workerId);
  const episodes = await db
    .selectFrom('episode')
    .select(['id', 'person_id'])
    .where('organisation_id', '=', organisation.id)
    .where('key_worker_id', '=', workerId)
    .orderBy('id')
    .limit(200)
    .execute();
  return { organisationId: organisation.id, ...credentials, personIds: episodes.map((e) => e.person_id), episodeIds: episodes.map((e) => e.id) };
}

const today = () => new Date().toISOString().slice(0, 10);
const contactBody = (n: number) =>
  JSON.stringify({ occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(), type: 'face_to_face', setting: 'community', with: 'person', durationMinutes: 30 });

/** One round of a page's main queries, from its modules' queries.ts, with nothing else. */
function rawRound(db: Db, t: Targets, page: Page, n: number): Promise<unknown> {
  const org = t.organisationId;
  switch (page) {
    case 'caseload page':
      return Promise.all([
        caseloadPage(db, org, { scope: { keyWorkerId: t.workerId }, search: '', stage: '', window: '', overdueOnly: false, sort: 'name', today: today(), limit: 25, offset: 0 }),
        activeCount(db, org, t.workerId),
      ]);
    case 'person page': {
      const personId = t.personIds[n % t.personIds.length];
      return Promise.all([findPerson(db, org, personId), aliasesOf(db, org, personId), episodesForPerson(db, org, personId)]);
    }
    case 'release board':
      return releaseBoard(db, org, { today: today(), teamId: null, keyWorkerId: null, window: null });
    case 'contact via API': {
      const episodeId = t.episodeIds[n % t.episodeIds.length];
      return db.transaction().execute(async (trx) => {
        await lockEpisode(trx, org, episodeId);
        await insertContact(trx, {
          organisation_id: org,
          episode_id: episodeId,
          recorded_by: null,
          occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
          type_code: 'face_to_face',
          setting_code: 'community',
          with_code: 'person',
          duration_minutes: 30,
        } as Parameters<typeof insertContact>[1]);
        return episodeStage(trx, org, episodeId);
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

/**
 * The whole suite on a seeded, closed data directory: raw queries first (the
 * database opened here), then the server on the same directory, then
 * hello-world. `env` is the soak's production settings for that directory.
 */
export async function httpSuite(
  dataDir: string,
  env: Record<string, string>,
  organisation: { id: string; name: string },
  options: { connections: number[]; durationMs: number; logFile: string; log?: (line: string) => void },
): Promise<HttpFigures> {
  const log = options.log ?? (() => {});
  const raw = new Map<string, Load>();
  const database = await openPGlite(dataDir);
  let targets: Targets;
  try {
    targets = await prepareTargets(database.db, env, organisation);
    for (const page of PAGES) {
      for (const connections of options.connections) {
        raw.set(`${page}/${connections}`, await rawLoad(database.db, targets, page, connections, options.durationMs));
        log(`raw ${page} × ${connections}: ${raw.get(`${page}/${connections}`)!.requestsPerSecond.toFixed(0)}/s`);
      }
    }
  } finally {
    await database.close();
  }
  const pages: PageLoad[] = [];
  const server = await startServer(env, options.logFile);
  let rssAfterMib: number | undefined;
  try {
    for (const page of PAGES) {
      for (const connections of options.connections) {
        const http = await httpLoad(server.baseUrl, targets, page, connections, options.durationMs);
        const limit = raw.get(`${page}/${connections}`)!;
        pages.push({ page, connections, http, raw: limit, fraction: http.requestsPerSecond / limit.requestsPerSecond });
        log(`http ${page} × ${connections}: ${http.requestsPerSecond.toFixed(0)}/s, p99 ${http.p99} ms, ${http.errors} errors`);
      }
    }
    rssAfterMib = await residentMemoryMib(server.child.pid!);
  } finally {
    await stopServer(server.child);
  }
  const hello = await withHelloServer(async (baseUrl) => {
    const loads: HttpFigures['hello'] = [];
    for (const connections of options.connections) loads.push({ connections, load: await httpLoad(baseUrl, undefined, 'hello', connections, options.durationMs) });
    return loads;
  });
  return { durationSeconds: options.durationMs / 1000, pages, hello, rssAfterMib };
}
