import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { importRow } from '../../src/modules/imports/import-row.ts';
import { personWithEpisode } from '../support/journey.ts';
import { directPrincipal } from '../../src/platform/http/context.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../docs/examples');
const HEADER =
  'external_id,source_system,given_name,family_name,date_of_birth,prison_number,crn,pnc_id,nhs_number,ni_number,sex,ethnicity,referral_source,referring_organisation,received_on,reason,prison,conditional_release_date';

function multipart(fields: Record<string, string>, file?: { fileName: string; content: Buffer | string }) {
  const boundary = `----tgtest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.fileName}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The value beside a key in a GOV.UK summary list. */
function summaryValue(html: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}\\s*</dt>\\s*<dd[^>]*>\\s*([^<]*?)\\s*</dd>`).exec(html)?.[1];
}

describe(`bulk import of referrals (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let manager: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Import Org');
    manager = await t.signedIn(org.id, 'manager');
  });
  after(() => t.close());

  async function upload(browser: Browser, fileName: string, content: Buffer | string, fields: Record<string, string> = {}) {
    const csrf = await browser.csrfFrom('/imports/new');
    const body = multipart({ _csrf: csrf, ...fields }, { fileName, content });
    return t.app.inject({
      method: 'POST',
      url: '/imports/new',
      headers: { cookie: browser.cookieHeader(), 'content-type': body.contentType },
      payload: body.payload,
    });
  }

  /** Uploads, checks the preview, confirms, and returns the batch id and the finished batch page. */
  async function importFile(browser: Browser, fileName: string, content: Buffer | string, fields: Record<string, string> = {}) {
    const uploaded = await upload(browser, fileName, content, fields);
    assert.equal(uploaded.statusCode, 302, uploaded.body);
    const batchUrl = uploaded.headers.location as string;
    const preview = await browser.get(batchUrl);
    assert.equal(preview.statusCode, 200);
    const run = await browser.submit(batchUrl, `${batchUrl}/run`, {});
    assert.equal(run.statusCode, 302, run.body);
    const finished = await browser.get(batchUrl);
    return { batchId: batchUrl.split('/').pop() as string, preview, finished };
  }

  const count = async (table: 'person' | 'episode' | 'referral' | 'prison_stay' | 'release_date', organisationId = org.id) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where organisation_id = ${organisationId}`.execute(t.deps.db))
        .rows[0].n,
    );
  const batchRow = (id: string) => t.deps.db.selectFrom('import_batch').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const referralFor = (source: string, externalId: string) =>
    t.deps.db
      .selectFrom('referral')
      .innerJoin('episode', 'episode.id', 'referral.episode_id')
      .innerJoin('person', 'person.id', 'episode.person_id')
      .selectAll('referral')
      .select(['person.id as person_id', 'person.given_name', 'person.prison_number', 'episode.referred_on', 'episode.stage'])
      .where('referral.organisation_id', '=', org.id)
      .where('referral.external_source', '=', source)
      .where('referral.external_id', '=', externalId)
      .executeTakeFirst();

  test('good rows import, bad rows are listed with line and every reason, and nothing of a bad row is written', async () => {
    const file = [
      HEADER,
      'BR-1,Broken Test,Alma,Good,1990-05-01,E1111AA,,,,,female,,probation,"Probation, Leeds",2026-03-01,"First, good",leeds,2026-09-01',
      'BR-2,Broken Test,,Nameless,1990-13-40,BADPRISON,,,1234567890,,martian,,nowhere,,2099-01-01,,no_such_prison,',
      'BR-3,Broken Test,Bea,Good,,,X222333,,,,,,,,2026-03-02,,,',
      'BR-4,Broken Test,Cal,Bad"quote,,,,,,,,,,,2026-03-03,,,',
      ',Broken Test,Dee,Missing,,,,,,,,,,,2026-03-04,,,',
    ].join('\n');
    const before = { people: await count('person'), referrals: await count('referral'), episodes: await count('episode') };

    const uploaded = await upload(manager.browser, 'broken.csv', file);
    assert.equal(uploaded.statusCode, 302);
    const batchUrl = uploaded.headers.location as string;
    assert.equal(await count('referral'), before.referrals, 'the preview writes no referral');
    const preview = await manager.browser.get(batchUrl);
    assert.match(preview.body, /Check the file before importing/);
    assert.equal(summaryValue(preview.body, 'Would import'), '2');
    assert.equal(summaryValue(preview.body, 'Rows with errors'), '3');
    assert.match(preview.body, /Import 2 rows/);
    assert.match(preview.body, /Alma Good/, 'the first good rows are shown');

    const run = await manager.browser.submit(batchUrl, `${batchUrl}/run`, {});
    assert.equal(run.statusCode, 302);
    const page = await manager.browser.get(batchUrl);
    assert.match(page.body, /Import finished/);
    assert.equal(summaryValue(page.body, 'Imported'), '2');

    const errors = await t.deps.db
      .selectFrom('import_row_error')
      .select(['line', 'reason'])
      .where('batch_id', '=', batchUrl.split('/').pop() as string)
      .orderBy('line')
      .execute();
    assert.deepEqual(
      errors.map((error) => error.line),
      [3, 5, 6],
    );
    const line3 = errors[0].reason;
    for (const expected of [
      /given_name: enter the person’s first name/,
      /date_of_birth: must be a real date/,
      /prison_number: Enter a prison number in the correct format/,
      /nhs_number: Enter a valid NHS number/,
      /sex: "martian" is not a code on the sex list/,
      /referral_source: "nowhere" is not a code/,
      /received_on: must not be in the future/,
      /prison: "no_such_prison" is not a code/,
    ]) {
      assert.match(line3, expected, 'every problem of the row is reported');
    }
    assert.match(errors[1].reason, /double quote/);
    assert.match(errors[2].reason, /external_id: enter the sender’s own id/);
    assert.match(page.body, /Line<\/th>/);
    assert.match(page.body, /nhs_number: Enter a valid NHS number/);

    assert.equal(await count('person'), before.people + 2);
    assert.equal(await count('episode'), before.episodes + 2);
    assert.equal(await count('referral'), before.referrals + 2);
    for (const id of ['BR-2', 'BR-4']) assert.equal(await referralFor('Broken Test', id), undefined);
    const namesWritten = await t.deps.db.selectFrom('person').select('family_name').where('organisation_id', '=', org.id).execute();
    assert.ok(!namesWritten.some((row) => ['Nameless', 'Missing'].includes(row.family_name) || row.family_name.startsWith('Bad')));

    const alma = await referralFor('Broken Test', 'BR-1');
    assert.ok(alma);
    assert.equal(alma.status, 'pending');
    assert.equal(alma.received_on, '2026-03-01');
    assert.equal(alma.referred_on, '2026-03-01');
    assert.equal(alma.source_code, 'probation');
    assert.equal(alma.referring_organisation, 'Probation, Leeds');
    assert.equal(alma.reason, 'First, good');
    assert.equal(alma.prison_number, 'E1111AA');
    assert.equal(alma.stage, 'referred');
    const stay = await t.deps.db.selectFrom('prison_stay').selectAll().where('episode_id', '=', alma.episode_id).execute();
    assert.deepEqual(
      stay.map((row) => row.prison_code),
      ['leeds'],
    );
    const release = await t.deps.db.selectFrom('release_date').selectAll().where('episode_id', '=', alma.episode_id).execute();
    assert.deepEqual(
      release.map((row) => [row.kind_code, row.on_date]),
      [['conditional_release', '2026-09-01']],
    );

    const batch = await batchRow(batchUrl.split('/').pop() as string);
    assert.equal(batch.status, 'finished');
    assert.deepEqual([batch.total_rows, batch.imported_rows, batch.skipped_rows, batch.error_rows], [5, 2, 0, 3]);
    const audits = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'subject_id', 'detail', 'actor_user_id'])
      .where('organisation_id', '=', org.id)
      .where('action', 'in', ['import.row-imported', 'import.finished'])
      .where(sql<boolean>`detail->>'batchId' = ${batch.id} or subject_id = ${batch.id}`)
      .execute();
    assert.equal(audits.filter((row) => row.action === 'import.row-imported').length, 2, 'one audit event per created referral');
    const finished = audits.find((row) => row.action === 'import.finished');
    assert.deepEqual(
      { ...(finished?.detail as object), fileName: undefined },
      { fileName: undefined, rows: 5, imported: 2, skipped: 0, errors: 3 },
    );
    assert.equal(finished?.actor_user_id, manager.userId);
  });

  test('a row that fails part-way through being written leaves nothing behind', async () => {
    const before = { people: await count('person'), episodes: await count('episode'), referrals: await count('referral') };
    const principal = directPrincipal({ id: org.id, name: 'Import Org' }, 'manager', { id: manager.userId, displayName: 'Test manager', email: null });
    // A date the database refuses, reaching the last insert of the row (checkRow would have caught it).
    const row = {
      externalId: 'HALF-1', sourceSystem: 'Half Test', givenName: 'Half', familyName: 'Written', dateOfBirth: null,
      prisonNumber: null, crn: null, pncId: null, nhsNumber: null, niNumber: null, sex: null, ethnicity: null,
      referralSource: null, referringOrganisation: null, receivedOn: '2026-01-01', reason: null, prison: 'leeds',
      conditionalReleaseDate: '2026-02-30',
    };
    await assert.rejects(importRow(t.deps.db, principal, { batchId: '00000000-0000-0000-0000-000000000000', line: 2, row }), /date/);
    assert.deepEqual(
      { people: await count('person'), episodes: await count('episode'), referrals: await count('referral') },
      before,
      'the person, episode and referral inserted before the failure were rolled back',
    );
  });

  test('importing the same file again creates no duplicates: every row is skipped', async () => {
    const file = readFileSync(path.join(EXAMPLES, 'referrals.csv'));
    const first = await importFile(manager.browser, 'referrals.csv', file);
    const afterFirst = { people: await count('person'), referrals: await count('referral') };
    assert.deepEqual((({ imported_rows, skipped_rows, error_rows }) => [imported_rows, skipped_rows, error_rows])(await batchRow(first.batchId)), [4, 0, 0]);

    const second = await importFile(manager.browser, 'referrals.csv', file);
    assert.equal(summaryValue(second.preview.body, 'Would skip (already imported)'), '4');
    assert.doesNotMatch(second.preview.body, /Import \d+ rows?</, 'nothing to confirm when every row would be skipped');
    // Confirming anyway (a stale form) still writes nothing new.
    const batch = await batchRow(second.batchId);
    assert.deepEqual([batch.imported_rows, batch.skipped_rows, batch.error_rows], [0, 4, 0]);
    assert.equal(batch.status, 'finished');
    assert.deepEqual({ people: await count('person'), referrals: await count('referral') }, afterFirst);

    const okafor = await referralFor('HMP Leeds OMU', 'LDS-2026-0001');
    assert.equal(okafor?.reason, 'Wants help finding work in construction, has a CSCS card');
    const oneil = await referralFor('HMP Leeds OMU', 'LDS-2026-0002');
    assert.equal(oneil?.reason, 'Referred by in-reach: "keen to work" after release');
    assert.equal(oneil?.given_name, 'Siân', 'UTF-8 text survives');
    const kowalski = await referralFor('HMP Leeds OMU', 'LDS-2026-0003');
    assert.equal(kowalski?.reason, 'Two lines of notes:\nfirst job in a warehouse');
  });

  test('a row whose prison number matches a person of the organisation adds an episode to that person', async () => {
    const existing = await personWithEpisode(t, org.id, { givenName: 'Known', familyName: 'Person' });
    await t.deps.db.updateTable('person').set({ prison_number: 'F2222BB' }).where('id', '=', existing.personId).execute();
    const byName = await personWithEpisode(t, org.id, { givenName: 'Nora', familyName: 'Exact' });
    const people = await count('person');
    const file = [
      HEADER,
      // Spelt differently, but the prison number is the same person.
      'MT-1,Match Test,Knwn,Persson,,f2222bb,,,,,,,,,2026-04-01,,,',
      // No identifiers: the same names and date of birth find the person.
      'MT-2,Match Test,nora,EXACT,1990-01-01,,,,,,,,,,2026-04-02,,,',
      // Same names, different date of birth: a different person.
      'MT-3,Match Test,Nora,Exact,1991-01-01,,,,,,,,,,2026-04-03,,,',
    ].join('\r\n');
    await importFile(manager.browser, 'match.csv', file);
    assert.equal((await referralFor('Match Test', 'MT-1'))?.person_id, existing.personId);
    assert.equal((await referralFor('Match Test', 'MT-2'))?.person_id, byName.personId);
    assert.notEqual((await referralFor('Match Test', 'MT-3'))?.person_id, byName.personId);
    assert.equal(await count('person'), people + 1, 'only the unmatched row created a person');
    const episodes = await t.deps.db.selectFrom('episode').select('id').where('person_id', '=', existing.personId).execute();
    assert.equal(episodes.length, 2, 'the returning person has a new episode and keeps the old one');
  });

  test('a row matching two people by identifier is refused rather than guessed', async () => {
    for (const name of ['Twin', 'Twain']) {
      const { personId } = await personWithEpisode(t, org.id, { givenName: name, familyName: 'Dup' });
      await t.deps.db.updateTable('person').set({ crn: 'W999888' }).where('id', '=', personId).execute();
    }
    const { batchId } = await importFile(manager.browser, 'dup.csv', [HEADER, 'DP-1,Dup Test,Twin,Dup,,,W999888,,,,,,,,2026-04-01,,,'].join('\n'));
    const errors = await t.deps.db.selectFrom('import_row_error').selectAll().where('batch_id', '=', batchId).execute();
    assert.equal(errors.length, 1);
    assert.match(errors[0].reason, /matches 2 people by identifier/);
    assert.equal(await referralFor('Dup Test', 'DP-1'), undefined);
  });

  test('JSON Lines imports the same way, with broken lines reported', async () => {
    const good = readFileSync(path.join(EXAMPLES, 'referrals.jsonl'), 'utf8');
    const file = `${good.trimEnd()}\n{"external_id": "PRB-900", "source_system": "Yorkshire Probation", "given_name": "X"}\nnot json\n{"external_id": "PRB-901", "colour": "blue", "given_name": "Y", "family_name": "Z", "source_system": "S", "received_on": "2026-01-01"}\n`;
    const { batchId } = await importFile(manager.browser, 'referrals.jsonl', file);
    const batch = await batchRow(batchId);
    assert.deepEqual([batch.total_rows, batch.imported_rows, batch.error_rows], [6, 3, 3]);
    const errors = await t.deps.db.selectFrom('import_row_error').select(['line', 'reason']).where('batch_id', '=', batchId).orderBy('line').execute();
    assert.deepEqual(
      errors.map((error) => error.line),
      [4, 5, 6],
    );
    assert.match(errors[0].reason, /family_name: enter the person’s last name/);
    assert.match(errors[0].reason, /received_on: enter the date/);
    assert.match(errors[1].reason, /not a JSON object/);
    assert.match(errors[2].reason, /Unknown field "colour"/);
    const turner = await referralFor('Yorkshire Probation', 'PRB-882');
    assert.equal(turner?.prison_number, 'D4567EF');
    const again = await importFile(manager.browser, 'referrals.ndjson', good);
    const second = await batchRow(again.batchId);
    assert.deepEqual([second.imported_rows, second.skipped_rows], [0, 3]);
  });

  test('the upload form fills source_system for rows without one', async () => {
    const file = ['external_id,given_name,family_name,received_on', 'SS-1,Sol,System,2026-05-05'].join('\n');
    await importFile(manager.browser, 'no-source.csv', file, { sourceSystem: 'HMP Hull OMU' });
    assert.ok(await referralFor('HMP Hull OMU', 'SS-1'));
  });

  test('a large file imports in the background, and a running batch’s page shows progress and refreshes itself', async () => {
    const rows = Array.from({ length: 320 }, (_, n) => `BG-${n},Background Test,Bo${n},Ground,,,,,,,,,,,2026-06-01,,,`);
    const uploaded = await upload(manager.browser, 'big-list.csv', [HEADER, ...rows].join('\n'));
    const batchUrl = uploaded.headers.location as string;
    const run = await manager.browser.submit(batchUrl, `${batchUrl}/run`, {});
    assert.equal(run.statusCode, 302);
    let batch = await batchRow(batchUrl.split('/').pop() as string);
    for (let tries = 0; batch.status === 'running' && tries < 600; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = await batchRow(batch.id);
    }
    assert.equal(batch.status, 'finished');
    assert.equal(batch.imported_rows, 320);
    assert.doesNotMatch((await manager.browser.get(batchUrl)).body, /http-equiv="refresh"/, 'a finished batch stays still');

    // (PGlite runs one query at a time, so the page cannot be caught mid-run here: set the state directly.)
    await t.deps.db.updateTable('import_batch').set({ status: 'running', imported_rows: 160, skipped_rows: 0, error_rows: 0 }).where('id', '=', batch.id).execute();
    const running = await manager.browser.get(batchUrl);
    assert.match(running.body, /<meta http-equiv="refresh" content="2">/);
    assert.match(running.body, /50% done/);
    assert.doesNotMatch(running.body, /<script(?![^>]*nonce)/, 'no script without the page nonce');
  });

  test('a file over the size limit is refused with 413 and nothing is recorded', async () => {
    const batches = await t.deps.db.selectFrom('import_batch').select('id').execute();
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const response = await upload(manager.browser, 'big.csv', big);
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /The file or form was too large/);
    assert.equal((await t.deps.db.selectFrom('import_batch').select('id').execute()).length, batches.length);
  });

  test('a file of the wrong kind is refused with the error summary', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['people.txt', HEADER, /must be a CSV \(.csv\) or JSON Lines/],
      ['people.csv', '{"external_id": "1"}\n', /must start with a header row naming its columns/],
      ['people.csv', 'given_name,family_name\nA,B\n', /header row must name the columns external_id, received_on, source_system/],
      ['people.jsonl', `${HEADER}\nA,B,C\n`, /must be a JSON object/],
      ['people.csv', 'external_id,source_system,given_name,family_name,received_on,shoe_size\n1,S,A,B,2026-01-01,9\n', /columns we do not know: shoe_size/],
      ['binary.csv', '\u0000\u0001\u0002', /not a text file/],
    ];
    for (const [fileName, content, message] of cases) {
      const response = await upload(manager.browser, fileName, content);
      assert.equal(response.statusCode, 400, fileName);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, message);
      assert.match(response.body, /href="#file"/);
    }
    const latin1 = Buffer.from(`${HEADER}\nL1,S,Ren\xe9,Latin,,,,,,,,,,,2026-01-01,,,\n`, 'latin1');
    const response = await upload(manager.browser, 'latin1.csv', latin1);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /must be saved as UTF-8/);
    const none = await upload(manager.browser, '', '');
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Select a CSV or JSON Lines file/);
  });

  test('the list pages through batches; another organisation’s batch and a malformed id are not found', async () => {
    const list = await manager.browser.get('/imports');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /referrals\.csv/);
    assert.match(list.body, /Showing 1 to \d+ of \d+ imports/);

    const otherOrg = await t.organisation('Other Import Org');
    const other = await t.signedIn(otherOrg.id, 'manager');
    const { batchId } = await importFile(other.browser, 'other.csv', [HEADER, 'O-1,Other,Oscar,Other,,,,,,,,,,,2026-01-01,,,'].join('\n'));
    assert.equal((await manager.browser.get(`/imports/${batchId}`)).statusCode, 404);
    assert.equal((await manager.browser.get('/imports/not-a-uuid')).statusCode, 404);
    const csrf = await manager.browser.csrfFrom('/imports/new');
    const run = await manager.browser.request({ method: 'POST', url: `/imports/${batchId}/run`, form: { _csrf: csrf } });
    assert.equal(run.statusCode, 404);
    assert.doesNotMatch((await manager.browser.get('/imports')).body, /other\.csv/);
    assert.equal(await count('referral', otherOrg.id), 1);
  });

  test('running a batch twice is refused, and only managers may import', async () => {
    const { batchId } = await importFile(manager.browser, 'twice.csv', [HEADER, 'TW-1,Twice,Tia,Twice,,,,,,,,,,,2026-01-01,,,'].join('\n'));
    const csrf = await manager.browser.csrfFrom('/imports/new');
    const again = await manager.browser.request({ method: 'POST', url: `/imports/${batchId}/run`, form: { _csrf: csrf } });
    assert.equal(again.statusCode, 409);

    const practitioner = await t.signedIn(org.id, 'practitioner');
    assert.equal((await practitioner.browser.get('/imports')).statusCode, 403);
    assert.equal((await practitioner.browser.get('/imports/new')).statusCode, 403);
    assert.doesNotMatch((await practitioner.browser.get('/')).body, /href="\/imports"/);
    assert.match((await manager.browser.get('/')).body, /href="\/imports"/);
  });
});
