/**
 * `npm run soak [-- --minutes M] [--rate R] [--no-write]`
 *
 * The load soak of issue 7: starts Throughgate in production mode in a child
 * process (a PGlite data directory in a temp folder, throwaway secrets, no
 * demo data, listening on 127.0.0.1 only), then sends a fixed-rate load for
 * M minutes (default 10) at R requests a second (default 50): a caseload
 * page and a person's page with a session cookie, and a new contact through
 * the API, in turn. The server's resident memory is sampled every 10 s. It
 * passes when memory is flat within 10% (mean of the last third of the
 * samples against the second third; the first third is the warm-up) and
 * no request failed. The summary goes to the terminal and between the soak
 * markers in docs/benchmarks.md; the exit code is 1 when it failed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { freePort } from '../test/support/free-port.ts';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createToken } from '../src/modules/api-tokens/service.ts';
import * as organisations from '../src/modules/organisations/service.ts';
import * as users from '../src/modules/users/service.ts';
import { SYSTEM_ACTOR } from '../src/platform/audit/service.ts';
import { startSession } from '../src/platform/auth/sessions.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import { type Db, openPGlite } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { judge, type LoadTargets, rewriteSoakSection, runLoad, summarise } from './load.ts';
import { directPrincipal } from '../src/platform/http/context.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PEOPLE = 20;

/** Throwaway production settings: nothing here is a real secret, and the SMTP server is never reached (nothing is emailed). */
/**
 * Node's flags for a server, as `npm start` gives them (package.json): a young generation of at most 16 MiB
 * a half, which keeps the resident memory of a loaded server about 80 MiB lower (docs/decisions/0023).
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=16'];

export function serverEnv(dataDir: string, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: `soak-throwaway-secret-${process.pid}-0123456789abcdef`,
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BASE_URL: 'https://soak.throughgate.invalid',
    SEED_DEMO_DATA: 'false',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    // The load is one token; the default per-token limit (600 a minute) is for partners, not for this.
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  };
}

/**
 * A signed-in practitioner (a session) and a practitioner API token (made by
 * an organisation admin), written straight into the database. Given a worker,
 * the session is theirs; otherwise a new practitioner is made. Also used by
 * `npm run bench` (bench/http.ts).
 */
export async function loadCredentials(
  db: Db,
  config: Config,
  organisation: { id: string; name: string },
  workerId?: string,
): Promise<{ workerId: string; sessionToken: string; apiToken: string }> {
  const password = 'a throwaway password for the soak only';
  const worker =
    workerId ??
    (await users.createUserWithPassword(db, SYSTEM_ACTOR, { organisationId: organisation.id, email: 'soak.worker@example.org', displayName: 'Soak Worker', role: 'practitioner', password })).id;
  const admin = await users.createUserWithPassword(db, SYSTEM_ACTOR, {
    organisationId: organisation.id,
    email: 'soak.admin@example.org',
    displayName: 'Soak Admin',
    role: 'organisation_admin',
    password,
  });
  const { token: apiToken } = await createToken(
    db,
    directPrincipal(organisation, 'organisation_admin', { id: admin.id, displayName: 'Soak Admin', email: admin.email }),
    { name: 'soak', role: 'practitioner' },
  );
  const sessionToken = await startSession(db, config, { id: worker, organisationId: organisation.id }, true);
  return { workerId: worker, sessionToken, apiToken };
}

/** A practitioner with a caseload of PEOPLE people, a session and an API token, written straight into the data directory. */
async function prepare(dataDir: string, env: Record<string, string>): Promise<Omit<LoadTargets, 'baseUrl'>> {
  const config = loadConfig(env);
  const database = await openPGlite(dataDir);
  try {
    await migrate(database);
    const db = database.db;
    const organisation = await organisations.createOrganisation(db, SYSTEM_ACTOR, { name: 'Soak Org', kind: 'provider' });
    const team = await organisations.createTeam(db, SYSTEM_ACTOR, organisation.id, 'Soak team');
    const { workerId, sessionToken, apiToken } = await loadCredentials(db, config, { id: organisation.id, name: 'Soak Org' });
    const worker = { id: workerId };
    const personIds: string[] = [];
    const episodeIds: string[] = [];
    for (let n = 1; n <= PEOPLE; n += 1) {
      const person = await db
        .insertInto('person')
        .values({ organisation_id: organisation.id, given_name: `Soak${n}`, family_name: `Person${n}`, date_of_birth: '1990-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const episode = await db
        .insertInto('episode')
        .values({ organisation_id: organisation.id, person_id: person.id, referred_on: '2025-12-01', key_worker_id: worker.id, team_id: team.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('referral')
        .values({ episode_id: episode.id, organisation_id: organisation.id, received_on: '2025-12-01', status: 'accepted', source_code: 'probation' })
        .execute();
      personIds.push(person.id);
      episodeIds.push(episode.id);
    }
    return { sessionToken, apiToken, personIds, episodeIds };
  } finally {
    await database.close();
  }
}


export async function startServer(env: Record<string, string>, logFile: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...SERVE_NODE_FLAGS, 'bin/throughgate.ts', 'serve'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return { child, baseUrl };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer /health within 2 minutes; see ${logFile}`);
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: '50' },
      'no-write': { type: 'boolean', default: false },
      output: { type: 'string', default: path.join(ROOT, 'docs/benchmarks.md') },
    },
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  if (!(minutes > 0 && minutes <= 60) || !(rate > 0 && rate <= 500)) {
    console.error('--minutes must be more than 0 and at most 60, --rate more than 0 and at most 500');
    return 2;
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-soak-'));
  const env = serverEnv(path.join(dir, 'data'), await freePort());
  const logFile = path.join(dir, 'server.log');
  let child: ChildProcess | undefined;
  let keepDir = false;
  try {
    console.log(`Preparing a PGlite data directory in ${dir}`);
    const targets = await prepare(env.DATA_DIR, env);
    const server = await startServer(env, logFile);
    child = server.child;
    console.log(`Server (pid ${child.pid}, NODE_ENV=production) at ${server.baseUrl}; ${rate} requests a second for ${minutes} minutes`);
    const began = Date.now();
    const progress = setInterval(() => console.log(`  … ${Math.round((Date.now() - began) / 1000)} s`), 60_000);
    const result = await runLoad({ ...targets, baseUrl: server.baseUrl }, {
      requestsPerSecond: rate,
      durationMs: minutes * 60_000,
      sampleEveryMs: 10_000,
      pid: child.pid!,
    });
    clearInterval(progress);
    const command = `npm run soak -- --minutes ${values.minutes}${values.rate === '50' ? '' : ` --rate ${values.rate}`}`;
    const environment = `one server process (NODE_ENV=production, PGlite data directory) on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node.js ${process.version}`;
    const summary = summarise(result, { date: new Date().toISOString().slice(0, 10), command, environment });
    console.log(`\n${summary}\n`);
    if (!values['no-write']) {
      // Read just before writing: someone else's bench run may have rewritten other parts of the file meanwhile.
      const existing = await readFile(values.output, 'utf8').catch(() => '# Benchmarks\n');
      await writeFile(values.output, rewriteSoakSection(existing, summary));
      console.log(`Wrote the soak section of ${path.relative(ROOT, values.output)}`);
    }
    const verdict = judge(result);
    if (!verdict.passed) {
      keepDir = true;
      console.error(`The soak failed; the server log is kept at ${logFile}`);
    }
    return verdict.passed ? 0 : 1;
  } finally {
    if (child) await stopServer(child);
    if (!keepDir) await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) process.exitCode = await main();
