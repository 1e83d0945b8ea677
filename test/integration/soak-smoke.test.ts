/**
 * A smoke test of the load soak's parts (soak/load.ts), so `npm run soak`
 * cannot rot unnoticed: a few seconds at a tiny rate against a test app on
 * 127.0.0.1, sampling this process's memory. It checks that requests are
 * sent and answered as expected and that the summary and the benchmarks
 * section are produced; it measures no timings.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startSession } from '../../src/platform/auth/sessions.ts';
import { judge, rewriteSoakSection, runLoad, SOAK_END, SOAK_START, summarise, type LoadTargets } from '../../soak/load.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`load soak smoke (${databaseLabel()})`, () => {
  let t: TestApp;
  let targets: LoadTargets;

  before(async () => {
    t = await createTestApp();
    const org = await t.organisation('Soak Smoke Org');
    const worker = await t.user(org.id, 'practitioner');
    const people = [await personWithEpisode(t, org.id, { keyWorkerId: worker.id }), await personWithEpisode(t, org.id, { keyWorkerId: worker.id })];
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    targets = {
      baseUrl: `http://127.0.0.1:${port}`,
      sessionToken: await startSession(t.deps.db, t.config, { id: worker.id, organisationId: org.id }, true),
      apiToken: await apiTokenFor(t, org.id, 'practitioner'),
      personIds: people.map((p) => p.personId),
      episodeIds: people.map((p) => p.episodeId),
    };
  });
  after(() => t.close());

  test('a short run sends every request, gets the expected answers and produces the summary', async () => {
    const result = await runLoad(targets, { requestsPerSecond: 6, durationMs: 2_000, sampleEveryMs: 400, pid: process.pid });
    assert.equal(result.sent, 12);
    assert.deepEqual(result.byKind, { 'caseload page': 4, 'person page': 4, 'contact via API': 4 });
    assert.deepEqual(result.errorExamples, []);
    assert.equal(result.ok, 12);
    assert.ok(result.rssSamples.length >= 2, 'memory was sampled');
    const stored = await t.deps.db.selectFrom('contact').select('id').where('episode_id', 'in', targets.episodeIds).execute();
    assert.equal(stored.length, 4, 'each contact request stored one contact');

    const summary = summarise(result, { date: '2026-01-01', command: 'npm run soak -- --minutes 0.03', environment: 'a test app' });
    assert.match(summary, /^## Load soak/);
    assert.match(summary, /\| Requests sent \| 12 \|/);
    assert.match(summary, /not the full 10 minutes/);
    assert.match(summary, /0 errors/);
    assert.equal(judge(result).noErrors, true);
  });

  test('a signed-out session or a failing request is counted as an error, and the run fails', async () => {
    const result = await runLoad({ ...targets, sessionToken: 'not-a-session' }, { requestsPerSecond: 6, durationMs: 1_000, sampleEveryMs: 400, pid: process.pid });
    assert.equal(result.sent, 6);
    assert.equal(result.errors, 4, 'the pages redirect to sign-in; the API calls still work');
    assert.match(result.errorExamples[0], /caseload page: 302/);
    assert.equal(judge(result).passed, false);
    assert.match(summarise(result, { date: '2026-01-01', command: 'x', environment: 'y' }), /\*\*Failed\*\*/);
  });

  test('the summary goes between the soak markers and nothing else in the file changes', () => {
    const bench = '<!-- Everything below is written by `npm run bench` (bench/run.ts); edit the text above this line only. -->';
    const document = `# Benchmarks\n\nIntro kept.\n\n${bench}\n\n## Results\n\nBench figures.\n`;
    const first = rewriteSoakSection(document, '## Load soak\n\nfirst');
    assert.ok(first.includes(`${SOAK_START}\n## Load soak\n\nfirst\n${SOAK_END}`));
    assert.ok(first.indexOf(SOAK_END) < first.indexOf(bench), 'above the part the bench rewrites');
    assert.equal(first.replace(/<!-- soak:start -->[\s\S]*<!-- soak:end -->\n\n/, ''), document);

    const second = rewriteSoakSection(first, '## Load soak\n\nsecond');
    assert.equal(second, first.replace('first', 'second'));
    assert.equal(second.split(SOAK_START).length, 2, 'one section, replaced in place');

    const plain = rewriteSoakSection('# Benchmarks\n\nNo marker.\n', 'body');
    assert.equal(plain, `# Benchmarks\n\nNo marker.\n\n${SOAK_START}\nbody\n${SOAK_END}\n`);
  });
});
