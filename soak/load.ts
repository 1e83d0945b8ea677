/**
 * The parts of the load soak (`npm run soak`, soak/run.ts): a fixed-rate
 * request loop with memory sampling, the verdict and its summary, and the
 * rewrite of the soak section of docs/benchmarks.md. Kept apart from the
 * command so test/integration/soak-smoke.test.ts can run them briefly against
 * a test app.
 */
import { readFile } from 'node:fs/promises';

export const SOAK_START = '<!-- soak:start -->';
export const SOAK_END = '<!-- soak:end -->';
/** docs/benchmarks.md's bench marker: `npm run bench` rewrites everything after it, so the soak section stays above it. */
const BENCH_MARKER_PREFIX = '<!-- Everything below is written by `npm run bench`';

/** How much the resident memory may move between the second and the last third of the run. */
export const FLAT_WITHIN = 0.1;

export interface LoadTargets {
  baseUrl: string;
  /** The value of the tg_session cookie of a signed-in practitioner. */
  sessionToken: string;
  /** A practitioner API token. */
  apiToken: string;
  personIds: string[];
  episodeIds: string[];
}

export interface LoadOptions {
  requestsPerSecond: number;
  durationMs: number;
  sampleEveryMs: number;
  /** The process whose resident memory is sampled (the server). */
  pid: number;
  /** Beyond this many unanswered requests, the next ones are not sent and count as errors: open loop, but bounded. */
  maxInFlight?: number;
  requestTimeoutMs?: number;
}

export type RequestKind = 'caseload page' | 'person page' | 'contact via API';

export interface LoadResult {
  requestsPerSecond: number;
  durationMs: number;
  sent: number;
  byKind: Record<RequestKind, number>;
  ok: number;
  errors: number;
  /** The first few errors, for the summary: kind, status or message. */
  errorExamples: string[];
  latenciesMs: number[];
  /** Resident set size in MiB, with when it was taken (ms from the start). */
  rssSamples: Array<{ atMs: number; mib: number }>;
}

