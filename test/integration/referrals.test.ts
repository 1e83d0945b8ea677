import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`referrals (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let practitioner: { browser: Browser; userId: string };
  let counter = 0;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Referrals Org');
    practitioner = await t.signedIn(org.id, 'practitioner');
  });
  after(() => t.close());

  async function newPerson(organisationId = org.id) {
    counter += 1;
    const row = await t.deps.db
      .insertInto('person')
      .values({ organisation_id: organisationId, given_name: 'Ria', family_name: `Referred${counter}`, date_of_birth: '1988-04-02' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const countRows = async (table: 'episode' | 'referral' | 'allocation' | 'referral_draft' | 'person', personId?: string) => {
    let query = t.deps.db.selectFrom(table as 'episode').select((eb) => eb.fn.countAll<number>().as('n'));
    if (personId && table === 'episode') query = query.where('person_id', '=', personId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };
  const auditRows = (action: string, subjectId?: string) => {
    let query = t.deps.db.selectFrom('audit_event').selectAll().where('action', '=', action);
    if (subjectId) query = query.where('subject_id', '=', subjectId);
    return query.execute();
  };

  const source = { sourceCode: 'probation', referringOrganisation: 'Probation North', referrerName: 'Pat Officer', referrerContact: '0161 000 0000' };
  const details = { 'receivedOn-day': '3', 'receivedOn-month': '2', 'receivedOn-year': '2026', reason: 'Wants help finding work' };
  const agreement = { personKnows: 'yes', personAgrees: 'yes', confirmedBy: 'Pat Officer', 'confirmedOn-day': '4', 'confirmedOn-month': '2', 'confirmedOn-year': '2026' };

  async function fillAll(browser: Browser, personId: string) {
    const base = `/people/${personId}/referrals/new`;
    assert.equal((await browser.submit(`${base}/source`, `${base}/source`, source)).headers.location, base);
    assert.equal((await browser.submit(`${base}/details`, `${base}/details`, details)).headers.location, base);
    const last = await browser.submit(`${base}/agreement`, `${base}/agreement`, agreement);
    assert.equal(last.headers.location, `${base}/check`, 'the last section goes on to check your answers');
    return base;
  }

  test('task list → sections → check your answers → confirmation creates one episode, referral, allocation and audit row', async () => {
    const personId = await newPerson();
    const base = `/people/${personId}/referrals/new`;
    const list = await practitioner.browser.get(base);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Referral source/);
    assert.match(list.body, /The person’s agreement/);
    assert.equal((list.body.match(/Incomplete/g) ?? []).length, 3);

    const before = { episodes: await countRows('episode'), referrals: await countRows('referral'), allocations: await countRows('allocation') };
    await fillAll(practitioner.browser, personId);
    assert.equal(await countRows('episode'), before.episodes, 'a draft is not an episode');
    assert.equal(await countRows('referral'), before.referrals, 'a draft is not a referral');

    const check = await practitioner.browser.get(`${base}/check`);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Probation North/);
    assert.match(check.body, /3 February 2026/);
    assert.match(check.body, new RegExp(`href="${base}/details"`), 'each answer has a change link');

    const changed = await practitioner.browser.get(`${base}/details`);
    assert.match(changed.body, /Wants help finding work/, 'a change link opens the section with its saved answers');

    const sent = await practitioner.browser.submit(`${base}/check`, `${base}/check`, {});
    assert.equal(sent.statusCode, 302);
    const episodeId = /\/episodes\/([0-9a-f-]{36})\/referral-sent/.exec(sent.headers.location as string)?.[1] as string;
    assert.ok(episodeId);
    const confirmation = await practitioner.browser.get(sent.headers.location as string);
    assert.match(confirmation.body, /govuk-panel/);
    assert.match(confirmation.body, /Referral recorded/);

    assert.equal(await countRows('episode'), before.episodes + 1);
    assert.equal(await countRows('referral'), before.referrals + 1);
    assert.equal(await countRows('allocation'), before.allocations + 1);
    const episode = await t.deps.db.selectFrom('episode').selectAll().where('id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(episode.referred_on, '2026-02-03');
    assert.equal(episode.key_worker_id, practitioner.userId);
    assert.equal(episode.stage, 'referred');
    const referral = await t.deps.db.selectFrom('referral').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(referral.status, 'pending');
    assert.equal(referral.source_code, 'probation');
    assert.equal(referral.person_agrees, true);
    assert.equal(referral.agreement_confirmed_on, '2026-02-04');
    assert.equal(referral.created_by, practitioner.userId);
    const allocation = await t.deps.db.selectFrom('allocation').selectAll().where('episode_id', '=', episodeId).execute();
    assert.equal(allocation.length, 1);
    assert.equal(allocation[0].worker_id, practitioner.userId);
    assert.equal((await auditRows('referral.created', episodeId)).length, 1);
    const drafts = await t.deps.db.selectFrom('referral_draft').selectAll().where('person_id', '=', personId).execute();
    assert.equal(drafts.length, 0, 'the draft is gone once submitted');
  });

  test('submitting with sections missing is refused with an error per section, and creates nothing', async () => {
    const personId = await newPerson();
    const base = `/people/${personId}/referrals/new`;
    await practitioner.browser.submit(`${base}/source`, `${base}/source`, source);
    const episodes = await countRows('episode');
    const response = await practitioner.browser.submit(base, `${base}/check`, {});
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /Complete “Referral details”/);
    assert.match(response.body, /Complete “The person’s agreement”/);
    assert.doesNotMatch(response.body, /Complete “Referral source”/);
    assert.equal(await countRows('episode'), episodes);
  });

  test('each section shows its errors: no source, a date received in the future, a missing agreement answer', async () => {
    const personId = await newPerson();
    const base = `/people/${personId}/referrals/new`;
    const noSource = await practitioner.browser.submit(`${base}/source`, `${base}/source`, { sourceCode: '' });
    assert.equal(noSource.statusCode, 400);
    assert.match(noSource.body, /Select who referred the person/);
    const unknown = await practitioner.browser.submit(`${base}/source`, `${base}/source`, { sourceCode: 'made_up' });
    assert.match(unknown.body, /Select a referral source from the list/);

    const nextYear = String(new Date().getFullYear() + 1);
    const future = await practitioner.browser.submit(`${base}/details`, `${base}/details`, { ...details, 'receivedOn-year': nextYear });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /Date received must be today or in the past/);
    const unreal = await practitioner.browser.submit(`${base}/details`, `${base}/details`, { ...details, 'receivedOn-day': '31', 'receivedOn-month': '2' });
    assert.match(unreal.body, /Date received must be a real date/);
    const noReason = await practitioner.browser.submit(`${base}/details`, `${base}/details`, { ...details, reason: ' ' });
    assert.match(noReason.body, /Enter the reason for the referral/);

    const noAnswer = await practitioner.browser.submit(`${base}/agreement`, `${base}/agreement`, { ...agreement, personAgrees: '' });
    assert.equal(noAnswer.statusCode, 400);
    assert.match(noAnswer.body, /Select yes if the person agrees to the referral/);
    const draft = await t.deps.db.selectFrom('referral_draft').selectAll().where('person_id', '=', personId).execute();
    assert.equal(draft.length, 0, 'an invalid section saves nothing');
  });

  test('a person with an open episode cannot get a second one; after exit a new referral opens a new episode', async () => {
    const personId = await newPerson();
    const base = await fillAll(practitioner.browser, personId);
    const first = await practitioner.browser.submit(`${base}/check`, `${base}/check`, {});
    assert.equal(first.statusCode, 302);
    const firstId = /\/episodes\/([0-9a-f-]{36})\//.exec(first.headers.location as string)?.[1] as string;

    await fillAll(practitioner.browser, personId);
    const second = await practitioner.browser.submit(`${base}/check`, `${base}/check`, {});
    assert.equal(second.statusCode, 400);
    assert.match(second.body, /already has an open episode of support/);
    assert.equal(await countRows('episode', personId), 1);

    await t.deps.db.updateTable('episode').set({ exited_on: '2026-02-10', exit_reason_code: 'disengaged' }).where('id', '=', firstId).execute();
    const third = await practitioner.browser.submit(`${base}/check`, `${base}/check`, {});
    assert.equal(third.statusCode, 302, 'a person who comes back gets a new episode');
    assert.equal(await countRows('episode', personId), 2, 'and their history stays');
  });

  test('another organisation’s person and a malformed id are not found in the journey', async () => {
    const otherOrg = await t.organisation('Other Referrals Org');
    const theirs = await newPerson(otherOrg.id);
    assert.equal((await practitioner.browser.get(`/people/${theirs}/referrals/new`)).statusCode, 404);
    assert.equal((await practitioner.browser.get('/people/not-a-uuid/referrals/new/source')).statusCode, 404);
    const response = await practitioner.browser.request({ method: 'POST', url: `/people/${theirs}/referrals/new/source`, form: { _csrf: await practitioner.browser.csrfFrom('/referrals/pending'), ...source } });
    assert.equal(response.statusCode, 404);
    assert.equal((await t.deps.db.selectFrom('referral_draft').selectAll().where('person_id', '=', theirs).execute()).length, 0);
  });

  test('peer advisor intake creates a person and a pending referral they then cannot see', async () => {
    const peer = await t.signedIn(org.id, 'peer_advisor');
    const people = await countRows('person');
    const bad = await peer.browser.submit('/intake', '/intake', { givenName: '', familyName: 'X', prisonCode: '', helpWith: '', agreesToContact: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Select the prison they are in/);
    assert.match(bad.body, /Enter what they would like help with/);
    assert.equal(await countRows('person'), people, 'nothing written on bad input');

    const prison = (await t.deps.db.selectFrom('reference_item').select('code').where('list_code', '=', 'prison').executeTakeFirstOrThrow()).code;
    const sent = await peer.browser.submit('/intake', '/intake', {
      givenName: 'Pete',
      familyName: 'Intake',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '5',
      'dateOfBirth-year': '1990',
      prisonNumber: 'a1234bc',
      prisonCode: prison,
      helpWith: 'Getting a CSCS card',
      agreesToContact: 'yes',
    });
    assert.equal(sent.statusCode, 302);
    assert.equal(sent.headers.location, '/intake?sent=1');
    assert.match((await peer.browser.get('/intake?sent=1')).body, /Referral sent/);

    const person = await t.deps.db.selectFrom('person').selectAll().where('family_name', '=', 'Intake').executeTakeFirstOrThrow();
    assert.equal(person.prison_number, 'A1234BC');
    const episode = await t.deps.db.selectFrom('episode').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    const referral = await t.deps.db.selectFrom('referral').selectAll().where('episode_id', '=', episode.id).executeTakeFirstOrThrow();
    assert.equal(referral.status, 'pending');
    assert.equal(referral.created_by_peer_advisor, true);
    assert.match(referral.reason ?? '', /Getting a CSCS card/);
    assert.equal(episode.key_worker_id, null);
    assert.equal((await auditRows('referral.created', episode.id)).length, 1);
    assert.equal((await auditRows('person.created', person.id)).length, 1);

    assert.equal((await peer.browser.get('/people')).statusCode, 403);
    assert.equal((await peer.browser.get(`/episodes/${episode.id}`)).statusCode, 403);
    assert.equal((await peer.browser.get('/referrals/pending')).statusCode, 403);

    const pending = await practitioner.browser.get('/referrals/pending?from=peer');
    assert.equal(pending.statusCode, 200);
    assert.match(pending.body, /Pete Intake/);
    assert.match(pending.body, /Peer advisor intake/);
    assert.match(pending.body, /name="from" type="checkbox" value="peer" checked/);

    // A practitioner completes it: accepting makes them the key worker.
    const accept = await practitioner.browser.submit(`/episodes/${episode.id}`, `/episodes/${episode.id}/accept`, { version: String(referral.version) });
    assert.equal(accept.statusCode, 302);
    const accepted = await t.deps.db.selectFrom('episode').selectAll().where('id', '=', episode.id).executeTakeFirstOrThrow();
    assert.equal(accepted.key_worker_id, practitioner.userId);
    assert.doesNotMatch((await practitioner.browser.get('/referrals/pending?from=peer')).body, /Pete Intake/);
  });

  test('API: create with a new person, then read the episode and the person’s episodes', async () => {
    const token = await apiTokenFor(t, org.id, 'practitioner');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers,
      payload: { person: { givenName: 'Api', familyName: 'Person', dateOfBirth: '1991-03-03' }, receivedOn: '2026-01-20', sourceCode: 'probation', reason: 'Work' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json();
    assert.equal(body.status, 'pending');
    const episode = await t.app.inject({ method: 'GET', url: `/api/v1/episodes/${body.episodeId}`, headers });
    assert.equal(episode.statusCode, 200);
    assert.equal(episode.json().stage, 'referred');
    assert.equal(episode.json().stageDates.referred, '2026-01-20');
    assert.equal(episode.json().referralStatus, 'pending');
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/people/${body.personId}/episodes`, headers });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().items.length, 1);

    const again = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers, payload: { personId: body.personId, receivedOn: '2026-01-21' } });
    assert.equal(again.statusCode, 400, 'a second open episode is refused on the API too');
    assert.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('API: bad or unknown fields give 400 problem+json and write nothing', async () => {
    const token = await apiTokenFor(t, org.id, 'practitioner');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const counts = async () => ({ people: await countRows('person'), episodes: await countRows('episode'), referrals: await countRows('referral') });
    const before = await counts();
    const nextYear = new Date().getFullYear() + 1;
    const cases: Array<[unknown, RegExp]> = [
      [{ person: { givenName: 'A', familyName: 'B' }, receivedOn: '2026-01-01', surprise: true }, /unknown field \\"surprise\\"/],
      [{ person: { givenName: 'A', familyName: 'B', shoeSize: 9 }, receivedOn: '2026-01-01' }, /unknown field \\"shoeSize\\"/],
      [{ person: { givenName: 'A', familyName: 'B' }, receivedOn: 'yesterday' }, /receivedOn/],
      [{ person: { givenName: 'A', familyName: 'B' }, receivedOn: `${nextYear}-01-01` }, /today or in the past/],
      [{ person: { givenName: 'A', familyName: 'B' }, receivedOn: '2026-01-01', sourceCode: 'nope' }, /not on the referral source list/],
      [{ person: { givenName: 'A', familyName: 'B', prisonNumber: '123' }, receivedOn: '2026-01-01' }, /person\/prisonNumber/],
      [{ receivedOn: '2026-01-01' }, /either personId or person/],
      [{ personId: '00000000-0000-7000-8000-000000000000', receivedOn: '2026-01-01' }, /No person with this id/],
    ];
    for (const [payload, expected] of cases) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers, payload: payload as object });
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(response.body, expected);
    }
    assert.deepEqual(await counts(), before);
    const commissioner = await apiTokenFor(t, org.id, 'commissioner');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { ...headers, authorization: `Bearer ${commissioner}` },
      payload: { person: { givenName: 'A', familyName: 'B' }, receivedOn: '2026-01-01' },
    });
    assert.equal(refused.statusCode, 403);
  });
});
