/**
 * Commission targets: the pages a commissioner uses, and the report's
 * targets table, on hand-made referrals and exits with every actual worked out
 * by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { targetsTable } from '../../src/modules/targets/report.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`commission targets (${databaseLabel()})`, () => {
  let t: TestApp;
  let commissioner: { id: string; teamId: string };
  let otherCommissioner: { id: string; teamId: string };
  let providerA: { id: string; teamId: string };
  let providerB: { id: string; teamId: string };
  let outsider: { id: string; teamId: string };
  let commissionId: string;
  let emptyCommissionId: string;
  let otherCommissionId: string;
  const targetIds: Record<string, string> = {};
  let browser: Browser;

  const db = () => t.deps.db;

  async function commission(holder: string, name: string, providers: string[]): Promise<string> {
    const row = await db().insertInto('commission').values({ organisation_id: holder, name, starts_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    for (const provider of providers) {
      await db().insertInto('commission_provider').values({ organisation_id: holder, commission_id: row.id, provider_organisation_id: provider }).execute();
    }
    return row.id;
  }

  async function target(holder: string, commission: string, measure: string, figure: number, starts: string, ends: string): Promise<string> {
    const row = await db()
      .insertInto('commission_target')
      .values({ organisation_id: holder, commission_id: commission, measure_code: measure, target: figure, starts_on: starts, ends_on: ends })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  before(async () => {
    t = await createTestApp();
    commissioner = await t.organisation('Targets Commissioner', 'commissioner');
    otherCommissioner = await t.organisation('Targets Other Commissioner', 'commissioner');
    providerA = await t.organisation('Targets Provider A');
    providerB = await t.organisation('Targets Provider B');
    outsider = await t.organisation('Targets Outsider');
    commissionId = await commission(commissioner.id, 'Resettlement contract', [providerA.id, providerB.id]);
    emptyCommissionId = await commission(commissioner.id, 'Contract with no targets', [providerA.id]);
    otherCommissionId = await commission(otherCommissioner.id, 'Someone else’s contract', [providerA.id]);
    targetIds.q2Referrals = await target(commissioner.id, commissionId, 'referrals', 4, '2026-04-01', '2026-06-30');
    targetIds.q2Exits = await target(commissioner.id, commissionId, 'exits', 0, '2026-04-01', '2026-06-30');
    targetIds.q1Referrals = await target(commissioner.id, commissionId, 'referrals', 10, '2026-01-01', '2026-03-31');
    targetIds.other = await target(otherCommissioner.id, otherCommissionId, 'referrals', 99, '2026-04-01', '2026-06-30');

    // Referrals in April to June: A on 10 April and 20 May, B on 30 June. Not counted: B on 1 July, the outsider's.
    const a1 = await personWithEpisode(t, providerA.id, { referredOn: '2026-04-10' });
    await personWithEpisode(t, providerA.id, { referredOn: '2026-05-20' });
    await personWithEpisode(t, providerB.id, { referredOn: '2026-06-30' });
    await personWithEpisode(t, providerB.id, { referredOn: '2026-07-01' });
    await personWithEpisode(t, outsider.id, { referredOn: '2026-04-15' });
    // January to March: one referral, A's on 15 March.
    await personWithEpisode(t, providerA.id, { referredOn: '2026-03-15' });
    // One exit in April to June.
    await db().updateTable('episode').set({ exited_on: '2026-06-01', exit_reason_code: 'goals_met' }).where('id', '=', a1.episodeId).execute();

    browser = (await t.signedIn(commissioner.id, 'commissioner')).browser;
  });
  after(() => t.close());

  test('the report table: actual against target over the commission’s providers, each for its own period', async () => {
    const table = await targetsTable(db(), commissionId, [providerA.id, providerB.id]);
    assert.ok(table);
    assert.equal(table.id, 'targets');
    assert.equal(table.metric, 'targets');
    assert.deepEqual(
      table.columns.map((column) => [column.key, column.kind, column.dependsOn]),
      [
        ['measure', 'label', undefined],
        ['period', 'text', undefined],
        ['target', 'number', undefined],
        ['actual', 'count', undefined],
        ['share', 'percent', 'actual'],
      ],
    );
    const rows = Object.fromEntries(table.rows.map((row) => [row.key, row.cells]));
    assert.deepEqual(rows[targetIds.q2Referrals], { measure: 'Referrals received', period: '1 April 2026 to 30 June 2026', target: 4, actual: 3, share: 0.75 });
    assert.deepEqual(rows[targetIds.q1Referrals], { measure: 'Referrals received', period: '1 January 2026 to 31 March 2026', target: 10, actual: 1, share: 0.1 });
    // A target of 0: the share is null, not Infinity.
    assert.deepEqual(rows[targetIds.q2Exits], { measure: 'Exits from support', period: '1 April 2026 to 30 June 2026', target: 0, actual: 1, share: null });
    assert.equal(table.rows.length, 3);
    assert.equal(rows[targetIds.other], undefined);
    assert.doesNotMatch(table.notes?.join('\n') ?? '', /provider’s part/);
  });

  test('a provider narrowing its own report sees its part, with a note saying so', async () => {
    const table = await targetsTable(db(), commissionId, [providerA.id]);
    assert.ok(table);
    const rows = Object.fromEntries(table.rows.map((row) => [row.key, row.cells]));
    // A alone: 10 April and 20 May.
    assert.equal(rows[targetIds.q2Referrals].actual, 2);
    assert.equal(rows[targetIds.q2Referrals].share, 0.5);
    assert.match(table.notes?.join('\n') ?? '', /The actual is this provider’s part only/);
  });

  test('no targets, or no provider of the commission, gives null', async () => {
    assert.equal(await targetsTable(db(), emptyCommissionId, [providerA.id]), null);
    assert.equal(await targetsTable(db(), commissionId, [outsider.id]), null);
    assert.equal(await targetsTable(db(), commissionId, []), null);
  });

  test('the targets page lists each commission’s targets with actuals, and never a person', async () => {
    const page = await browser.get('/targets');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Resettlement contract/);
    assert.match(page.body, /Providers: Targets Provider A, Targets Provider B/);
    const row = page.body.slice(page.body.indexOf(`id="target-${targetIds.q2Referrals}"`));
    assert.match(row.slice(0, 800), /Referrals received[\s\S]*1 April 2026 to 30 June 2026[\s\S]*>4<[\s\S]*>3<[\s\S]*75%/);
    assert.match(page.body, /Contract with no targets[\s\S]*No targets yet/);
    assert.doesNotMatch(page.body, /Someone else’s contract/);
    assert.doesNotMatch(page.body, /Given\d+|Family\d+/);
  });

  test('adding a target: validation errors write nothing; a good one is saved and audited', async () => {
    const count = async () => (await db().selectFrom('commission_target').select('id').where('organisation_id', '=', commissioner.id).execute()).length;
    const before = await count();
    const good = {
      commissionId,
      measure: 'job_starts',
      target: '1,200',
      'startsOn-day': '1',
      'startsOn-month': '7',
      'startsOn-year': '2026',
      'endsOn-day': '30',
      'endsOn-month': '9',
      'endsOn-year': '2026',
      note: 'Quarter two of the contract',
    };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ commissionId: '' }, /Select the commission/],
      [{ measure: 'people_named' }, /Select a measure from the list/],
      [{ target: '-3' }, /Target must be 0 or more/],
      [{ target: 'forty' }, /Target must be a whole number/],
      [{ target: '' }, /Enter the target/],
      [{ 'endsOn-month': '6' }, /End date must be the same as or after the start date/],
      [{ 'endsOn-year': '2032' }, /5 years or shorter/],
      [{ 'startsOn-year': '1950' }, /between the years 2000 and 2100/],
    ];
    for (const [fields, message] of cases) {
      const response = await browser.submit('/targets/new', '/targets', { ...good, ...fields });
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(response.body, message);
    }
    assert.equal(await count(), before);

    const theirs = await browser.submit('/targets/new', '/targets', { ...good, commissionId: otherCommissionId });
    assert.equal(theirs.statusCode, 404);
    assert.equal(await count(), before);

    const saved = await browser.submit('/targets/new', '/targets', good);
    assert.equal(saved.statusCode, 302);
    assert.equal(saved.headers.location, '/targets?done=created');
    const row = await db().selectFrom('commission_target').selectAll().where('measure_code', '=', 'job_starts').executeTakeFirstOrThrow();
    assert.equal(row.organisation_id, commissioner.id);
    assert.equal(row.commission_id, commissionId);
    assert.equal(Number(row.target), 1200);
    assert.equal(row.starts_on, '2026-07-01');
    assert.equal(row.ends_on, '2026-09-30');
    const audits = await db().selectFrom('audit_event').selectAll().where('subject_id', '=', row.id).where('action', '=', 'commission-target.created').execute();
    assert.equal(audits.length, 1);
  });

  test('deleting a target asks first; another organisation’s target is not found', async () => {
    const id = await target(commissioner.id, commissionId, 'contacts', 50, '2026-01-01', '2026-12-31');
    const question = await browser.get(`/targets/${id}/delete`);
    assert.equal(question.statusCode, 200);
    assert.match(question.body, /Delete the target “Attended contacts with people” for 1 January 2026 to 31 December 2026\?/);
    assert.ok(await db().selectFrom('commission_target').select('id').where('id', '=', id).executeTakeFirst());
    const deleted = await browser.submit(`/targets/${id}/delete`, `/targets/${id}/delete`, {});
    assert.equal(deleted.statusCode, 302);
    assert.equal(await db().selectFrom('commission_target').select('id').where('id', '=', id).executeTakeFirst(), undefined);
    assert.equal((await db().selectFrom('audit_event').select('id').where('subject_id', '=', id).where('action', '=', 'commission-target.deleted').execute()).length, 1);

    assert.equal((await browser.get(`/targets/${targetIds.other}/delete`)).statusCode, 404);
    assert.equal((await browser.submit('/targets', `/targets/${targetIds.other}/delete`, {})).statusCode, 404);
    assert.equal((await browser.get('/targets/nonsense/delete')).statusCode, 404);
    assert.ok(await db().selectFrom('commission_target').select('id').where('id', '=', targetIds.other).executeTakeFirst());
  });

  test('a manager cannot open the targets pages; a commissioner cannot open costs', async () => {
    const manager = (await t.signedIn(providerA.id, 'manager')).browser;
    assert.equal((await manager.get('/targets')).statusCode, 403);
    assert.equal((await manager.get('/targets/new')).statusCode, 403);
    assert.equal((await browser.get('/costs')).statusCode, 403);
  });
});
