import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonToday } from '../../src/platform/london-time.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

/** A UK calendar date some days from today (negative for the past). */
function daysFromToday(days: number): string {
  const today = new Date(`${londonToday()}T12:00:00Z`);
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Days back to this week's Monday (0 on a Monday). */
function daysSinceMonday(): number {
  return (new Date(`${londonToday()}T12:00:00Z`).getUTCDay() + 6) % 7;
}

/** The rows of one stage's table on the board: the ids of the episodes in it. */
function episodesIn(body: string, stage: string): string[] {
  const table = new RegExp(`<table class="govuk-table" id="stage-${stage}"[\\s\\S]*?</table>`).exec(body)?.[0] ?? '';
  return [...table.matchAll(/id="episode-([0-9a-f-]+)"/g)].map((match) => match[1]);
}

describe(`employment board (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Board Org');
    otherOrg = await t.organisation('Other Board Org');
  });
  after(() => t.close());

  const db = () => t.deps.db;
  const owned = () => ({ organisation_id: org.id });

  async function employer(name: string) {
    return (await db().insertInto('employer').values({ ...owned(), name }).returning('id').executeTakeFirstOrThrow()).id;
  }
  async function job(episodeId: string, employerId: string, startsOn: string, countedStartOn: string | null) {
    await db()
      .insertInto('job')
      .values({
        ...owned(),
        episode_id: episodeId,
        employer_id: employerId,
        title: 'Porter',
        job_type_code: 'elementary',
        starts_on: startsOn,
        counted_start_on: countedStartOn,
        hours_per_week: 16,
        hourly_pay: 13,
        permanent: true,
        open_to_anyone: true,
        competitive: true,
      })
      .execute();
  }
  async function employerContact(specialistId: string, employerId: string, occurredOn: string, method: string, episodeIds: string[] = []) {
    const row = await db()
      .insertInto('employer_contact')
      .values({ ...owned(), employer_id: employerId, specialist_id: specialistId, occurred_on: occurredOn, method_code: method, purpose_code: 'presenting_candidate' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const episodeId of episodeIds) {
      await db().insertInto('employer_contact_participant').values({ ...owned(), employer_contact_id: row.id, episode_id: episodeId }).execute();
    }
  }

  test("a specialist's board groups their open caseload by employment stage, with days since employer contact and the standards", async () => {
    const worker = await t.signedIn(org.id, 'practitioner');
    const colleague = await t.user(org.id, 'practitioner');
    const mine = (givenName: string) => personWithEpisode(t, org.id, { givenName, familyName: 'Boardtest', keyWorkerId: worker.userId });
    const pat = await mine('Pat');
    const bea = await mine('Bea');
    const jo = await mine('Jo');
    const ian = await mine('Ian');
    const wes = await mine('Wes');
    const sam = await mine('Sam');
    const eddie = await mine('Eddie');
    await db().updateTable('episode').set({ exited_on: daysFromToday(-1), stage: 'exited' }).where('id', '=', eddie.episodeId).execute();
    const notMine = await personWithEpisode(t, org.id, { givenName: 'Nora', familyName: 'Notmine', keyWorkerId: colleague.id });

    for (const person of [bea, jo, ian, wes, sam]) {
      await db().insertInto('vocational_profile').values({ ...owned(), person_id: person.personId, version: 1 }).execute();
    }
    for (const person of [jo, ian, wes, sam]) {
      await db().insertInto('benefits_session').values({ ...owned(), episode_id: person.episodeId, held_on: daysFromToday(-60), adviser: 'A' }).execute();
    }
    const acme = await employer('Acme');
    // Jo: employer contacts on her behalf 12 and 5 days ago (a future-dated one is not "last"): job search, 5 days.
    await employerContact(colleague.id, acme, daysFromToday(-12), 'phone', [jo.episodeId]);
    await employerContact(colleague.id, acme, daysFromToday(-5), 'email', [jo.episodeId]);
    await employerContact(colleague.id, acme, daysFromToday(3), 'email', [jo.episodeId]);
    await db().insertInto('job_search_activity').values({ ...owned(), episode_id: ian.episodeId, kind: 'interview', occurred_on: daysFromToday(-10) }).execute();
    await job(wes.episodeId, acme, daysFromToday(-10), daysFromToday(-10));
    await job(sam.episodeId, acme, daysFromToday(-40), daysFromToday(-40));

    // Face-to-face employer contacts by the worker: two this week count; a phone call this week, one last week
    // and a colleague's this week do not.
    const monday = -daysSinceMonday();
    await employerContact(worker.userId, acme, daysFromToday(monday), 'face_to_face');
    await employerContact(worker.userId, acme, daysFromToday(0), 'face_to_face', [sam.episodeId]);
    await employerContact(worker.userId, acme, daysFromToday(0), 'phone');
    await employerContact(worker.userId, acme, daysFromToday(monday - 1), 'face_to_face');
    await employerContact(colleague.id, acme, daysFromToday(0), 'face_to_face');

    const before = await db().selectFrom('audit_event').select('id').where('action', '=', 'employment-board.viewed').execute();
    const response = await worker.browser.get('/employment-board');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h1 class="govuk-heading-l">My employment board<\/h1>/);
    assert.deepEqual(episodesIn(response.body, 'profile'), [pat.episodeId]);
    assert.deepEqual(episodesIn(response.body, 'benefits_counselling'), [bea.episodeId]);
    assert.deepEqual(episodesIn(response.body, 'job_search'), [jo.episodeId]);
    assert.deepEqual(episodesIn(response.body, 'interviewing'), [ian.episodeId]);
    assert.deepEqual(episodesIn(response.body, 'in_work'), [wes.episodeId]);
    assert.deepEqual(episodesIn(response.body, 'in_work_support'), [sam.episodeId]);
    assert.ok(!response.body.includes(eddie.episodeId), 'an exited episode is not on the board');
    assert.ok(!response.body.includes(notMine.episodeId), "a colleague's caseload is not on my board");
    assert.match(response.body, new RegExp(`href="/episodes/${jo.episodeId}">Jo Boardtest</a>`));
    assert.match(response.body, new RegExp(`id="episode-${jo.episodeId}"[\\s\\S]*?data-days-since-employer-contact="5">5<`));
    assert.match(response.body, new RegExp(`id="episode-${sam.episodeId}"[\\s\\S]*?data-days-since-employer-contact="0">0<`));
    assert.match(response.body, new RegExp(`id="episode-${pat.episodeId}"[\\s\\S]*?data-days-since-employer-contact="none">none yet<`));
    assert.match(response.body, /id="caseload-size" data-caseload="6">\s*6 open cases; the standard is 20 or fewer per specialist/);
    assert.match(response.body, /id="face-to-face-week" data-face-to-face="2">\s*2 of the standard 6/);
    assert.match(response.body, /<caption class="govuk-table__caption govuk-table__caption--m">In work \(1\)<\/caption>/);
    assert.match(response.body, /<th scope="col" class="govuk-table__header govuk-table__header--numeric">Days since last employer contact on their behalf<\/th>/);

    const audits = await db().selectFrom('audit_event').selectAll().where('action', '=', 'employment-board.viewed').execute();
    assert.equal(audits.length, before.length + 1, 'one audit row per page view');
    const audit = audits.find((row) => !before.some((old) => old.id === row.id));
    assert.equal(audit?.actor_user_id, worker.userId);
    assert.equal(audit?.subject_id, worker.userId);
    assert.deepEqual(audit?.detail, { scope: 'worker', people: 6 });
    assert.ok(!JSON.stringify(audit).includes('Boardtest'), 'the audit row lists no names');
  });

  test("a manager chooses a worker's board or the whole organisation's, and the choice stays in the links", async () => {
    const manager = await t.signedIn(org.id, 'manager');
    const worker = await t.user(org.id, 'practitioner');
    const other = await t.user(org.id, 'practitioner');
    const hers = await personWithEpisode(t, org.id, { givenName: 'Hera', familyName: 'Chosen', keyWorkerId: worker.id });
    const his = await personWithEpisode(t, org.id, { givenName: 'Hal', familyName: 'Elsewhere', keyWorkerId: other.id });

    const own = await manager.browser.get('/employment-board');
    assert.equal(own.statusCode, 200);
    assert.ok(!own.body.includes(hers.episodeId), "the manager's own board holds only their own caseload");
    assert.match(own.body, new RegExp(`href="/employment-board\\?worker=${worker.id}"`), 'each worker links to their board');

    const chosen = await manager.browser.get(`/employment-board?worker=${worker.id}`);
    assert.equal(chosen.statusCode, 200);
    assert.deepEqual(episodesIn(chosen.body, 'profile'), [hers.episodeId]);
    assert.ok(!chosen.body.includes(his.episodeId));
    assert.match(chosen.body, /id="caseload-size" data-caseload="1">/);
    assert.match(chosen.body, new RegExp(`<option value="${worker.id}" selected>`), 'the select keeps the choice');

    for (const url of ['/employment-board?scope=team', '/employment-board?worker=team']) {
      const everyone = await manager.browser.get(url);
      assert.equal(everyone.statusCode, 200);
      assert.match(everyone.body, /Employment board: everyone/);
      const profiles = episodesIn(everyone.body, 'profile');
      assert.ok(profiles.includes(hers.episodeId) && profiles.includes(his.episodeId));
      assert.match(everyone.body, /<option value="team" selected>/);
      assert.match(everyone.body, new RegExp(`id="worker-${worker.id}"[\\s\\S]*?data-caseload="1"`));
    }
    const audit = await t.deps.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'employment-board.viewed')
      .where('subject_id', '=', org.id)
      .execute();
    assert.equal(audit.length, 2);
    assert.deepEqual(audit[0].detail, { scope: 'organisation', people: (audit[0].detail as { people: number }).people });

    const foreigner = await t.user(otherOrg.id, 'practitioner');
    assert.equal((await manager.browser.get(`/employment-board?worker=${foreigner.id}`)).statusCode, 404);
    assert.equal((await manager.browser.get('/employment-board?worker=not-a-uuid')).statusCode, 404);
  });

  test("a practitioner may not choose anyone else's board, and a commissioner sees none", async () => {
    const worker = await t.signedIn(org.id, 'practitioner');
    const colleague = await t.user(org.id, 'practitioner');
    assert.equal((await worker.browser.get('/employment-board?scope=team')).statusCode, 403);
    assert.equal((await worker.browser.get(`/employment-board?worker=${colleague.id}`)).statusCode, 403);
    const ownById = await worker.browser.get(`/employment-board?worker=${worker.userId}`);
    assert.equal(ownById.statusCode, 200);
    assert.ok(!ownById.body.includes('name="worker"'), 'no choice of worker without caseload:view-team');
    const commissioner = await t.signedIn(org.id, 'commissioner');
    assert.equal((await commissioner.browser.get('/employment-board')).statusCode, 403);
  });
});
