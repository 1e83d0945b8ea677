import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderResults, rewriteDocument, GENERATED_MARKER } from '../../bench/markdown.ts';
import { serverVersion } from '../../bench/queries.ts';
import { machine } from '../../bench/run.ts';
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
});
