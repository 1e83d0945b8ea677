import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as episodes from '../../src/modules/episodes/service.ts';
import type { Principal } from '../../src/platform/http/context.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`episodes (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let practitioner: { browser: Browser; userId: string };
  let manager: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Episodes Org');
    practitioner = await t.signedIn(org.id, 'practitioner');
    manager = await t.signedIn(org.id, 'manager');
  });
  after(() => t.close());

  const referral = (episodeId: string) => t.deps.db.selectFrom('referral').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
  const audits = (subjectId: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', subjectId).where('action', '=', action).execute();
  async function pendingEpisode(options: { keyWorkerId?: string } = {}) {
    const created = await personWithEpisode(t, org.id, { givenName: 'Eve', familyName: 'Pisode', ...options });
    await t.deps.db.updateTable('referral').set({ status: 'pending' }).where('episode_id', '=', created.episodeId).execute();
    return created;
  }

  test('the episode page shows person, referral, stages with dates and links, and is audited', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id, { givenName: 'Stella', familyName: 'Stages', referredOn: '2026-01-05' });
    await contactFor(t, org.id, episodeId, { at: '2026-01-10T10:00:00Z', setting: 'prison' });
    await contactFor(t, org.id, episodeId, { at: '2026-02-01T10:00:00Z' });
    const page = await practitioner.browser.get(`/episodes/${episodeId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Stella Stages/);
    assert.match(page.body, new RegExp(`href="/people/${personId}"`));
    assert.match(page.body, /id="stage"[^>]*>\s*Seen in the community/);
    assert.match(page.body, /Met in custody<\/td>\s*<td class="govuk-table__cell">10 January 2026/);
    assert.match(page.body, /Seen in the community<\/td>\s*<td class="govuk-table__cell">1 February 2026/);
    assert.match(page.body, new RegExp(`href="/episodes/${episodeId}/contacts"`));
    assert.match(page.body, new RegExp(`href="/episodes/${episodeId}/custody"`));
    assert.match(page.body, /Probation/);
    assert.equal((await audits(episodeId, 'episode.viewed')).length, 1);
  });

  test('another organisation’s episode and a malformed id are 404, on pages and the API', async () => {
    const otherOrg = await t.organisation('Other Episodes Org');
    const theirs = await personWithEpisode(t, otherOrg.id);
    for (const url of [`/episodes/${theirs.episodeId}`, `/episodes/${theirs.episodeId}/exit`, `/episodes/${theirs.episodeId}/allocate`, '/episodes/nope']) {
      const browser = url.endsWith('/allocate') ? manager.browser : practitioner.browser;
      assert.equal((await browser.get(url)).statusCode, 404, url);
    }
    const token = await apiTokenFor(t, org.id, 'practitioner');
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/episodes/${theirs.episodeId}`, headers })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/people/${theirs.personId}/episodes`, headers })).statusCode, 404);
    assert.equal((await audits(theirs.episodeId, 'episode.viewed')).length, 0);
  });

  test('getEpisodeHeader and listEpisodesForPerson give colleagues the header and the person’s episodes', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id, { givenName: 'Hedda', familyName: 'Header', keyWorkerId: practitioner.userId });
    const principal = {
      organisationId: org.id,
      organisationName: 'Episodes Org',
      role: 'practitioner',
      userId: practitioner.userId,
      displayName: 'P',
      email: null,
      via: 'session',
      sessionId: null,
      apiTokenId: null,
      fullySignedIn: true,
      twoFactorEnabled: false,
    } satisfies Principal;
    const header = await episodes.getEpisodeHeader(t.deps.db, principal, episodeId);
    assert.equal(header.personName, 'Hedda Header');
    assert.equal(header.stageLabel, 'Referred');
    assert.ok(header.keyWorkerName);
    await assert.rejects(episodes.getEpisodeHeader(t.deps.db, principal, 'bad'), { statusCode: 404 });
    const list = await episodes.listEpisodesForPerson(t.deps.db, principal, personId);
    assert.deepEqual(list.map((item) => [item.id, item.referralStatus, item.stage]), [[episodeId, 'accepted', 'referred']]);
  });

  test('declining needs a reason and text, then a confirmation; only then is it saved and audited', async () => {
    const { episodeId } = await pendingEpisode();
    const url = `/episodes/${episodeId}/decline`;
    const empty = await practitioner.browser.submit(url, url, { reasonCode: '', note: '', version: '1' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Select why the referral is being declined/);
    assert.match(empty.body, /Explain why the referral is being declined/);

    const asked = await practitioner.browser.submit(url, url, { reasonCode: 'outside_service_area', note: 'Lives in Cornwall', version: '1' });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /Decline the referral for Eve Pisode\?/);
    assert.match(asked.body, /name="confirm" value="yes"/);
    assert.equal((await referral(episodeId)).status, 'pending', 'nothing is saved before confirming');

    const done = await practitioner.browser.submit(url, url, { reasonCode: 'outside_service_area', note: 'Lives in Cornwall', version: '1', confirm: 'yes' });
    assert.equal(done.statusCode, 302);
    const row = await referral(episodeId);
    assert.equal(row.status, 'declined');
    assert.equal(row.decision_reason_code, 'outside_service_area');
    assert.equal(row.decision_note, 'Lives in Cornwall');
    assert.equal(row.decided_by, practitioner.userId);
    assert.equal((await audits(episodeId, 'referral.declined')).length, 1);
    const page = await practitioner.browser.get(`/episodes/${episodeId}`);
    assert.match(page.body, /Lives or will be released outside the service area: Lives in Cornwall/);
  });

  test('withdrawing needs a reason from its own list and is audited; a decided referral cannot be decided again', async () => {
    const { episodeId } = await pendingEpisode();
    const url = `/episodes/${episodeId}/withdraw`;
    const wrongList = await practitioner.browser.submit(url, url, { reasonCode: 'outside_service_area', note: 'x', version: '1', confirm: 'yes' });
    assert.equal(wrongList.statusCode, 400);
    assert.match(wrongList.body, /Select a reason from the list/);
    const done = await practitioner.browser.submit(url, url, { reasonCode: 'could_not_contact', note: 'No answer in 4 weeks', version: '1', confirm: 'yes' });
    assert.equal(done.statusCode, 302);
    assert.equal((await referral(episodeId)).status, 'withdrawn');
    assert.equal((await audits(episodeId, 'referral.withdrawn')).length, 1);
    const again = await practitioner.browser.submit(`/episodes/${episodeId}`, `/episodes/${episodeId}/decline`, { reasonCode: 'other', note: 'x', version: '2', confirm: 'yes' });
    assert.equal(again.statusCode, 400);
    assert.equal((await referral(episodeId)).status, 'withdrawn');
  });

  test('a stale decision or exit gets the conflict page and overwrites nothing', async () => {
    const { episodeId } = await pendingEpisode();
    const url = `/episodes/${episodeId}/decline`;
    await t.deps.db.updateTable('referral').set({ version: 5 }).where('episode_id', '=', episodeId).execute();
    const stale = await practitioner.browser.submit(url, url, { reasonCode: 'other', note: 'x', version: '1', confirm: 'yes' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This episode was changed by someone else/);
    assert.equal((await referral(episodeId)).status, 'pending');

    const exitUrl = `/episodes/${episodeId}/exit`;
    const staleExit = await practitioner.browser.submit(exitUrl, exitUrl, {
      reasonCode: 'disengaged', note: '', 'exitedOn-day': '1', 'exitedOn-month': '3', 'exitedOn-year': '2026', version: '0', confirm: 'yes',
    });
    assert.equal(staleExit.statusCode, 409);
    assert.equal((await episodeRow(t, episodeId)).exited_on, null);
    assert.equal((await audits(episodeId, 'episode.exited')).length, 0);
  });

  test('allocation keeps its history and needs a handover note when someone held the episode', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const first = await t.user(org.id, 'practitioner');
    const second = await t.user(org.id, 'practitioner');
    const peer = await t.user(org.id, 'peer_advisor');
    const url = `/episodes/${episodeId}/allocate`;
    const form = await manager.browser.get(url);
    assert.match(form.body, new RegExp(`value="${first.id}"`));
    assert.doesNotMatch(form.body, new RegExp(`value="${peer.id}"`), 'only people who hold caseloads are offered');
    assert.equal((await practitioner.browser.get(url)).statusCode, 403);

    const firstSave = await manager.browser.submit(url, url, { workerId: first.id, handoverNote: '', version: '1' });
    assert.equal(firstSave.statusCode, 302);
    const noNote = await manager.browser.submit(url, url, { workerId: second.id, handoverNote: '', version: '2' });
    assert.equal(noNote.statusCode, 400);
    assert.match(noNote.body, /Enter a handover note/);
    const peerPick = await manager.browser.submit(url, url, { workerId: peer.id, handoverNote: 'x', version: '2' });
    assert.match(peerPick.body, /Select who will be the key worker/);
    const stale = await manager.browser.submit(url, url, { workerId: second.id, handoverNote: 'late', version: '1' });
    assert.equal(stale.statusCode, 409);

    const secondSave = await manager.browser.submit(url, url, { workerId: second.id, handoverNote: 'Job interview on Friday', version: '2' });
    assert.equal(secondSave.statusCode, 302);
    assert.equal((await episodeRow(t, episodeId)).key_worker_id, second.id);
    const history = await t.deps.db.selectFrom('allocation').selectAll().where('episode_id', '=', episodeId).orderBy('allocated_at').execute();
    assert.equal(history.length, 2);
    assert.equal(history[0].worker_id, first.id);
    assert.ok(history[0].ended_at, 'the previous allocation is ended');
    assert.equal(history[1].worker_id, second.id);
    assert.equal(history[1].ended_at, null);
    assert.equal(history[1].handover_note, 'Job interview on Friday');
    assert.equal((await audits(episodeId, 'episode.allocated')).length, 2);
    const page = await manager.browser.get(`/episodes/${episodeId}`);
    assert.match(page.body, /Job interview on Friday/);
  });

  test('exit asks first, checks the date, sets the stage to exited; reopening recomputes it', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    await contactFor(t, org.id, episodeId, { at: '2026-01-20T10:00:00Z' });
    const url = `/episodes/${episodeId}/exit`;
    const fields = { reasonCode: 'moved_out_of_area', note: 'Moved to Leeds', 'exitedOn-day': '1', 'exitedOn-month': '2', 'exitedOn-year': '2026', version: '1' };
    const tooEarly = await practitioner.browser.submit(url, url, { ...fields, 'exitedOn-day': '1', 'exitedOn-month': '1' });
    assert.equal(tooEarly.statusCode, 400);
    assert.match(tooEarly.body, /on or after the date the referral was received/);
    const future = await practitioner.browser.submit(url, url, { ...fields, 'exitedOn-year': String(new Date().getFullYear() + 1) });
    assert.match(future.body, /Exit date must be today or in the past/);
    const noReason = await practitioner.browser.submit(url, url, { ...fields, reasonCode: '' });
    assert.match(noReason.body, /Select why support is ending/);

    const version = String((await episodeRow(t, episodeId)).version);
    const asked = await practitioner.browser.submit(url, url, { ...fields, version });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /Close Given\d+’s episode|Close .*episode of support\?/);
    assert.equal((await episodeRow(t, episodeId)).exited_on, null, 'nothing saved before confirming');

    const done = await practitioner.browser.submit(url, url, { ...fields, version, confirm: 'yes' });
    assert.equal(done.statusCode, 302);
    let row = await episodeRow(t, episodeId);
    assert.equal(row.exited_on, '2026-02-01');
    assert.equal(row.exit_reason_code, 'moved_out_of_area');
    assert.equal(row.stage, 'exited');
    assert.equal((await audits(episodeId, 'episode.exited')).length, 1);

    const reopenPage = await practitioner.browser.get(`/episodes/${episodeId}/reopen`);
    assert.match(reopenPage.body, /Reopen .* episode of support\?/);
    const reopened = await practitioner.browser.submit(`/episodes/${episodeId}/reopen`, `/episodes/${episodeId}/reopen`, {
      version: String(row.version),
      confirm: 'yes',
    });
    assert.equal(reopened.statusCode, 302);
    row = await episodeRow(t, episodeId);
    assert.equal(row.exited_on, null);
    assert.equal(row.exit_reason_code, null);
    assert.equal(row.stage, 'seen_in_community', 'the stage is worked out again from the contacts');
    assert.equal((await audits(episodeId, 'episode.reopened')).length, 1);
  });

  test('reopening is refused when the person has since got another open episode', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id);
    await t.deps.db.updateTable('episode').set({ exited_on: '2026-01-10', exit_reason_code: 'other', stage: 'exited' }).where('id', '=', episodeId).execute();
    await t.deps.db
      .insertInto('episode')
      .values({ organisation_id: org.id, person_id: personId, referred_on: '2026-02-01' })
      .execute();
    const response = await practitioner.browser.submit(`/episodes/${episodeId}/reopen`, `/episodes/${episodeId}/reopen`, { version: '1', confirm: 'yes' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /already has an open episode/);
    assert.equal((await episodeRow(t, episodeId)).exited_on, '2026-01-10');
  });

  test('returns to custody are recorded with kind, reason and date, listed and audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const url = `/episodes/${episodeId}/custody-events`;
    const bad = await practitioner.browser.submit(url, url, { kindCode: '', reasonCode: '', 'occurredOn-day': '1', 'occurredOn-month': '1', 'occurredOn-year': '2026' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Select what happened/);
    assert.match(bad.body, /Select the reason/);
    assert.match(bad.body, /on or after the date the referral was received/);
    const kind = (await t.deps.db.selectFrom('reference_item').select('code').where('list_code', '=', 'custody_event_kind').executeTakeFirstOrThrow()).code;
    const reason = (await t.deps.db.selectFrom('reference_item').select(['code', 'label']).where('list_code', '=', 'custody_event_reason').executeTakeFirstOrThrow());
    const saved = await practitioner.browser.submit(url, url, { kindCode: kind, reasonCode: reason.code, 'occurredOn-day': '9', 'occurredOn-month': '2', 'occurredOn-year': '2026', note: 'Missed appointments' });
    assert.equal(saved.statusCode, 302);
    const rows = await t.deps.db.selectFrom('custody_event').selectAll().where('episode_id', '=', episodeId).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].occurred_on, '2026-02-09');
    assert.equal(rows[0].recorded_by, practitioner.userId);
    assert.equal((await audits(episodeId, 'custody-event.recorded')).length, 1);
    const page = await practitioner.browser.get(`/episodes/${episodeId}`);
    assert.match(page.body, /9 February 2026/);
    assert.match(page.body, new RegExp(reason.label));
  });
});
