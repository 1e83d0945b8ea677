import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonToday } from '../../src/platform/london-time.ts';
import { releaseWindowText } from '../../src/modules/caseload/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, personWithEpisode } from '../support/journey.ts';

/** A UK calendar date some days from today (negative for the past). */
function daysFromToday(days: number): string {
  const today = new Date(`${londonToday()}T12:00:00Z`);
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

describe(`caseloads (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Caseload Org');
  });
  after(() => t.close());

  const db = () => t.deps.db;

  test('days since contact, overdue tasks, prison or area and release window are computed from hand-made records', async () => {
    const worker = await t.signedIn(org.id, 'practitioner');
    const other = await t.user(org.id, 'practitioner');
    const alice = await personWithEpisode(t, org.id, { givenName: 'Alice', familyName: 'Adams', keyWorkerId: worker.userId });
    const ben = await personWithEpisode(t, org.id, { givenName: 'Ben', familyName: 'Brown', keyWorkerId: worker.userId });
    await personWithEpisode(t, org.id, { givenName: 'Nora', familyName: 'Notmine', keyWorkerId: other.id });
    const exited = await personWithEpisode(t, org.id, { givenName: 'Eddie', familyName: 'Exited', keyWorkerId: worker.userId });
    await db().updateTable('episode').set({ exited_on: '2026-01-20', stage: 'exited' }).where('id', '=', exited.episodeId).execute();

    // Alice: attended contact 10 days ago (a later did-not-attend and a later deleted one do not count); in prison now.
    await contactFor(t, org.id, alice.episodeId, { at: `${daysFromToday(-10)}T12:00:00Z` });
    await contactFor(t, org.id, alice.episodeId, { at: `${daysFromToday(-3)}T12:00:00Z`, attended: false });
    await contactFor(t, org.id, alice.episodeId, { at: `${daysFromToday(-2)}T12:00:00Z`, deleted: true });
    await db()
      .insertInto('reference_item')
      .values([
        { organisation_id: org.id, list_code: 'prison', code: 'hmp_earlier', label: 'HMP Earlier' },
        { organisation_id: org.id, list_code: 'prison', code: 'hmp_now', label: 'HMP Now' },
      ])
      .execute();
    await db()
      .insertInto('prison_stay')
      .values([
        { organisation_id: org.id, episode_id: alice.episodeId, prison_code: 'hmp_earlier', arrived_on: '2025-01-01', left_on: '2025-06-01' },
        { organisation_id: org.id, episode_id: alice.episodeId, prison_code: 'hmp_now', arrived_on: '2025-06-01', left_on: null },
      ])
      .execute();
    await db()
      .insertInto('release_date')
      .values([
        { organisation_id: org.id, episode_id: alice.episodeId, kind_code: 'conditional_release', on_date: daysFromToday(30) },
        { organisation_id: org.id, episode_id: alice.episodeId, kind_code: 'hdc_eligibility', on_date: daysFromToday(10) },
        { organisation_id: org.id, episode_id: alice.episodeId, kind_code: 'licence_end', on_date: daysFromToday(5) },
      ])
      .execute();
    const task = (episodeId: string, dueOn: string, extra: { completed_at?: Date; cancelled_at?: Date } = {}) => ({
      organisation_id: org.id,
      episode_id: episodeId,
      title: 'Contact',
      due_on: dueOn,
      ...extra,
    });
    await db()
      .insertInto('task')
      .values([
        task(alice.episodeId, daysFromToday(-5)),
        task(alice.episodeId, daysFromToday(-1)),
        task(alice.episodeId, daysFromToday(0)),
        task(alice.episodeId, daysFromToday(-9), { completed_at: new Date() }),
        task(alice.episodeId, daysFromToday(-9), { cancelled_at: new Date() }),
        task(ben.episodeId, daysFromToday(3)),
      ])
      .execute();
    // Ben: no prison stay, an expected release area, a release date that has passed.
    await db().updateTable('episode').set({ expected_release_area: 'Leeds' }).where('id', '=', ben.episodeId).execute();
    await db().insertInto('release_date').values({ organisation_id: org.id, episode_id: ben.episodeId, kind_code: 'conditional_release', on_date: daysFromToday(-4) }).execute();

    const page = await worker.browser.get('/caseload');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You have 2 active cases. The IPS standard is 20 or fewer./);
    assert.doesNotMatch(page.body, /Nora Notmine|Eddie Exited/);
    const aliceRow = new RegExp(`id="episode-${alice.episodeId}"[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
    assert.match(aliceRow, /href="\/episodes\/[0-9a-f-]{36}">Alice Adams</);
    assert.match(aliceRow, />HMP Now</, 'the current stay, by its label, not the earlier one');
    assert.doesNotMatch(aliceRow, /HMP Earlier/);
    assert.match(aliceRow, /data-release="[\d-]+">in 10 days/, 'the earliest release date; licence end is not a release');
    assert.match(aliceRow, /data-days-since-contact="10"/);
    assert.match(aliceRow, /data-overdue="2"/);
    const benRow = new RegExp(`id="episode-${ben.episodeId}"[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
    assert.match(benRow, /Leeds/);
    assert.match(benRow, /date passed/);
    assert.match(benRow, /data-days-since-contact="none">No contact yet/);
    assert.match(benRow, /data-overdue="0"/);

    const overdue = await worker.browser.get('/caseload?overdue=yes');
    assert.match(overdue.body, /Alice Adams/);
    assert.doesNotMatch(overdue.body, /Ben Brown/);
    const window = await worker.browser.get('/caseload?window=2');
    assert.match(window.body, /Alice Adams/);
    assert.doesNotMatch(window.body, /Ben Brown/);
    const unknown = await worker.browser.get('/caseload?window=unknown');
    assert.match(unknown.body, /No open cases match your search and filters/);
    const byContact = await worker.browser.get('/caseload?sort=contact');
    assert.ok(byContact.body.indexOf('Ben Brown') < byContact.body.indexOf('Alice Adams'), 'never contacted comes first');
    const byRelease = await worker.browser.get('/caseload?sort=release');
    assert.ok(byRelease.body.indexOf('Ben Brown') < byRelease.body.indexOf('Alice Adams'), 'earliest release first');
    const search = await worker.browser.get('/caseload?search=adams%20al');
    assert.doesNotMatch(search.body, /Ben Brown/);
    assert.match(search.body, /Alice Adams/);
  });

  test('search, filters, sort and paging keep each other in every link', async () => {
    const worker = await t.signedIn(org.id, 'practitioner');
    for (let n = 1; n <= 27; n += 1) {
      await personWithEpisode(t, org.id, { givenName: `Pager${String(n).padStart(2, '0')}`, familyName: 'Paged', keyWorkerId: worker.userId });
    }
    await personWithEpisode(t, org.id, { givenName: 'Other', familyName: 'Person', keyWorkerId: worker.userId });
    const first = await worker.browser.get('/caseload?search=pager&stage=referred&sort=release');
    assert.match(first.body, /Showing 1 to 25 of 27 people/);
    assert.match(first.body, /You have 28 active cases. The IPS standard is 20 or fewer./);
    assert.match(first.body, /govuk-warning-text/, 'over 20 is a warning');
    assert.match(first.body, /href="\/caseload\?search=pager&amp;stage=referred&amp;sort=release&amp;page=2"[^>]*rel="next"/);
    assert.match(first.body, /href="\/caseload\?search=pager&amp;stage=referred">Name/, 'sorting keeps the filters and goes back to page 1');
    assert.match(first.body, /href="\/caseload\?search=pager&amp;stage=referred&amp;sort=contact">Days since contact/);
    assert.match(first.body, /<input type="hidden" name="sort" value="release">/, 'filtering keeps the sort');
    assert.match(first.body, /value="pager"/);
    assert.match(first.body, /<option value="referred" selected>/);
    const second = await worker.browser.get('/caseload?search=pager&stage=referred&sort=release&page=2');
    assert.match(second.body, /Showing 26 to 27 of 27 people/);
    assert.match(second.body, /href="\/caseload\?search=pager&amp;stage=referred&amp;sort=release"[^>]*rel="prev"/);
    assert.match(second.body, /href="\/caseload\?sort=release">Clear search and filters/);
    const junk = await worker.browser.get('/caseload?stage=bogus&window=99&sort=bogus&page=abc');
    assert.equal(junk.statusCode, 200, 'unknown filter values are ignored, not an error');
    const beyond = await worker.browser.get('/caseload?search=pager&page=9');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/caseload?search=pager');
  });

  test('the team caseload shows the manager’s team with a worker filter and counts against 20; a practitioner is refused', async () => {
    const teamOrg = await t.organisation('Team Caseload Org');
    const manager = await t.signedIn(teamOrg.id, 'manager');
    const busy = await t.user(teamOrg.id, 'practitioner');
    const quiet = await t.user(teamOrg.id, 'practitioner');
    await db().updateTable('app_user').set({ team_id: teamOrg.teamId }).where('id', 'in', [manager.userId, busy.id, quiet.id]).execute();
    for (let n = 1; n <= 21; n += 1) {
      await personWithEpisode(t, teamOrg.id, { givenName: `Busy${n}`, familyName: 'Case', keyWorkerId: busy.id, teamId: teamOrg.teamId });
    }
    await personWithEpisode(t, teamOrg.id, { givenName: 'Quiet', familyName: 'Case', keyWorkerId: quiet.id, teamId: teamOrg.teamId });
    await personWithEpisode(t, teamOrg.id, { givenName: 'Nobody', familyName: 'Allocated', teamId: teamOrg.teamId });
    await personWithEpisode(t, teamOrg.id, { givenName: 'Other', familyName: 'Team', keyWorkerId: null, teamId: null });

    const page = await manager.browser.get('/caseload/team');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Showing 1 to 23 of 23 people/);
    assert.doesNotMatch(page.body, /Other Team/);
    const counts = /id="worker-counts"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(counts, new RegExp(`worker=${busy.id}">Test practitioner \\d+</a></td>\\s*<td[^>]*>21 <strong class="govuk-tag govuk-tag--red">\\s*Over 20`));
    assert.match(counts, new RegExp(`worker=${quiet.id}">Test practitioner \\d+</a></td>\\s*<td[^>]*>1</td>`));

    const quietOnly = await manager.browser.get(`/caseload/team?worker=${quiet.id}&sort=contact`);
    assert.match(quietOnly.body, /Showing 1 to 1 of 1 person/);
    assert.match(quietOnly.body, /Quiet Case/);
    assert.match(quietOnly.body, new RegExp(`<option value="${quiet.id}" selected>`));
    assert.match(quietOnly.body, new RegExp(`href="/caseload/team\\?worker=${quiet.id}">Name`));
    const unallocated = await manager.browser.get('/caseload/team?worker=none');
    assert.match(unallocated.body, /Nobody Allocated/);
    assert.match(unallocated.body, /Showing 1 to 1 of 1 person/);

    const practitioner = await t.signedIn(teamOrg.id, 'practitioner');
    assert.equal((await practitioner.browser.get('/caseload/team')).statusCode, 403);
    assert.doesNotMatch((await practitioner.browser.get('/caseload')).body, /href="\/caseload\/team"/);
    assert.match((await manager.browser.get('/')).body, /href="\/caseload\/team"/);
    assert.match((await practitioner.browser.get('/')).body, /href="\/caseload"/, 'the home page links to the caseload');
  });

  test('a manager in no team is told so', async () => {
    const manager = await t.signedIn(org.id, 'manager');
    const page = await manager.browser.get('/caseload/team');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You are not in a team/);
  });

  test('declined and withdrawn referrals are not open cases: not listed and not counted', async () => {
    const worker = await t.signedIn(org.id, 'practitioner');
    await personWithEpisode(t, org.id, { givenName: 'Olive', familyName: 'Open', keyWorkerId: worker.userId });
    for (const [name, status] of [['Dora', 'declined'], ['Wes', 'withdrawn']] as const) {
      const { episodeId } = await personWithEpisode(t, org.id, { givenName: name, familyName: 'Closed', keyWorkerId: worker.userId });
      await db().updateTable('referral').set({ status }).where('episode_id', '=', episodeId).execute();
    }
    const page = await worker.browser.get('/caseload');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Olive/);
    assert.doesNotMatch(page.body, /Dora|Wes/);
    assert.match(page.body, /You have 1 active case/);
  });

  test('release windows read as people say them', () => {
    assert.equal(releaseWindowText(null), 'unknown');
    assert.equal(releaseWindowText(-1), 'date passed');
    assert.equal(releaseWindowText(0), 'today');
    assert.equal(releaseWindowText(1), 'in 1 day');
    assert.equal(releaseWindowText(13), 'in 13 days');
    assert.equal(releaseWindowText(14), 'in 2 weeks');
    assert.equal(releaseWindowText(45), 'in 6 weeks');
  });
});