/** VmRSS of a process from /proc, in MiB; undefined where there is no /proc or the process has gone. */
export async function residentMemoryMib(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Request n of the run: a caseload page, a person's page and a new contact, in turn, spread over the people and episodes. */
function requestFor(n: number, targets: LoadTargets): { kind: RequestKind; url: string; init: RequestInit; expected: number } {
  const cookie = { cookie: `tg_session=${targets.sessionToken}` };
  const round = Math.floor(n / 3);
  switch (n % 3) {
    case 0:
      return { kind: 'caseload page', url: `${targets.baseUrl}/caseload`, init: { headers: cookie }, expected: 200 };
    case 1: {
      const personId = targets.personIds[round % targets.personIds.length];
      return { kind: 'person page', url: `${targets.baseUrl}/people/${personId}`, init: { headers: cookie }, expected: 200 };
    }
    default: {
      const episodeId = targets.episodeIds[round % targets.episodeIds.length];
      // Distinct past times, so every contact is valid and none is in the future.
      const occurredAt = new Date(Date.UTC(2026, 0, 1) + round * 60_000).toISOString();
      const body = { occurredAt, type: 'face_to_face', setting: round % 4 === 0 ? 'prison' : 'community', with: 'person', durationMinutes: 30 };
      return {
        kind: 'contact via API',
        url: `${targets.baseUrl}/api/v1/episodes/${episodeId}/contacts`,
        init: { method: 'POST', headers: { authorization: `Bearer ${targets.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        expected: 201,
      };
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends requests at a fixed rate (open loop: request n leaves at n / rate
 * seconds, however slowly earlier ones are answered) for the duration, and
 * samples the server's memory as it goes. Stops by itself: the count of
 * requests is fixed before the first is sent.
 */
export async function runLoad(targets: LoadTargets, options: LoadOptions): Promise<LoadResult> {
  const total = Math.floor((options.requestsPerSecond * options.durationMs) / 1000);
  const interval = 1000 / options.requestsPerSecond;
  const maxInFlight = options.maxInFlight ?? 500;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const result: LoadResult = {
    requestsPerSecond: options.requestsPerSecond,
    durationMs: options.durationMs,
    sent: 0,
    byKind: { 'caseload page': 0, 'person page': 0, 'contact via API': 0 },
    ok: 0,
    errors: 0,
    errorExamples: [],
    latenciesMs: [],
    rssSamples: [],
  };
  const failed = (what: string) => {
    result.errors += 1;
    if (result.errorExamples.length < 5) result.errorExamples.push(what);
  };

  const started = performance.now();
  const sample = async () => {
    const mib = await residentMemoryMib(options.pid);
    if (mib !== undefined) result.rssSamples.push({ atMs: Math.round(performance.now() - started), mib });
  };
  await sample();
  const sampler = setInterval(() => void sample(), options.sampleEveryMs);

  const inFlight = new Set<Promise<void>>();
  const send = async (n: number) => {
    const { kind, url, init, expected } = requestFor(n, targets);
    result.byKind[kind] += 1;
    const sentAt = performance.now();
    try {
      const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      result.latenciesMs.push(performance.now() - sentAt);
      // Stricter than "any 2xx or 3xx": a page that redirects to the sign-in page has failed too.
      if (response.status === expected) result.ok += 1;
      else failed(`${kind}: ${response.status} ${response.headers.get('location') ?? ''}`.trim());
    } catch (error) {
      failed(`${kind}: ${(error as Error).message}`);
    }
  };

  try {
    for (let n = 0; n < total; n += 1) {
      const due = started + n * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      result.sent += 1;
      if (inFlight.size >= maxInFlight) {
        failed(`not sent: ${maxInFlight} requests already waiting for an answer`);
        continue;
      }
      const request = send(n).finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await Promise.all(inFlight);
    // The last third needs its own samples even when the run is shorter than a sampling interval.
    await sample();
  } finally {
    clearInterval(sampler);
  }
  return result;
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Verdict {
  /** Mean RSS (MiB) of each third of the samples; the first third is the warm-up. */
  warmUpMib: number;
  secondThirdMib: number;
  lastThirdMib: number;
  /** Last third against the second, as a fraction (0.05 = 5% more). */
  memoryChange: number;
  memoryFlat: boolean;
  noErrors: boolean;
  passed: boolean;
}

export function judge(result: LoadResult): Verdict {
  const mib = result.rssSamples.map((s) => s.mib);
  const third = Math.floor(mib.length / 3);
  const warmUp = mib.slice(0, third);
  const second = mib.slice(third, 2 * third);
  const last = mib.slice(2 * third);
  const secondMean = mean(second);
  const lastMean = mean(last);
  const memoryChange = lastMean / secondMean - 1;
  // Flat both ways: a large fall would mean the second third was still growing, not steady.
  const memoryFlat = third > 0 && Math.abs(memoryChange) <= FLAT_WITHIN;
  const noErrors = result.errors === 0 && result.sent > 0;
  return { warmUpMib: mean(warmUp), secondThirdMib: secondMean, lastThirdMib: lastMean, memoryChange, memoryFlat, noErrors, passed: memoryFlat && noErrors };
}

const one = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');

/** The soak's result as Markdown, for the terminal and docs/benchmarks.md. */
export function summarise(result: LoadResult, context: { date: string; command: string; environment: string }): string {
  const verdict = judge(result);
  const minutes = result.durationMs / 60_000;
  const lines = [
    '## Load soak',
    '',
    `\`${context.command}\` on ${context.date}: ${result.requestsPerSecond} requests a second for ${minutes} minute${minutes === 1 ? '' : 's'} at a fixed rate, against ${context.environment}.`,
  ];
  if (minutes < 10) lines.push('', `This was a short run of ${minutes} minute${minutes === 1 ? '' : 's'}, not the full 10 minutes that \`npm run soak\` runs by default.`);
  lines.push(
    '',
    `**${verdict.passed ? 'Passed' : 'Failed'}**: memory ${verdict.memoryFlat ? 'flat' : 'NOT flat'} within ${FLAT_WITHIN * 100}% (last third against second third: ${verdict.memoryChange >= 0 ? '+' : ''}${one(verdict.memoryChange * 100)}%), ${result.errors} error${result.errors === 1 ? '' : 's'}.`,
    '',
    '| Figure | Value |',
    '| --- | ---: |',
    `| Requests sent | ${result.sent} |`,
    ...Object.entries(result.byKind).map(([kind, count]) => `| – ${kind} | ${count} |`),
    `| Answered as expected (200 for pages, 201 for contacts) | ${result.ok} |`,
    `| Errors (any other status, no answer, or not sent) | ${result.errors} |`,
    `| Latency p50 / p95 / p99 / max | ${one(percentile(result.latenciesMs, 50))} / ${one(percentile(result.latenciesMs, 95))} / ${one(percentile(result.latenciesMs, 99))} / ${one(percentile(result.latenciesMs, 100))} ms |`,
    `| Memory samples (server RSS) | ${result.rssSamples.length} |`,
    `| RSS mean, first third (warm-up) | ${one(verdict.warmUpMib)} MiB |`,
    `| RSS mean, second third | ${one(verdict.secondThirdMib)} MiB |`,
    `| RSS mean, last third | ${one(verdict.lastThirdMib)} MiB |`,
    `| RSS min / max | ${one(Math.min(...result.rssSamples.map((s) => s.mib)))} / ${one(Math.max(...result.rssSamples.map((s) => s.mib)))} MiB |`,
  );
  if (result.errorExamples.length > 0) lines.push('', 'First errors:', '', ...result.errorExamples.map((example) => `- ${example}`));
  lines.push('', `RSS samples (MiB): ${result.rssSamples.map((s) => s.mib.toFixed(0)).join(', ')}.`);
  return lines.join('\n');
}

/**
 * Puts the summary between the soak markers and leaves everything else as it
 * was. Without markers, the section goes just above the bench marker (which
 * `npm run bench` rewrites everything after), or else at the end.
 */
export function rewriteSoakSection(existing: string, summary: string): string {
  const block = `${SOAK_START}\n${summary}\n${SOAK_END}`;
  const start = existing.indexOf(SOAK_START);
  const end = existing.indexOf(SOAK_END);
  if (start >= 0 && end > start) return existing.slice(0, start) + block + existing.slice(end + SOAK_END.length);
  const bench = existing.indexOf(BENCH_MARKER_PREFIX);
  if (bench >= 0) return `${existing.slice(0, bench)}${block}\n\n${existing.slice(bench)}`;
  return `${existing.trimEnd()}\n\n${block}\n`;
}
