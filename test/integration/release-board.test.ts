import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, todayInLondon } from '../../src/modules/custody/dates.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

describe(`release board (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  const today = todayInLondon();

  async function episode(name: string, dates: Record<string, number>, extra: { area?: string; keyWorker?: boolean; team?: boolean } = {}) {
    const { episodeId } = await personWithEpisode(t, org.id, {
      givenName: name,
      familyName: 'Board',
      keyWorkerId: extra.keyWorker ? worker.userId : null,
      teamId: extra.team ? org.teamId : null,
    });
    for (const [kind, offset] of Object.entries(dates)) {
      await t.deps.db.insertInto('release_date').values({ organisation_id: org.id, episode_id: episodeId, kind_code: kind, on_date: addDays(today, offset) }).execute();
    }
    if (extra.area) await t.deps.db.updateTable('episode').set({ expected_release_area: extra.area }).where('id', '=', episodeId).execute();
    return episodeId;
  }

  /** The names listed under one window's heading. */
  function namesIn(body: string, window: string): string[] {
    const start = body.indexOf(`id="${window}"`);
    if (start < 0) return [];
    const end = body.indexOf('<h2', start);
    const section = body.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/>(\w+) Board</g)].map((match) => match[1]).sort();
  }

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Board Org');
    worker = await t.signedIn(org.id, 'practitioner');
    await t.deps.db.insertInto('organisation_setting').values({ organisation_id: org.id, service_area: 'Leeds' }).execute();
    await episode('Alpha', { conditional_release: 5 }, { area: '  leeds ', keyWorker: true });
    await episode('Bravo', { hdc_eligibility: 20, conditional_release: 100 }, { area: 'Cornwall' });
    await episode('Charlie', { parole_eligibility: 60 }, { team: true });
    await episode('Delta', {});
    await episode('Echo', { conditional_release: -3 });
    await episode('Foxtrot', { conditional_release: 100 });
    await episode('India', { licence_end: 5 });
    await episode('Edge', { conditional_release: 14 });
    const released = await episode('Golf', { conditional_release: 3 });
    await t.deps.db.insertInto('release').values({ organisation_id: org.id, episode_id: released, released_on: today, release_type_code: 'parole' }).execute();
    const exited = await episode('Hotel', { conditional_release: 3 });
    await t.deps.db.updateTable('episode').set({ exited_on: today, stage: 'exited' }).where('id', '=', exited).execute();
    const other = await t.organisation('Other Board Org');
    await personWithEpisode(t, other.id, { givenName: 'Outsider', familyName: 'Board' });
  });
  after(() => t.close());

  test('groups by the earliest expected date: 2 weeks, 2 to 6, 6 to 12, unknown; released, exited and later are left out', async () => {
    const page = await worker.browser.get('/release-board');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(namesIn(page.body, 'within_2_weeks'), ['Alpha', 'Edge']);
    assert.deepEqual(namesIn(page.body, '2_to_6_weeks'), ['Bravo'], 'HDC eligibility is earlier than conditional release');
    assert.deepEqual(namesIn(page.body, '6_to_12_weeks'), ['Charlie']);
    assert.deepEqual(namesIn(page.body, 'unknown'), ['Delta', 'India'], 'licence end is not a release date');
    assert.deepEqual(namesIn(page.body, 'passed'), ['Echo']);
    for (const name of ['Foxtrot', 'Golf', 'Hotel', 'Outsider']) assert.doesNotMatch(page.body, new RegExp(`>${name} Board<`));
    assert.match(page.body, /govuk-service-navigation__link" href="\/release-board"/, 'the navigation has the board');
  });

  test('flags a passed date with no release, and a release area other than the service area', async () => {
    const page = await worker.browser.get('/release-board');
    const row = (name: string) => new RegExp(`>${name} Board<[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
    assert.match(row('Echo'), /Release date passed, no release recorded/);
    assert.doesNotMatch(row('Alpha'), /Release date passed/);
    assert.match(row('Bravo'), /Release far from the service area/);
    assert.doesNotMatch(row('Alpha'), /far from the service area/, 'case and spaces are ignored');
    assert.doesNotMatch(row('Delta'), /far from the service area/, 'no area, no flag');
  });

  test('filters for my cases, a team and a window are kept in the query string', async () => {
    const mine = await worker.browser.get('/release-board?mine=yes');
    assert.deepEqual(['passed', 'within_2_weeks', '2_to_6_weeks', '6_to_12_weeks', 'unknown'].flatMap((w) => namesIn(mine.body, w)), ['Alpha']);
    assert.match(mine.body, /name="mine" type="checkbox" value="yes" checked/);
    const team = await worker.browser.get(`/release-board?team=${org.teamId}`);
    assert.deepEqual(namesIn(team.body, '6_to_12_weeks'), ['Charlie']);
    assert.deepEqual(namesIn(team.body, 'within_2_weeks'), []);
    assert.match(team.body, new RegExp(`<option value="${org.teamId}" selected>`));
    const unknown = await worker.browser.get('/release-board?window=unknown&team=junk');
    assert.deepEqual(namesIn(unknown.body, 'unknown'), ['Delta', 'India']);
    assert.doesNotMatch(unknown.body, /Alpha Board/);
    assert.match(unknown.body, /<option value="unknown" selected>/);
  });

  test('opens on the user’s own team, with "All teams" still selectable', async () => {
    const member = await t.signedIn(org.id, 'practitioner');
    await t.deps.db.updateTable('app_user').set({ team_id: org.teamId }).where('id', '=', member.userId).execute();
    const all = (body: string) => ['passed', 'within_2_weeks', '2_to_6_weeks', '6_to_12_weeks', 'unknown'].flatMap((w) => namesIn(body, w));
    const own = await member.browser.get('/release-board');
    assert.deepEqual(all(own.body), ['Charlie']);
    assert.match(own.body, new RegExp(`<option value="${org.teamId}" selected>`));
    const everyone = await member.browser.get('/release-board?team=all');
    assert.deepEqual(all(everyone.body).sort(), ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Edge', 'India']);
    assert.match(everyone.body, /<option value="all" selected>All teams<\/option>/);
    const junk = await member.browser.get('/release-board?team=junk');
    assert.deepEqual(all(junk.body), ['Charlie'], 'an unknown team reads as no choice: the user’s own');
    const mine = await member.browser.get('/release-board?mine=yes');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /<option value="all" selected>/, 'my cases alone span teams');
  });

  test('counts every window of the scope, whatever the window filter', async () => {
    const page = await worker.browser.get('/release-board?window=unknown');
    const option = (window: string) => new RegExp(`<option value="${window}"[^>]*>[^<]*\\((\\d+)\\)</option>`).exec(page.body)?.[1];
    assert.deepEqual(
      ['passed', 'within_2_weeks', '2_to_6_weeks', '6_to_12_weeks', 'unknown'].map(option),
      ['1', '2', '1', '1', '2'],
    );
    assert.match(page.body, /id="unknown">Release date not known \(2\)</);
    assert.match(page.body, /Showing 1 to 2 of 2 people/);
  });

  test('needs people:view', async () => {
    const admin = await t.signedIn(org.id, 'organisation_admin');
    assert.equal((await admin.browser.get('/release-board')).statusCode, 403);
  });
});

