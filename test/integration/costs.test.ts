import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`costs and staffing pages (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let manager: Browser;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Costs Org');
    otherOrg = await t.organisation('Other Costs Org');
    manager = (await t.signedIn(org.id, 'manager')).browser;
  });
  after(() => t.close());

  const db = () => t.deps.db;
  const periods = (organisationId: string) => db().selectFrom('cost_period').selectAll().where('organisation_id', '=', organisationId).orderBy('starts_on').execute();
  const auditFor = (subjectId: string, action: string) =>
    db().selectFrom('audit_event').selectAll().where('subject_id', '=', subjectId).where('action', '=', action).execute();

  function form(fields: Record<string, string> = {}): Record<string, string> {
    return {
      'startsOn-day': '1',
      'startsOn-month': '4',
      'startsOn-year': '2026',
      'endsOn-day': '30',
      'endsOn-month': '6',
      'endsOn-year': '2026',
      teamId: '',
      staffFte: '3.5',
      specialistFte: '2',
      salaries: '£21,000.50',
      overheads: '3000',
      management: '1,500',
      travel: '',
      other: '99.5',
      note: 'Quarter one',
      ...fields,
    };
  }

  async function clear() {
    await db().deleteFrom('cost_period').execute();
  }

  test('adding a cost period reads pounds as people write them, audits it, and lists it', async () => {
    await clear();
    const response = await manager.submit('/costs/new', '/costs', form());
    assert.equal(response.statusCode, 302, response.body);
    assert.equal(response.headers.location, '/costs?done=created');
    const [row] = await periods(org.id);
    assert.equal(row.starts_on, '2026-04-01');
    assert.equal(row.ends_on, '2026-06-30');
    assert.equal(row.team_id, null);
    assert.equal(Number(row.staff_fte), 3.5);
    assert.equal(Number(row.specialist_fte), 2);
    assert.equal(Number(row.salaries), 21000.5);
    assert.equal(Number(row.management), 1500);
    assert.equal(Number(row.travel), 0);
    assert.equal(Number(row.other), 99.5);
    assert.equal(row.note, 'Quarter one');
    assert.equal((await auditFor(row.id, 'cost-period.created')).length, 1);

    const list = await manager.get('/costs');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /1 April 2026 to 30 June 2026/);
    assert.match(list.body, /Whole organisation/);
    // 21,000.50 + 3,000 + 1,500 + 0 + 99.50
    assert.match(list.body, /£25,600\.00/);
    assert.doesNotMatch(list.body, /Overlaps another period/);
  });

  test('bad input is refused with clear messages and writes nothing', async () => {
    await clear();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'endsOn-day': '31', 'endsOn-month': '3', 'endsOn-year': '2026' }, /End date must be the same as or after the start date/],
      [{ salaries: '-5' }, /Salaries must be £0 or more/],
      [{ travel: 'lots' }, /Travel must be an amount in pounds, like 1,234.50/],
      [{ staffFte: '' }, /Enter the staff fte/i],
      [{ staffFte: 'two' }, /Staff FTE must be a number like 2.5/],
      [{ staffFte: '-1' }, /Staff FTE must be 0 or more/],
      [{ specialistFte: '4' }, /Employment specialist FTE must not be more than the staff FTE/],
      [{ teamId: otherOrg.teamId }, /Select a team from the list/],
      [{ teamId: 'not-a-team' }, /Select a team from the list/],
      [{ 'startsOn-day': '31', 'startsOn-month': '2' }, /Start date must be a real date/],
    ];
    for (const [fields, message] of cases) {
      const response = await manager.submit('/costs/new', '/costs', form(fields));
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, message);
    }
    assert.equal((await periods(org.id)).length, 0);
  });

  test('an overlapping period for the same team warns first, and is saved only with "Save anyway"', async () => {
    await clear();
    await manager.submit('/costs/new', '/costs', form());
    const overlapping = form({ 'startsOn-day': '1', 'startsOn-month': '6', 'endsOn-day': '31', 'endsOn-month': '8' });
    const warned = await manager.submit('/costs/new', '/costs', overlapping);
    assert.equal(warned.statusCode, 200);
    assert.match(warned.body, /id="overlap-warning"/);
    assert.match(warned.body, /overlaps another period for the same team: 1 April 2026 to 30 June 2026/);
    assert.match(warned.body, /name="confirmOverlap"/);
    assert.equal((await periods(org.id)).length, 1);

    // Another team's period on the same dates does not overlap the whole-organisation one.
    const teamPeriod = await manager.submit('/costs/new', '/costs', form({ teamId: org.teamId }));
    assert.equal(teamPeriod.statusCode, 302);

    const saved = await manager.submit('/costs/new', '/costs', { ...overlapping, confirmOverlap: 'yes' });
    assert.equal(saved.statusCode, 302);
    const rows = await periods(org.id);
    assert.equal(rows.length, 3);
    const list = await manager.get('/costs');
    assert.equal((list.body.match(/Overlaps another period/g) ?? []).length, 2);

    const teamOnly = await manager.get(`/costs?team=${org.teamId}`);
    assert.equal((teamOnly.body.match(/id="cost-period-/g) ?? []).length, 1);
    assert.match(teamOnly.body, /Costs Org team/);
    const wholeOnly = await manager.get('/costs?team=whole');
    assert.equal((wholeOnly.body.match(/id="cost-period-/g) ?? []).length, 2);
    // Newest first.
    assert.ok(wholeOnly.body.indexOf('1 June 2026 to 31 August 2026') < wholeOnly.body.indexOf('1 April 2026 to 30 June 2026'));
  });

  test('the list pages and keeps the team filter in its links', async () => {
    await clear();
    for (let month = 1; month <= 27; month += 1) {
      const year = 2020 + Math.floor((month - 1) / 12);
      const start = `${year}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-01`;
      await db().insertInto('cost_period').values({ organisation_id: org.id, team_id: org.teamId, starts_on: start, ends_on: start, staff_fte: 1 }).execute();
    }
    const first = await manager.get(`/costs?team=${org.teamId}`);
    assert.equal((first.body.match(/id="cost-period-/g) ?? []).length, 25);
    assert.match(first.body, new RegExp(`href="/costs\\?team=${org.teamId}&amp;page=2"`));
    const second = await manager.get(`/costs?team=${org.teamId}&page=2`);
    assert.equal((second.body.match(/id="cost-period-/g) ?? []).length, 2);
    const beyond = await manager.get(`/costs?team=${org.teamId}&page=9`);
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, `/costs?team=${org.teamId}&page=2`);
  });

  test('editing saves a new version; a stale save is a 409 that changes nothing', async () => {
    await clear();
    await manager.submit('/costs/new', '/costs', form());
    const [row] = await periods(org.id);
    const page = await manager.get(`/costs/${row.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="version" value="1"/);
    assert.match(page.body, /value="21000.50"/);

    const saved = await manager.submit(`/costs/${row.id}`, `/costs/${row.id}`, form({ staffFte: '4', version: '1' }));
    assert.equal(saved.statusCode, 302);
    const [updated] = await periods(org.id);
    assert.equal(Number(updated.staff_fte), 4);
    assert.equal(updated.version, 2);
    assert.equal((await auditFor(row.id, 'cost-period.updated')).length, 1);

    const stale = await manager.submit(`/costs/${row.id}`, `/costs/${row.id}`, form({ staffFte: '9', version: '1' }));
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This cost period was changed by someone else/);
    const [unchanged] = await periods(org.id);
    assert.equal(Number(unchanged.staff_fte), 4);
    assert.equal(unchanged.version, 2);

    const invalid = await manager.submit(`/costs/${row.id}`, `/costs/${row.id}`, form({ other: '1.234', version: '2' }));
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /Other costs must be an amount in pounds/);
  });

  test('deleting asks first, then deletes and audits', async () => {
    await clear();
    await manager.submit('/costs/new', '/costs', form());
    const [row] = await periods(org.id);
    const question = await manager.get(`/costs/${row.id}/delete`);
    assert.equal(question.statusCode, 200);
    assert.match(question.body, /Delete the costs for 1 April 2026 to 30 June 2026\?/);
    assert.equal((await periods(org.id)).length, 1);
    const deleted = await manager.submit(`/costs/${row.id}/delete`, `/costs/${row.id}/delete`, {});
    assert.equal(deleted.statusCode, 302);
    assert.equal((await periods(org.id)).length, 0);
    const [event] = await auditFor(row.id, 'cost-period.deleted');
    assert.equal(event.detail.salaries, 21000.5);
  });

  test("another organisation's cost period is not found, and a malformed id is a 404", async () => {
    const theirs = await db()
      .insertInto('cost_period')
      .values({ organisation_id: otherOrg.id, starts_on: '2026-01-01', ends_on: '2026-03-31', staff_fte: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await manager.get(`/costs/${theirs.id}`)).statusCode, 404);
    assert.equal((await manager.get(`/costs/${theirs.id}/delete`)).statusCode, 404);
    assert.equal((await manager.submit('/costs/new', `/costs/${theirs.id}/delete`, {})).statusCode, 404);
    assert.equal((await manager.submit('/costs/new', `/costs/${theirs.id}`, form({ version: '1' }))).statusCode, 404);
    assert.equal((await manager.get('/costs/not-a-uuid')).statusCode, 404);
    assert.equal((await periods(otherOrg.id)).length, 1);
    const list = await manager.get('/costs');
    assert.doesNotMatch(list.body, new RegExp(theirs.id));
  });

  test('a commissioner and a practitioner cannot open the costs pages', async () => {
    const commissioner = (await t.signedIn(org.id, 'commissioner')).browser;
    const practitioner = (await t.signedIn(org.id, 'practitioner')).browser;
    for (const browser of [commissioner, practitioner]) {
      assert.equal((await browser.get('/costs')).statusCode, 403);
      assert.equal((await browser.get('/costs/new')).statusCode, 403);
    }
  });
});
