import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, episodeRow, personWithEpisode } from '../support/journey.ts';

/** A complete quick-entry form for a face-to-face community contact with the person; override any box. */
function contactForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'date-day': '1',
    'date-month': '7',
    'date-year': '2026',
    time: '14:30',
    type: 'face_to_face',
    setting: 'community',
    with: 'person',
    attended: 'yes',
    durationMinutes: '45',
    note: 'Met at the library.\nTalked about work.',
    pathway: 'education_skills_work',
    ...overrides,
  };
}

describe(`contacts (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Contacts Org');
    otherOrg = await t.organisation('Other Contacts Org');
    worker = await t.signedIn(org.id, 'practitioner');
  });
  after(() => t.close());

  const contactsOf = (episodeId: string) =>
    t.deps.db.selectFrom('contact').selectAll().where('episode_id', '=', episodeId).orderBy('occurred_at').execute();
  const auditFor = (subjectId: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', subjectId).where('action', '=', action).execute();

  async function record(episodeId: string, fields: Record<string, string>) {
    const url = `/episodes/${episodeId}/contacts/new`;
    return worker.browser.submit(url, url, fields);
  }

  test('the quick-entry form defaults to today and offers the reference lists', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { givenName: 'Quinn', familyName: 'Quick', keyWorkerId: worker.userId });
    const page = await worker.browser.get(`/episodes/${episodeId}/contacts/new`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Quinn Quick/);
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' })
      .format(new Date())
      .split('/');
    assert.match(page.body, new RegExp(`id="date-day" name="date-day" type="text" value="${today[0]}"`));
    assert.match(page.body, new RegExp(`name="date-year" type="text" value="${today[2]}"`));
    for (const label of ['Face to face', 'Text message', 'Probation office', 'Accommodation', 'Did not attend']) assert.match(page.body, new RegExp(label));
    assert.match(page.body, /<input class="govuk-radios__input" id="with" name="with" type="radio" value="person" checked/);
  });

  test('the second face-to-face community contact makes the episode engaged, and it shows on the caseload', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { givenName: 'Erin', familyName: 'Engaged', keyWorkerId: worker.userId });
    const first = await record(episodeId, contactForm({ 'date-day': '1' }));
    assert.equal(first.statusCode, 302);
    assert.equal(first.headers.location, `/episodes/${episodeId}/contacts?saved=seen_in_community`);
    assert.equal((await episodeRow(t, episodeId)).stage, 'seen_in_community');
    const second = await record(episodeId, contactForm({ 'date-day': '8' }));
    assert.equal(second.headers.location, `/episodes/${episodeId}/contacts?saved=engaged`);
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'engaged');
    assert.equal(row.engaged_on, '2026-07-08');

    const list = await worker.browser.get(`/episodes/${episodeId}/contacts?saved=engaged`);
    assert.match(list.body, /Contact saved. Stage: Engaged/);
    assert.match(list.body, /Showing 1 to 2 of 2 contacts/);
    assert.ok(list.body.indexOf('8 July 2026') < list.body.indexOf('1 July 2026'), 'newest first');
    assert.match(list.body, /href="\/episodes\/[0-9a-f-]{36}\/contacts\/[0-9a-f-]{36}\/edit"/);
    assert.match(list.body, /href="\/episodes\/[0-9a-f-]{36}\/contacts\/[0-9a-f-]{36}\/delete"/);

    const caseload = await worker.browser.get('/caseload');
    assert.match(caseload.body, new RegExp(`id="episode-${episodeId}"[\\s\\S]*?Erin Engaged[\\s\\S]*?data-stage="engaged">Engaged<`));

    const saved = await contactsOf(episodeId);
    assert.equal(saved[0].recorded_by, worker.userId);
    assert.equal(saved[0].duration_minutes, 45);
    assert.equal(saved[0].pathway_code, 'education_skills_work');
    assert.equal(saved[0].note, 'Met at the library.\nTalked about work.');
    assert.equal((await auditFor(saved[1].id, 'contact.created')).length, 1);
  });

  test('a time entered in summer time is stored as the right UTC instant, and shown back as UK time', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, contactForm({ 'date-day': '1', 'date-month': '7', time: '14:30' }));
    await record(episodeId, contactForm({ 'date-day': '15', 'date-month': '1', time: '9.05' }));
    await record(episodeId, contactForm({ 'date-day': '25', 'date-month': '10', 'date-year': '2026', time: '01:30' }));
    const saved = await contactsOf(episodeId);
    assert.deepEqual(
      saved.map((contact) => contact.occurred_at.toISOString()),
      ['2026-01-15T09:05:00.000Z', '2026-07-01T13:30:00.000Z', '2026-10-25T00:30:00.000Z'],
    );
    const summer = saved[1];
    const edit = await worker.browser.get(`/episodes/${episodeId}/contacts/${summer.id}/edit`);
    assert.match(edit.body, /id="time" name="time" type="text"[^>]*value="14:30"/);
  });

  test('a contact in the future is refused with nothing written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const audits = Number((await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'contact.created'`.execute(t.deps.db)).rows[0].n);
    const tomorrow = new Date(Date.now() + 36 * 60 * 60 * 1000);
    const response = await record(
      episodeId,
      contactForm({ 'date-day': String(tomorrow.getUTCDate()), 'date-month': String(tomorrow.getUTCMonth() + 1), 'date-year': String(tomorrow.getUTCFullYear()) }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#date-day">The date and time must be in the past/);
    assert.match(response.body, />Met at the library.\nTalked about work.<\/textarea>/, 'what was typed is kept');
    const later = await record(episodeId, contactForm({ 'date-day': '1', 'date-month': '1', 'date-year': '2030' }));
    assert.equal(later.statusCode, 400);
    assert.equal((await contactsOf(episodeId)).length, 0);
    const after = Number((await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'contact.created'`.execute(t.deps.db)).rows[0].n);
    assert.equal(after, audits);
    assert.equal((await episodeRow(t, episodeId)).stage, 'referred');
  });

  test('impossible dates and times, missing and unknown choices, and a bad duration are each a field error', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const response = await record(episodeId, {
      'date-day': '31',
      'date-month': '2',
      'date-year': '2026',
      time: '25:00',
      type: 'carrier_pigeon',
      setting: '',
      with: 'the_moon',
      attended: 'maybe',
      durationMinutes: '1441',
      note: '',
      pathway: 'not_a_pathway',
    });
    assert.equal(response.statusCode, 400);
    for (const [field, text] of [
      ['date-day', 'Date of the contact must be a real date'],
      ['time', 'Enter a real time in the 24-hour clock'],
      ['type', 'Select a contact type from the list'],
      ['setting', 'Select where the contact happened'],
      ['with', 'Select who the contact was with from the list'],
      ['attended', 'Select whether the contact happened'],
      ['durationMinutes', 'Duration must be a whole number of minutes from 0 to 1440'],
      ['pathway', 'Select a pathway from the list'],
    ]) {
      assert.match(response.body, new RegExp(`href="#${field}">${text}`), field);
    }
    const gap = await record(episodeId, contactForm({ 'date-day': '29', 'date-month': '3', time: '01:30' }));
    assert.equal(gap.statusCode, 400);
    assert.match(gap.body, /href="#time">That time did not happen in the UK/);
    const missing = await record(episodeId, contactForm({ 'date-day': '', 'date-month': '', 'date-year': '', time: '' }));
    assert.match(missing.body, /href="#date-day">Enter the date of the contact/);
    assert.match(missing.body, /href="#time">Enter the time of the contact/);
    assert.equal((await contactsOf(episodeId)).length, 0);
  });

  test('editing keeps a revision, recomputes the stage and audits; changing a community contact to prison moves the stage back', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { givenName: 'Robin', familyName: 'Revised' });
    await record(episodeId, contactForm({ 'date-day': '1' }));
    await record(episodeId, contactForm({ 'date-day': '2' }));
    assert.equal((await episodeRow(t, episodeId)).stage, 'engaged');
    const [firstContact] = await contactsOf(episodeId);
    const editUrl = `/episodes/${episodeId}/contacts/${firstContact.id}/edit`;
    const form = await worker.browser.get(editUrl);
    assert.match(form.body, /name="version" value="1"/);
    const response = await worker.browser.submit(editUrl, editUrl, contactForm({ 'date-day': '1', setting: 'prison', version: '1', note: 'Actually in prison' }));
    assert.equal(response.statusCode, 302);
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'seen_in_community');
    assert.equal(row.met_in_custody_on, '2026-07-01');
    assert.equal(row.engaged_on, null);

    const [updated] = await contactsOf(episodeId);
    assert.equal(updated.setting_code, 'prison');
    assert.equal(updated.version, 2);
    const revisions = await t.deps.db.selectFrom('contact_revision').selectAll().where('contact_id', '=', firstContact.id).execute();
    assert.equal(revisions.length, 1);
    assert.equal(revisions[0].previous.setting_code, 'community');
    assert.equal(revisions[0].previous.note, 'Met at the library.\nTalked about work.');
    assert.equal(revisions[0].revised_by, worker.userId);
    const audit = await auditFor(firstContact.id, 'contact.updated');
    assert.equal(audit.length, 1);
    assert.deepEqual((audit[0].detail as { changed: string[] }).changed.sort(), ['note', 'setting_code']);

    const page = await worker.browser.get(`/episodes/${episodeId}/contacts/${firstContact.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="revisions"[\s\S]*Before the change on[\s\S]*Community/);
    assert.match(page.body, /id="current-contact"[\s\S]*Prison[\s\S]*Actually in prison/);
    assert.equal((await auditFor(firstContact.id, 'contact.viewed')).length, 1);
  });

  test('a stale edit shows the conflict page and overwrites nothing', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, contactForm());
    const [contact] = await contactsOf(episodeId);
    const editUrl = `/episodes/${episodeId}/contacts/${contact.id}/edit`;
    await worker.browser.submit(editUrl, editUrl, contactForm({ version: '1', note: 'First save' }));
    const stale = await worker.browser.submit(editUrl, editUrl, contactForm({ version: '1', note: 'Second save', setting: 'prison' }));
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This contact was changed by someone else/);
    const [after] = await contactsOf(episodeId);
    assert.equal(after.note, 'First save');
    assert.equal(after.setting_code, 'community');
    assert.equal(after.version, 2);
    assert.equal((await t.deps.db.selectFrom('contact_revision').select('id').where('contact_id', '=', contact.id).execute()).length, 1);
  });

  test('delete asks for a reason, then hides the contact, recomputes and audits', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, contactForm({ 'date-day': '1' }));
    await record(episodeId, contactForm({ 'date-day': '2' }));
    const [, second] = await contactsOf(episodeId);
    const deleteUrl = `/episodes/${episodeId}/contacts/${second.id}/delete`;
    const confirm = await worker.browser.get(deleteUrl);
    assert.match(confirm.body, /Delete this contact\?/);
    assert.match(confirm.body, /<textarea[^>]*name="reason"/);

    const noReason = await worker.browser.submit(deleteUrl, deleteUrl, { reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /href="#reason">Enter why you are deleting this contact/);
    assert.equal((await contactsOf(episodeId))[1].deleted_at, null);
    assert.equal((await episodeRow(t, episodeId)).stage, 'engaged');

    const done = await worker.browser.submit(deleteUrl, deleteUrl, { reason: 'Recorded on the wrong person' });
    assert.equal(done.statusCode, 302);
    const deleted = (await contactsOf(episodeId))[1];
    assert.ok(deleted.deleted_at);
    assert.equal(deleted.deleted_by, worker.userId);
    assert.equal(deleted.delete_reason, 'Recorded on the wrong person');
    assert.equal((await episodeRow(t, episodeId)).stage, 'seen_in_community');
    const audit = await auditFor(second.id, 'contact.deleted');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].reason, 'Recorded on the wrong person');

    const list = await worker.browser.get(`/episodes/${episodeId}/contacts`);
    assert.match(list.body, /Showing 1 to 1 of 1 contact</);
    assert.doesNotMatch(list.body, new RegExp(`contact-${second.id}`));
    const withDeleted = await worker.browser.get(`/episodes/${episodeId}/contacts?deleted=include`);
    assert.match(withDeleted.body, /Showing 1 to 2 of 2 contacts/);
    assert.match(withDeleted.body, new RegExp(`id="contact-${second.id}"[\\s\\S]*?Deleted[\\s\\S]*?Recorded on the wrong person`));
    assert.match(withDeleted.body, /value="include" checked/, 'the filter keeps its state');
    assert.match(withDeleted.body, new RegExp(`/contacts/${second.id}\\?list=deleted%3Dinclude`));
    assert.equal((await worker.browser.get(`/episodes/${episodeId}/contacts/${second.id}/edit`)).statusCode, 404);
  });

  test('the list pages 25 at a time, and the page links keep "Show deleted"', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    for (let n = 1; n <= 27; n += 1) await contactFor(t, org.id, episodeId, { at: `2026-05-${String(n).padStart(2, '0')}T10:00:00Z`, deleted: n === 27 });
    const first = await worker.browser.get(`/episodes/${episodeId}/contacts?deleted=include`);
    assert.match(first.body, /Showing 1 to 25 of 27 contacts/);
    assert.match(first.body, /href="\/episodes\/[0-9a-f-]{36}\/contacts\?deleted=include&amp;page=2"[^>]*rel="next"/);
    const second = await worker.browser.get(`/episodes/${episodeId}/contacts?deleted=include&page=2`);
    assert.match(second.body, /Showing 26 to 27 of 27 contacts/);
    assert.match(second.body, /href="\/episodes\/[0-9a-f-]{36}\/contacts\?deleted=include"[^>]*rel="prev"/);
    const hidden = await worker.browser.get(`/episodes/${episodeId}/contacts?page=2`);
    assert.match(hidden.body, /Showing 26 to 26 of 26 contacts/);
  });

  test('contacts entered at once on one episode all count, and the derived stage is right', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/contacts/new`;
    const csrf = await worker.browser.csrfFrom(url);
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((day) =>
        worker.browser.request({ method: 'POST', url, form: { _csrf: csrf, ...contactForm({ 'date-day': String(day), setting: day === 1 ? 'prison' : 'community' }) } }),
      ),
    );
    assert.deepEqual(responses.map((response) => response.statusCode), [302, 302, 302, 302, 302]);
    assert.equal((await contactsOf(episodeId)).length, 5);
    const row = await episodeRow(t, episodeId);
    assert.equal(row.stage, 'engaged');
    assert.equal(row.met_in_custody_on, '2026-07-01');
    assert.equal(row.seen_in_community_on, '2026-07-02');
    assert.equal(row.engaged_on, '2026-07-03');
  });

  test("another organisation's episode or contact, and malformed ids, are not found", async () => {
    const theirs = await personWithEpisode(t, otherOrg.id);
    const theirContact = await contactFor(t, otherOrg.id, theirs.episodeId, { at: '2026-06-01T10:00:00Z' });
    const mine = await personWithEpisode(t, org.id);
    for (const url of [
      `/episodes/${theirs.episodeId}/contacts`,
      `/episodes/${theirs.episodeId}/contacts/new`,
      `/episodes/${theirs.episodeId}/contacts/${theirContact}`,
      `/episodes/${theirs.episodeId}/contacts/${theirContact}/edit`,
      `/episodes/${mine.episodeId}/contacts/${theirContact}`,
      `/episodes/${mine.episodeId}/contacts/${theirContact}/delete`,
      '/episodes/not-a-uuid/contacts',
      `/episodes/${mine.episodeId}/contacts/not-a-uuid`,
    ]) {
      assert.equal((await worker.browser.get(url)).statusCode, 404, url);
    }
    const csrf = await worker.browser.csrfFrom(`/episodes/${mine.episodeId}/contacts/new`);
    const post = await worker.browser.request({ method: 'POST', url: `/episodes/${theirs.episodeId}/contacts/new`, form: { _csrf: csrf, ...contactForm() } });
    assert.equal(post.statusCode, 404);
    const del = await worker.browser.request({
      method: 'POST',
      url: `/episodes/${mine.episodeId}/contacts/${theirContact}/delete`,
      form: { _csrf: csrf, reason: 'nope' },
    });
    assert.equal(del.statusCode, 404);
    assert.equal((await contactsOf(theirs.episodeId)).length, 1);
    assert.equal((await contactsOf(theirs.episodeId))[0].deleted_at, null);
  });

  test('a peer advisor cannot see or record contacts', async () => {
    const peer = await t.signedIn(org.id, 'peer_advisor');
    const { episodeId } = await personWithEpisode(t, org.id);
    assert.equal((await peer.browser.get(`/episodes/${episodeId}/contacts`)).statusCode, 403);
    assert.equal((await peer.browser.get(`/episodes/${episodeId}/contacts/new`)).statusCode, 403);
  });
});