describe(`release board paging (${databaseLabel()})`, () => {
  let t: TestApp;
  let worker: { browser: Browser; userId: string };
  const today = todayInLondon();
  /** Given names in board order: 52 passed dates, oldest first, then 2 unknown. */
  const order: string[] = [];

  before(async () => {
    t = await createTestApp();
    const org = await t.organisation('Paged Board Org');
    worker = await t.signedIn(org.id, 'practitioner');
    for (let n = 1; n <= 54; n += 1) {
      const name = `Paged${String(n).padStart(2, '0')}`;
      order.push(name);
      const { episodeId } = await personWithEpisode(t, org.id, { givenName: name, familyName: 'Board' });
      if (n <= 52) {
        await t.deps.db.insertInto('release_date').values({ organisation_id: org.id, episode_id: episodeId, kind_code: 'conditional_release', on_date: addDays(today, n - 100) }).execute();
      }
    }
  });
  after(() => t.close());

  const shown = (body: string) => [...body.matchAll(/>(Paged\d+) Board</g)].map((match) => match[1]);

  test('shows 50 rows a page; page 2 holds the next rows, and the links keep the filters', async () => {
    const first = await worker.browser.get('/release-board?team=all');
    assert.deepEqual(shown(first.body), order.slice(0, 50));
    assert.match(first.body, /Showing 1 to 50 of 54 people/);
    assert.match(first.body, /<title>Release board \(page 1 of 2\)/);
    assert.match(first.body, /href="\/release-board\?team=all&amp;page=2"/);
    const second = await worker.browser.get('/release-board?team=all&page=2');
    assert.deepEqual(shown(second.body), order.slice(50));
    assert.match(second.body, /id="passed">Release date passed, no release recorded \(52\)</, 'a window split across pages keeps its whole count');
    assert.match(second.body, /href="\/release-board\?team=all"[^>]*rel="prev"|rel="prev"[^>]*href="\/release-board\?team=all"/);
    const passed = await worker.browser.get('/release-board?window=passed&page=2');
    assert.deepEqual(shown(passed.body), order.slice(50, 52));
    assert.match(passed.body, /href="\/release-board\?window=passed"/);
  });

  test('a bad page number gives a sensible page, never an error', async () => {
    for (const page of ['-1', 'abc', '0', '1.5', '']) {
      const response = await worker.browser.get(`/release-board?page=${page}`);
      assert.equal(response.statusCode, 200, `page=${page}`);
      assert.deepEqual(shown(response.body), order.slice(0, 50), `page=${page}`);
    }
    const beyond = await worker.browser.get('/release-board?window=unknown&page=99999');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/release-board?window=unknown');
  });
});
