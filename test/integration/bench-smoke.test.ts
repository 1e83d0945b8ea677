import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderResults, rewriteDocument, GENERATED_MARKER } from '../../bench/markdown.ts';
import { serverVersion } from '../../bench/queries.ts';
import { httpSuite } from '../../bench/http.ts';
import { importSuite } from '../../bench/import.ts';
import { machine } from '../../bench/run.ts';
import { startupSuite } from '../../bench/startup.ts';
import { openPGlite } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { freePort, serverEnv } from '../../soak/run.ts';
import { reportSuite, seedSuite } from '../../bench/suites.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

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

    const document = rewriteDocument(`# Benchmarks\n\nKept preamble.\n\n${GENERATED_MARKER}\n\nold figures`, 'unused', generated);
    assert.match(document, /Kept preamble\./);
    assert.doesNotMatch(document, /old figures|unused/);
    const soak = '<!-- soak:start -->\nSoak: flat memory\n<!-- soak:end -->';
    const withSoak = rewriteDocument(`# Benchmarks\n\n${GENERATED_MARKER}\n\nold figures\n\n${soak}\n`, 'unused', generated);
    assert.ok(withSoak.includes(soak), 'the soak result written by npm run soak is kept');
    assert.doesNotMatch(withSoak, /old figures/);
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
        imports,
      });
      for (const page of ['caseload page', 'person page', 'release board', 'contact via API']) {
        assert.match(generated, new RegExp(`\\| ${page} \\| 1 \\| [\\d.,]+ \\| [\\d.]+ / [\\d.]+ / [\\d.]+ ms \\| 0 \\| [\\d.,]+ \\|`));
      }
      assert.match(generated, /\| 1 connection \| [\d.,]+ \|/);
      assert.match(generated, /\| Cold start, existing data directory \(the seeded one\) \| [\d.]+ s/);
      assert.match(generated, /\| First start, empty data directory/);
      assert.match(generated, /\| Server resident memory \(VmRSS\) after the load test \| /);
      assert.match(generated, /\| throughgate import \| 100 \|/);
      assert.match(generated, /\| Bulk load \(PGlite COPY/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
