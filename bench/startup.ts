/**
 * Start-up: time from spawning `throughgate serve` (production mode, the
 * soak's throwaway settings) to the first 200 from /health, on an existing
 * data directory and on an empty one (first start: migrations included).
 *
 * On its own: `node bench/startup.ts [--runs N] [--data-dir DIR | --people N]`
 * times N starts of each (default 5) on DIR, a closed data directory, or on
 * a new one seeded with N people (default 5,000), and prints the figures.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { SERVE_NODE_FLAGS, serverEnv, stopServer } from '../soak/run.ts';
import { freePort } from '../test/support/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface StartupFigures {
  /** Seconds to the first 200, each run, on the existing data directory. */
  existing: number[];
  /** The same on a new, empty data directory each run. */
  empty: number[];
}

/** Spawns the server on dataDir and resolves with the seconds to the first 200 from /health (polled every 10 ms); stops it after. */
export async function coldStart(dataDir: string): Promise<number> {
  const env = serverEnv(dataDir, await freePort());
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVE_NODE_FLAGS, 'bin/throughgate.ts', 'serve'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${env.PORT}/health`)).status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the server did not answer /health within 2 minutes');
  } finally {
    await stopServer(child);
  }
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** `runs` cold starts on the existing (closed) data directory, and `runs` first starts on new empty ones. */
export async function startupSuite(existingDataDir: string, runs: number): Promise<StartupFigures> {
  const existing: number[] = [];
  for (let n = 0; n < runs; n += 1) existing.push(await coldStart(existingDataDir));
  const empty: number[] = [];
  for (let n = 0; n < runs; n += 1) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-empty-'));
    try {
      empty.push(await coldStart(path.join(dir, 'data')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { existing, empty };
}

/** A new data directory seeded by `throughgate seed` (a child process, as a user would run it). */
async function seededDataDir(dir: string, people: number): Promise<string> {
  const dataDir = path.join(dir, 'data');
  await promisify(execFile)(process.execPath, ['bin/throughgate.ts', 'seed', '--people', String(people), '--allow-production'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return dataDir;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'data-dir': { type: 'string' }, people: { type: 'string', default: '5000' } } });
  const runs = Number(values.runs);
  const people = Number(values.people);
  if (!(Number.isInteger(runs) && runs > 0) || !(Number.isInteger(people) && people > 0)) {
    console.error('Usage: node bench/startup.ts [--runs N] [--data-dir DIR | --people N]');
    process.exit(2);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-startup-'));
  try {
    const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : await seededDataDir(dir, people);
    const figures = await startupSuite(dataDir, runs);
    const line = (label: string, seconds: number[]) => `${label}: median ${median(seconds).toFixed(2)} s (${seconds.map((s) => s.toFixed(2)).join(', ')})`;
    console.log(line('Cold start, existing data directory', figures.existing));
    console.log(line('First start, empty data directory', figures.empty));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
