/**
 * `npm test`: the whole suite, in order, stopping at the first failure.
 *
 *   assets → type check → lint → unit + integration (PGlite)
 *   → integration (PostgreSQL) → browser (Chromium + axe)
 *
 * PostgreSQL comes from TEST_DATABASE_URL, or else a throwaway cluster made
 * here from /usr/lib/postgresql/<version>/bin. Without PostgreSQL or Chromium
 * those parts are skipped with a reason, except under CI=true, where a
 * missing one is a failure. The last line is `N passed, N failed, N skipped`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from './support/free-port.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters, styleText } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'node_modules/.bin');
const CI = process.env.CI === 'true' || process.env.CI === '1';
const UNIT = ['src/**/*.test.ts'];
const INTEGRATION = ['test/integration/**/*.test.ts'];
const BROWSER = ['test/browser/**/*.test.ts'];

const totals = { passed: 0, failed: 0, skipped: 0 };
const timings: Array<{ stage: string; seconds: string; result: string }> = [];

class StageFailed extends Error {}

function files(patterns: string[]): string[] {
  const pruned = (name: string) => /(^|\/)(node_modules|\.git)$/.test(name) || name === 'data';
  return [...new Set(patterns.flatMap((pattern) => globSync(pattern, { cwd: ROOT, exclude: pruned })))].sort();
}

function heading(text: string): void {
  console.log(`\n${styleText('bold', `━━ ${text}`)}`);
}

async function stage(name: string, body: () => Promise<void> | void): Promise<void> {
  heading(name);
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  try {
    await body();
    timings.push({ stage: name, seconds: seconds(), result: 'ok' });
  } catch (error) {
    timings.push({ stage: name, seconds: seconds(), result: 'FAILED' });
    throw error;
  }
}

/** A missing tool: a skip on a developer's machine, a failure under CI. */
function missing(name: string, why: string): void {
  heading(name);
  timings.push({ stage: name, seconds: '0.0', result: CI ? 'FAILED' : 'SKIPPED' });
  if (CI) throw new StageFailed(`${name}: ${why}. Under CI=true this is a failure.`);
  console.log(styleText('yellow', `SKIPPED ${name}: ${why}.`));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['inherit', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

async function mustRun(command: string, args: string[]): Promise<void> {
  const { code } = await run(command, args);
  if (code !== 0) throw new StageFailed(`${path.basename(command)} exited with ${code}`);
}

/** Runs node --test over the files and adds its `ℹ pass N` lines (spec reporter) to the totals. */
async function nodeTest(testFiles: string[], concurrency: number, env: NodeJS.ProcessEnv): Promise<void> {
  console.log(`${testFiles.length} files`);
  const args = ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...testFiles];
  const childEnv = { ...env, FORCE_COLOR: env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') };
  const { code, output } = await run(process.execPath, args, childEnv);
  const count = (label: string) => {
    const found = [...stripVTControlCharacters(output).matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, 'gm'))];
    return Number(found.at(-1)?.[1] ?? 0);
  };
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
  if (code !== 0) throw new StageFailed(`node --test exited with ${code}`);
}


/** A PostgreSQL cluster in a temp directory, owned by `postgres` when we run as root; stop() is idempotent and synchronous. */
async function throwawayCluster(binDir: string): Promise<{ url: string; stop(): void }> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'throughgate-pg-'));
  const asOwner = (tool: string, args: string[]) => {
    const command = [path.join(binDir, tool), ...args];
    const [file, ...rest] = root ? ['runuser', '-u', 'postgres', '--', ...command] : command;
    return spawnSync(file, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    asOwner('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  if (root) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!uid) throw new StageFailed('running as root, but there is no `postgres` user to own the cluster');
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const data = path.join(dir, 'data');
  const init = asOwner('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  if (init.status !== 0) {
    stop();
    throw new StageFailed(`initdb failed:\n${init.stdout}${init.stderr}`);
  }
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = asOwner('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  if (start.status !== 0) {
    const log = existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
    stop();
    throw new StageFailed(`pg_ctl start failed:\n${start.stdout}${start.stderr}${log}`);
  }
  console.log(`Started a throwaway PostgreSQL cluster in ${dir} on port ${port}`);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

function newestInitdb(): string | undefined {
  const found = globSync('/usr/lib/postgresql/*/bin/initdb');
  return found.sort((a, b) => Number(b.split('/')[3]) - Number(a.split('/')[3]))[0];
}

let cleanup: (() => void) | undefined;
process.on('exit', () => cleanup?.());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.log(`\nStopped by ${signal}`);
    process.exit(130);
  });
}

async function main(): Promise<void> {
  const pgliteEnv = { ...process.env };
  delete pgliteEnv.TEST_DATABASE_URL;

  await stage('Build assets', () => mustRun(process.execPath, ['scripts/build-assets.ts']));
  await stage('Type check (tsc --noEmit)', () => mustRun(path.join(BIN, 'tsc'), ['--noEmit']));
  await stage('Lint (biome lint)', () => mustRun(path.join(BIN, 'biome'), ['lint', '.']));

  await stage('Find test files', () => {
    const all = files(['**/*.test.ts']);
    const known = new Set(files([...UNIT, ...INTEGRATION, ...BROWSER]));
    const strays = all.filter((file) => !known.has(file));
    if (strays.length > 0) {
      throw new StageFailed(`These test files match none of ${[...UNIT, ...INTEGRATION, ...BROWSER].join(', ')} and would never run:\n  ${strays.join('\n  ')}`);
    }
    console.log(`${all.length} test files`);
  });

  await stage('Unit and integration tests (PGlite)', () => nodeTest(files([...UNIT, ...INTEGRATION]), 2, pgliteEnv));

  const postgresStage = 'Integration tests (PostgreSQL)';
  const initdb = newestInitdb();
  if (process.env.TEST_DATABASE_URL) {
    await stage(`${postgresStage} at TEST_DATABASE_URL`, () => nodeTest(files(INTEGRATION), 2, process.env));
  } else if (initdb) {
    await stage(postgresStage, async () => {
      const cluster = await throwawayCluster(path.dirname(initdb));
      cleanup = cluster.stop;
      try {
        await nodeTest(files(INTEGRATION), 2, { ...process.env, TEST_DATABASE_URL: cluster.url });
      } finally {
        cluster.stop();
      }
    });
  } else {
    missing(postgresStage, 'TEST_DATABASE_URL is not set and no /usr/lib/postgresql/*/bin/initdb was found (install postgresql-15)');
  }

  const browserStage = 'Browser tests (Chromium + axe)';
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(chromium)) {
    await stage(browserStage, () => nodeTest(files(BROWSER), 1, { ...pgliteEnv, CHROMIUM_PATH: chromium }));
  } else {
    missing(browserStage, `no Chromium at ${chromium} (install Debian's chromium, or set CHROMIUM_PATH)`);
  }
}

function summarise(): void {
  heading('Summary');
  for (const { stage: name, seconds, result } of timings) console.log(`${result.padEnd(8)} ${seconds.padStart(6)} s  ${name}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
}

try {
  await main();
  summarise();
} catch (error) {
  console.error(styleText('red', `\n${error instanceof StageFailed ? error.message : (error as Error).stack}`));
  summarise();
  process.exitCode = 1;
}
