import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { activityCounts } from '../../src/modules/job-search/service.ts';
import { londonToday } from '../../src/platform/london-time.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';
import { dateFields } from '../support/dates.ts';

/** A UK calendar date some days from today (negative for the past). */
function daysFromToday(days: number): string {
  const today = new Date(`${londonToday()}T12:00:00Z`);
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}


function multipart(fields: Record<string, string>, file?: { fileName: string; content: Buffer | string; contentType?: string }) {
  const boundary = `----tgtest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.fileName}"\r\ncontent-type: ${file.contentType ?? 'application/pdf'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe(`job search pages (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let worker: { browser: Browser; userId: string };
  let employerId: string;
  let otherEmployerId: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Job Search Org');
    otherOrg = await t.organisation('Other Job Search Org');
    worker = await t.signedIn(org.id, 'practitioner');
    employerId = (await t.deps.db.insertInto('employer').values({ organisation_id: org.id, name: 'Acme Warehousing' }).returning('id').executeTakeFirstOrThrow()).id;
    otherEmployerId = (await t.deps.db.insertInto('employer').values({ organisation_id: otherOrg.id, name: 'Elsewhere Ltd' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  const db = () => t.deps.db;
  const activities = (episodeId: string) => db().selectFrom('job_search_activity').selectAll().where('episode_id', '=', episodeId).execute();
  const files = (personId: string) => db().selectFrom('stored_file').select(['id', 'content_type', 'file_name', 'size_bytes']).where('person_id', '=', personId).execute();

  async function faceToFaceContact(organisationId: string, episodeId: string, on: string, method = 'face_to_face') {
    const specialist = await t.user(organisationId, 'practitioner');
    const contact = await db()
      .insertInto('employer_contact')
      .values({ organisation_id: organisationId, employer_id: employerId, specialist_id: specialist.id, occurred_on: on, method_code: method, purpose_code: 'presenting_candidate' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('employer_contact_participant').values({ organisation_id: organisationId, employer_contact_id: contact.id, episode_id: episodeId }).execute();
  }

  async function uploadCv(episodeId: string, file: { fileName: string; content: Buffer | string; contentType?: string }, fields: Record<string, string> = {}) {
    const pageUrl = `/episodes/${episodeId}/job-search/new?kind=cv`;
    const csrf = await worker.browser.csrfFrom(pageUrl);
    const body = multipart({ _csrf: csrf, ...dateFields('occurredOn', daysFromToday(-1)), ...fields }, file);
    return t.app.inject({ method: 'POST', url: pageUrl, headers: { cookie: worker.browser.cookieHeader(), 'content-type': body.contentType }, payload: body.payload });
  }

  const newUrl = (episodeId: string, kind: string) => `/episodes/${episodeId}/job-search/new?kind=${kind}`;
  const record = (episodeId: string, kind: string, fields: Record<string, string>) => worker.browser.submit(newUrl(episodeId, kind), newUrl(episodeId, kind), fields);

  test('the page counts days from the referral to the first face-to-face employer contact, flagged past 30', async () => {
    const waiting = await personWithEpisode(t, org.id, { referredOn: daysFromToday(-40) });
    const page = await worker.browser.get(`/episodes/${waiting.episodeId}/job-search`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No employer contact yet, 40 days since the start of support/);
    assert.match(page.body, /id="rapid-overdue"/);
    assert.match(page.body, /Counted from the referral date/);

    const quick = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    await faceToFaceContact(org.id, quick.episodeId, '2026-01-09', 'phone');
    await faceToFaceContact(org.id, quick.episodeId, '2026-01-15');
    const quickPage = await worker.browser.get(`/episodes/${quick.episodeId}/job-search`);
    assert.match(quickPage.body, /10 days from the start of support to the first employer contact/, 'the phone call does not count');
    assert.match(quickPage.body, /15 January 2026/);
    assert.doesNotMatch(quickPage.body, /id="rapid-overdue"/);

    const slow = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    await faceToFaceContact(org.id, slow.episodeId, '2026-02-10');
    assert.match((await worker.browser.get(`/episodes/${slow.episodeId}/job-search`)).body, /36 days from the start[\s\S]*id="rapid-overdue"/);
    const audit = await db().selectFrom('audit_event').select(['action', 'subject_type']).where('subject_id', '=', slow.episodeId).execute();
    assert.deepEqual(audit.map((row) => [row.action, row.subject_type]), [['job_search.viewed', 'episode']]);
  });

  test('an application with one of the organisation’s employers is saved, audited, counted and listed newest first', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const saved = await record(episodeId, 'application', { ...dateFields('occurredOn', '2026-02-02'), employerId, title: 'Picker', outcome: 'pending', note: 'Sent online' });
    assert.equal(saved.statusCode, 302, saved.body);
    assert.equal(saved.headers.location, `/episodes/${episodeId}/job-search?done=saved`);
    await record(episodeId, 'application', { ...dateFields('occurredOn', '2026-02-05'), employerName: 'Corner Café', title: 'Kitchen porter' });
    const rows = await activities(episodeId);
    assert.equal(rows.length, 2);
    const first = rows.find((row) => row.title === 'Picker');
    assert.equal(first?.employer_id, employerId);
    assert.equal(first?.outcome_code, 'pending');
    assert.equal(String(first?.occurred_on), '2026-02-02');

    const page = await worker.browser.get(`/episodes/${episodeId}/job-search?done=saved`);
    assert.match(page.body, /Activity saved/);
    assert.match(page.body, /data-count="application">2</);
    assert.match(page.body, /Corner Café[\s\S]*Acme Warehousing/, 'newest first, employer names from the record and as typed');
    assert.match(page.body, /Waiting to hear/);
    const audit = await db().selectFrom('audit_event').selectAll().where('subject_id', '=', episodeId).where('action', '=', 'job_search.activity_created').execute();
    assert.equal(audit.length, 2);
    assert.equal(audit[0].subject_type, 'episode');
    assert.equal((await activityCounts(db(), org.id, [episodeId])).get(episodeId)?.application, 2);
  });

  test('the kind filter is kept in the query string, including in paging links', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await db()
      .insertInto('job_search_activity')
      .values([
        ...Array.from({ length: 26 }, (_, n) => ({ organisation_id: org.id, episode_id: episodeId, kind: 'application' as const, occurred_on: '2026-01-10', title: `Job ${n}` })),
        { organisation_id: org.id, episode_id: episodeId, kind: 'interview' as const, occurred_on: '2026-01-11', title: 'The interview' },
      ])
      .execute();
    const interviews = await worker.browser.get(`/episodes/${episodeId}/job-search?kind=interview`);
    assert.match(interviews.body, /Showing 1 to 1 of 1 activity \(interview\)/);
    assert.match(interviews.body, /<option value="interview" selected>/);
    const applications = await worker.browser.get(`/episodes/${episodeId}/job-search?kind=application`);
    assert.match(applications.body, /Showing 1 to 25 of 26 activities/);
    assert.match(applications.body, /href="\/episodes\/[^"]+\/job-search\?kind=application&amp;page=2"/);
    const second = await worker.browser.get(`/episodes/${episodeId}/job-search?kind=application&page=2`);
    assert.match(second.body, /Showing 26 to 26 of 26/);
  });

  test('an employer id that is not one of the organisation’s employers is refused, and nothing is saved', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    for (const id of [otherEmployerId, '0190aaaa-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const response = await record(episodeId, 'application', { ...dateFields('occurredOn', '2026-02-02'), employerId: id });
      assert.equal(response.statusCode, 400, id);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, /There is no employer with this id in your organisation’s employers/);
    }
    const both = await record(episodeId, 'application', { ...dateFields('occurredOn', '2026-02-02'), employerId, employerName: 'Also this' });
    assert.equal(both.statusCode, 400);
    assert.match(both.body, /not both/);
    assert.equal((await activities(episodeId)).length, 0);
  });

  test('dates: impossible or missing dates are refused; only interviews and courses may be in the future', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const impossible = await record(episodeId, 'application', { 'occurredOn-day': '31', 'occurredOn-month': '2', 'occurredOn-year': '2026' });
    assert.equal(impossible.statusCode, 400);
    assert.match(impossible.body, /The date must be a real date/);
    assert.match(impossible.body, /href="#occurredOn-day"/);
    const missing = await record(episodeId, 'work_trial', {});
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Enter the date/);
    const future = await record(episodeId, 'application', dateFields('occurredOn', daysFromToday(3)));
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The date must be today or in the past/);
    assert.equal((await activities(episodeId)).length, 0);

    const interview = await record(episodeId, 'interview', { ...dateFields('occurredOn', daysFromToday(3)), employerId });
    assert.equal(interview.statusCode, 302, interview.body);
    assert.equal((await activities(episodeId)).length, 1);
  });

  test('a training course needs a provider and cannot end before it starts; a good one keeps its course details', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const backwards = await record(episodeId, 'training_course', {
      ...dateFields('occurredOn', '2026-03-10'),
      ...dateFields('endsOn', '2026-03-01'),
      provider: 'City College',
    });
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /The end date must be the same as or after the start date/);
    assert.match(backwards.body, /value="City College"/, 'the form keeps what was typed');
    const noProvider = await record(episodeId, 'training_course', dateFields('occurredOn', '2026-03-10'));
    assert.equal(noProvider.statusCode, 400);
    assert.match(noProvider.body, /Enter the training provider/);
    assert.equal((await activities(episodeId)).length, 0);

    const good = await record(episodeId, 'training_course', {
      ...dateFields('occurredOn', '2026-03-10'),
      ...dateFields('endsOn', '2026-03-12'),
      provider: 'City College',
      completed: 'yes',
      certificate: 'CSCS green card',
      title: 'Health and safety',
    });
    assert.equal(good.statusCode, 302, good.body);
    const [row] = await activities(episodeId);
    assert.deepEqual([row.provider, String(row.ends_on), row.completed, row.certificate], ['City College', '2026-03-12', true, 'CSCS green card']);
    const detail = await worker.browser.get(`/episodes/${episodeId}/job-search/${row.id}`);
    assert.match(detail.body, /City College/);
    assert.match(detail.body, /12 March 2026/);
  });

  test('a PDF CV is stored with its sniffed type in the same save, and downloads as an audited attachment', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_500_000, 'x')]);
    const response = await uploadCv(episodeId, { fileName: 'Jo Bloggs CV.pdf', content: pdf, contentType: 'text/html' });
    assert.equal(response.statusCode, 302, response.body);
    const [stored] = await files(personId);
    assert.equal(stored.content_type, 'application/pdf', 'sniffed, not the browser’s text/html');
    assert.equal(stored.size_bytes, pdf.length);
    assert.equal(stored.file_name, 'Jo Bloggs CV.pdf');
    const [activity] = await activities(episodeId);
    assert.equal(activity.kind, 'cv');
    assert.equal(activity.file_id, stored.id);

    const detail = await worker.browser.get(`/episodes/${episodeId}/job-search/${activity.id}`);
    assert.match(detail.body, new RegExp(`href="/files/${stored.id}"`));
    const download = await worker.browser.get(`/files/${stored.id}`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.equal(download.headers['content-disposition'], `attachment; filename="Jo Bloggs CV.pdf"; filename*=UTF-8''Jo%20Bloggs%20CV.pdf`);
    assert.equal(download.rawPayload.length, pdf.length);
    assert.ok(download.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
    const audit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'file.downloaded').where('subject_id', '=', personId).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].subject_type, 'person');
  });

  test('a CV over 2 MB is refused with a clear field error and nothing is stored', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2 * 1024 * 1024, 'x')]);
    const response = await uploadCv(episodeId, { fileName: 'cv.pdf', content: big });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /The CV must be smaller than 2 MB/);
    assert.match(response.body, /href="#file"/);
    assert.equal((await files(personId)).length, 0);
    assert.equal((await activities(episodeId)).length, 0);
  });

  test('a CV of the wrong type is refused whatever its name or content type says, and nothing is stored', async () => {
    const { episodeId, personId } = await personWithEpisode(t, org.id);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
    const cases = [
      { fileName: 'cv.pdf', content: png, contentType: 'application/pdf' },
      { fileName: 'cv.pdf', content: '<!doctype html><html><script>alert(1)</script></html>', contentType: 'application/pdf' },
      { fileName: 'cv.docx', content: 'not really a zip', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    ];
    for (const file of cases) {
      const response = await uploadCv(episodeId, file);
      assert.equal(response.statusCode, 400, file.fileName);
      assert.match(response.body, /The CV must be a PDF, Word document, OpenDocument text or plain text file/);
    }
    const none = await uploadCv(episodeId, { fileName: '', content: '' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Select the CV file/);
    assert.equal((await files(personId)).length, 0);
    assert.equal((await activities(episodeId)).length, 0);
  });

  test('an activity of another episode, another organisation’s file and malformed ids are not found', async () => {
    const mine = await personWithEpisode(t, org.id);
    const other = await personWithEpisode(t, org.id);
    const [activity] = await db()
      .insertInto('job_search_activity')
      .values({ organisation_id: org.id, episode_id: other.episodeId, kind: 'application', occurred_on: '2026-01-10' })
      .returning('id')
      .execute();
    assert.equal((await worker.browser.get(`/episodes/${mine.episodeId}/job-search/${activity.id}`)).statusCode, 404);
    assert.equal((await worker.browser.get(`/episodes/${mine.episodeId}/job-search/${activity.id}/delete`)).statusCode, 404);
    const wrongDelete = await worker.browser.submit(`/episodes/${other.episodeId}/job-search/${activity.id}/delete`, `/episodes/${mine.episodeId}/job-search/${activity.id}/delete`, {});
    assert.equal(wrongDelete.statusCode, 404);
    assert.equal((await activities(other.episodeId))[0].deleted_at, null);
    assert.equal((await worker.browser.get(`/episodes/${mine.episodeId}/job-search/not-a-uuid`)).statusCode, 404);

    const stranger = await personWithEpisode(t, otherOrg.id);
    const theirFile = await db()
      .insertInto('stored_file')
      .values({ organisation_id: otherOrg.id, person_id: stranger.personId, file_name: 'cv.pdf', content_type: 'application/pdf', size_bytes: 9, sha256: '0'.repeat(64), content: Buffer.from('%PDF-1.4\n') })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await worker.browser.get(`/files/${theirFile.id}`)).statusCode, 404);
    assert.equal((await worker.browser.get('/files/..%2F..%2Fetc%2Fpasswd')).statusCode, 404);
    assert.equal((await worker.browser.get(`/episodes/${stranger.episodeId}/job-search`)).statusCode, 404);
  });

  test('deleting asks first, then hides the activity from the list and counts; it is kept and audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await record(episodeId, 'work_placement', { ...dateFields('occurredOn', '2026-02-02'), employerId });
    const [activity] = await activities(episodeId);
    const confirm = await worker.browser.get(`/episodes/${episodeId}/job-search/${activity.id}/delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Delete this activity: work-experience placement/);
    const deleted = await worker.browser.submit(`/episodes/${episodeId}/job-search/${activity.id}/delete`, `/episodes/${episodeId}/job-search/${activity.id}/delete`, {});
    assert.equal(deleted.statusCode, 302);
    assert.notEqual((await activities(episodeId))[0].deleted_at, null);
    const list = await worker.browser.get(`/episodes/${episodeId}/job-search?done=deleted`);
    assert.match(list.body, /Activity deleted/);
    assert.match(list.body, /data-count="work_placement">0</);
    assert.match(list.body, /id="no-activities"/);
    const audit = await db().selectFrom('audit_event').select('action').where('subject_id', '=', episodeId).where('action', '=', 'job_search.activity_deleted').execute();
    assert.equal(audit.length, 1);
    const again = await worker.browser.submit(`/episodes/${episodeId}/job-search/${activity.id}`, `/episodes/${episodeId}/job-search/${activity.id}/delete`, {});
    assert.equal(again.statusCode, 302, 'deleting twice changes nothing');
  });

  test('the job search start date is saved, changed at the right version, and a stale save is a conflict', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const datesUrl = `/episodes/${episodeId}/job-search/dates`;
    const first = await worker.browser.submit(datesUrl, datesUrl, dateFields('startedOn', '2026-01-20'));
    assert.equal(first.statusCode, 302, first.body);
    assert.match((await worker.browser.get(`/episodes/${episodeId}/job-search?done=dates`)).body, /Job search dates saved[\s\S]*20 January 2026/);
    const form = await worker.browser.get(datesUrl);
    assert.match(form.body, /name="version" value="1"/);
    const second = await worker.browser.submit(datesUrl, datesUrl, { ...dateFields('startedOn', '2026-01-21'), version: '1' });
    assert.equal(second.statusCode, 302);
    const stale = await worker.browser.submit(datesUrl, datesUrl, { ...dateFields('startedOn', '2026-01-01'), version: '1' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /changed by someone else/);
    const future = await worker.browser.submit(datesUrl, datesUrl, { ...dateFields('startedOn', daysFromToday(5)), version: '2' });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /must be today or in the past/);
    const plan = await db().selectFrom('employment_plan').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(String(plan.job_search_started_on), '2026-01-21');
    assert.equal(plan.version, 2);
  });

  test('the caseload tags open episodes without a face-to-face employer contact within 30 days', async () => {
    const specialist = await t.signedIn(org.id, 'practitioner');
    const episode = (givenName: string, referredOn: string) => personWithEpisode(t, org.id, { givenName, familyName: 'Rapid', keyWorkerId: specialist.userId, referredOn });
    const waiting = await episode('Waiting', daysFromToday(-31));
    const recent = await episode('Recent', daysFromToday(-10));
    const quick = await episode('Quick', daysFromToday(-60));
    await faceToFaceContact(org.id, quick.episodeId, daysFromToday(-55));
    const late = await episode('Late', daysFromToday(-60));
    await faceToFaceContact(org.id, late.episodeId, daysFromToday(-20));
    const page = await specialist.browser.get('/caseload');
    assert.equal(page.statusCode, 200);
    const tagged = (episodeId: string) => new RegExp(`id="episode-${episodeId}"[^]*?</tr>`).exec(page.body)?.[0].includes('No employer contact after 30 days');
    assert.equal(tagged(waiting.episodeId), true);
    assert.equal(tagged(recent.episodeId), false);
    assert.equal(tagged(quick.episodeId), false);
    assert.equal(tagged(late.episodeId), true);
  });
});
