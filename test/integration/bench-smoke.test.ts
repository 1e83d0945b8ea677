import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderResults, rewriteDocument, GENERATED_MARKER } from '../../bench/markdown.ts';
import { serverVersion } from '../../bench/queries.ts';
import { httpSuite } from '../../bench/http.ts';
import { importSuite } from '../../bench/import.ts';
import { reportTableTimings } from '../../bench/report-tables.ts';
import { machine } from '../../bench/run.ts';
import { startupSuite } from '../../bench/startup.ts';
import { openPGlite } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { serverEnv } from '../../soak/run.ts';
import { freePort } from '../support/free-port.ts';
import { GROWTH_PAGES, growthSuite, growthTargets, renderGrowth } from '../../bench/growth.ts';
import { reportSuite, reusableRun, reusedSeedFigures, seedSuite } from '../../bench/suites.ts';
import { countRows, GENERATOR_VERSION, seedRuns } from '../../src/modules/seed/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const countRowsOf = (t: TestApp, organisationId: string) => countRows(t.deps.db, organisationId);

/** The benchmark's own functions on a tiny dataset: they must still run and agree. No timing is checked. */
describe('npm run bench (smoke)', () => {
  let t: TestApp;

  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('seeds, times the report beside the hand-written funnel, and writes the tables of the doc', async () => {
    const seed = await seedSuite(t.deps.db, 50, { organisationName: 'Bench smoke service' });
    assert.equal(seed.tables.person, 50);
    const report = await reportSuite(t.deps.db, seed, 1, 0);
    assert.deepEqual(report.reportFunnel, report.handWrittenFunnel, 'the report and the hand-written query count the same funnel');
    assert.ok(report.tables > 10);

    const generated = renderResults({
      date: '2026-01-01',
      command: 'npm run bench -- --people 50 --runs 1',
      runs: 1,
      machine: machine(),
      databases: [{ label: 'Smoke', version: await serverVersion(t.deps.db), seed, report }],
    });
    assert.match(generated, /\| person \| 50 \|/);
    assert.match(generated, /\| Smoke \| 50 \| \d+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ × \| [\d.]+ × \|/);
    assert.match(generated, /\| referred \| \d+ \| \d+ \|/);

    const period = { from: seed.startsOn, to: seed.endsOn, asAt: seed.endsOn };
    const timings = await reportTableTimings(t.deps.db, seed.organisationId, period, 1, 0);
    assert.ok(timings.some((timing) => timing.table.startsWith('timing')) && timings.at(-1)?.table.startsWith('whole'));
    const breakdown = renderResults({
      date: '2026-01-01',
      command: 'x',
      runs: 1,
      machine: machine(),
      databases: [],
      tableBreakdowns: [{ label: 'Smoke', people: 50, timings }],
    });
    assert.match(breakdown, /\| Part \| Smoke \|/);
    assert.match(breakdown, /\| timing \(3 tables\) \| [\d.]+ ms \|/);
    assert.match(breakdown, /\| sum of the parts \(as the app runs them\) \| [\d.]+ ms \|/);

    const document = rewriteDocument(`# Benchmarks\n\nKept preamble.\n\n${GENERATED_MARKER}\n\nold figures`, 'unused', generated);
    assert.match(document, /Kept preamble\./);
    assert.doesNotMatch(document, /old figures|unused/);
    const soak = '<!-- soak:start -->\nSoak: flat memory\n<!-- soak:end -->';
    const withSoak = rewriteDocument(`# Benchmarks\n\n${GENERATED_MARKER}\n\nold figures\n\n${soak}\n`, 'unused', generated);
    assert.ok(withSoak.includes(soak), 'the soak result written by npm run soak is kept');
    assert.doesNotMatch(withSoak, /old figures/);
  });

  test('the growth suite times each page and explains its statements, and renders a table across sizes with the plans', async () => {
    const seed = await seedSuite(t.deps.db, 40, { organisationName: 'Bench smoke growth' });
    const targets = await growthTargets(t.deps.db, seed.organisationId, seed.endsOn, 3);
    assert.ok(targets.workerIds.length > 0 && targets.personIds.length === 3 && targets.episodeIds.length > 0);
    const contactsBefore = (await countRowsOf(t, seed.organisationId)).contact;
    const small = await growthSuite(t.deps.db, targets, { label: 'small', people: 40, reportMs: 2, handWrittenMs: 1 }, { calls: 2, explain: false });
    const large = await growthSuite(t.deps.db, targets, { label: 'large', people: 400, reportMs: 4, handWrittenMs: 2 }, { calls: 2, explain: true });
    assert.equal((await countRowsOf(t, seed.organisationId)).contact, contactsBefore, 'the contact insert is rolled back');
    for (const page of GROWTH_PAGES) {
      assert.equal(small.pages[page].calls, 2);
      assert.ok(large.plans?.[page].length, `${page} has its statements' plans`);
    }
    assert.equal(large.plans?.['contact insert'].length, 4, 'lock, insert, recompute, stage');
    assert.match(large.plans?.['contact insert'][1].sql ?? '', /^insert into "contact"/);
    assert.match(large.plans?.['person page'][0].plan ?? '', /Execution Time/);

    const rendered = renderGrowth([small, large]).join('\n');
    assert.match(rendered, /\| Query \| 40 people \| 400 people \| 400 ÷ 40 \|/);
    for (const page of GROWTH_PAGES) assert.match(rendered, new RegExp(`\\| ${page} \\| [\\d.]+ ms \\(p95 [\\d.]+ ms\\) \\| [\\d.]+ ms \\(p95 [\\d.]+ ms\\) \\| [\\d.]+ × \\|`));
    assert.match(rendered, /\| whole outcomes report \| 2\.00 ms \| 4\.00 ms \| 2\.00 × \|/);
    assert.match(rendered, /<details><summary>contact insert: 4 statements<\/summary>/);
  });

  test('a kept database is reused only for the same people, years, seed and generator, with the figures of its seed run', async () => {
    const seed = await seedSuite(t.deps.db, 20, { organisationName: 'Bench smoke reuse' });
    const run = (await seedRuns(t.deps.db)).find((candidate) => candidate.organisationId === seed.organisationId)!;
    const wanted = { people: 20, years: 3, seed: 1 };
    assert.deepEqual(reusableRun([run], wanted), { run });
    assert.match((reusableRun([run], { ...wanted, people: 21 }) as { reason: string }).reason, /seeded with 20 people, 3 years, seed 1/);
    assert.match((reusableRun([run], { ...wanted, seed: 2 }) as { reason: string }).reason, /seed 1/);
    assert.match((reusableRun([run, run], wanted) as { reason: string }).reason, /2 seed runs/);
    assert.match((reusableRun([], wanted) as { reason: string }).reason, /no finished seed run/);
    assert.match((reusableRun([{ ...run, generator: GENERATOR_VERSION - 1 }], wanted) as { reason: string }).reason, /generator/);
    assert.match((reusableRun([{ ...run, seconds: null }], wanted) as { reason: string }).reason, /did not record/);

    const reused = await reusedSeedFigures(t.deps.db, run);
    assert.equal(reused.reused, true);
    assert.deepEqual({ ...reused, seconds: 0, rowsPerSecond: 0 }, { ...seed, seconds: 0, rowsPerSecond: 0, reused: true });
    assert.equal(reused.seconds, Number(seed.seconds.toFixed(3)));
    const generated = renderResults({
      date: '2026-01-01',
      command: 'npm run bench -- --reuse-databases',
      runs: 1,
      machine: machine(),
      databases: [{ label: 'Reused', version: 'x', seed: reused, report: await reportSuite(t.deps.db, reused, 1, 0) }],
    });
    assert.match(generated, /\| Reused \| 20 \| [\d,]+ \| [\d.]+ \| [\d,]+ \| earlier \(reused\) \|/);
  });

  test('the server suites run tiny: pages under load, start-up, memory and import, rendered in the doc', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'throughgate-bench-smoke-'));
    const dataDir = path.join(dir, 'data');
    try {
      const database = await openPGlite(dataDir);
      let seed: Awaited<ReturnType<typeof seedSuite>>;
      try {
        await migrate(database);
        seed = await seedSuite(database.db, 30, { organisationName: 'Bench smoke server' });
      } finally {
        await database.close();
      }
      const startup = await startupSuite(dataDir, 1);
      assert.equal(startup.existing.length, 1);
      assert.equal(startup.empty.length, 1);
      const http = await httpSuite(dataDir, serverEnv(dataDir, await freePort()), { id: seed.organisationId, name: 'Bench smoke server' }, {
        connections: [1],
        durationMs: 500,
        logFile: path.join(dir, 'server.log'),
      });
      assert.equal(http.pages.length, 4);
      for (const row of http.pages) {
        assert.ok(row.http.requests > 0, `${row.page} was answered`);
        assert.equal(row.http.errors, 0, `${row.page} answered as expected`);
        assert.ok(row.raw.requests > 0 && row.raw.errors === 0, `${row.page}'s raw queries ran`);
      }
      const imports = await importSuite(100, serverEnv(dataDir, 0));
      assert.equal(imports.imported, 100);
      assert.equal(imports.bulkRows, 100);

      const generated = renderResults({
        date: '2026-01-01',
        command: 'npm run bench -- --people 30 --runs 1',
        runs: 1,
        machine: machine(),
        databases: [],
        http,
        startup,
        imports: [imports],
        postgresPages: [{ label: 'PostgreSQL 30', people: 30, figures: { ...http, hello: [] } }],
      });
      for (const page of ['caseload page', 'person page', 'release board', 'contact via API']) {
        assert.match(generated, new RegExp(`\\| ${page} \\| 1 \\| [\\d.,]+ \\| [\\d.]+ / [\\d.]+ / [\\d.]+ ms \\| 0 \\| [\\d.,]+ \\|`));
      }
      assert.match(generated, /\| 1 connection \| [\d.,]+ \|/);
      assert.match(generated, /\| Cold start, existing data directory \(the seeded one\) \| [\d.]+ s/);
      assert.match(generated, /\| First start, empty data directory/);
      assert.match(generated, /\| Server resident memory \(VmRSS\) after the load test \| /);
      assert.match(generated, /\| PGlite \| throughgate import \| 100 \|/);
      assert.match(generated, /\| PGlite \| Bulk load \(PGlite COPY/);
      assert.match(generated, /#### PGlite\n/);
      assert.match(generated, /#### PostgreSQL 30, 30 people\n/);
      assert.match(generated, /\| person page \| findLiveSession, findPerson/, 'the raw side of each page is named');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
