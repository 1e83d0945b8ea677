import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hasConsent } from '../../src/modules/consents/service.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';
import { dateFields, shift, today } from '../support/dates.ts';


describe(`consents (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string };
  let otherOrg: { id: string };
  let worker: { browser: Browser; userId: string };
  let token: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Consent Org');
    otherOrg = await t.organisation('Other Consent Org');
    worker = await t.signedIn(org.id, 'practitioner');
    token = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  const consentsOf = (personId: string) => t.deps.db.selectFrom('person_consent').selectAll().where('person_id', '=', personId).execute();
  const auditsOf = (personId: string) => t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', personId).orderBy('id').execute();
  const insertConsent = (organisationId: string, personId: string, values: { kind?: string; givenOn: string; withdrawnOn?: string }) =>
    t.deps.db
      .insertInto('person_consent')
      .values({
        organisation_id: organisationId,
        person_id: personId,
        kind_code: values.kind ?? 'share_with_employers',
        given_on: values.givenOn,
        withdrawn_on: values.withdrawnOn ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

  test('a consent is recorded, shown under its kind, then withdrawn after asking; the row is kept', async () => {
    const { personId } = await personWithEpisode(t, org.id, { givenName: 'Connie', familyName: 'Consenting' });
    const person = await worker.browser.get(`/people/${personId}`);
    assert.match(person.body, new RegExp(`href="/people/${personId}/consents"`), 'the person page links to consents');

    const newUrl = `/people/${personId}/consents/new`;
    const saved = await worker.browser.submit(newUrl, newUrl, { kind: 'share_with_probation', recipient: 'Leeds probation', ...dateFields('givenOn', '2026-01-05'), note: 'Signed form' });
    assert.equal(saved.statusCode, 302);
    assert.equal(saved.headers.location, `/people/${personId}/consents?done=recorded`);
    const [consent] = await consentsOf(personId);
    assert.equal(consent.kind_code, 'share_with_probation');
    assert.equal(consent.recipient, 'Leeds probation');
    assert.equal(consent.given_on, '2026-01-05');
    assert.equal(consent.recorded_by, worker.userId);

    const page = await worker.browser.get(`/people/${personId}/consents`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="consents-share_with_probation"[\s\S]*Leeds probation[\s\S]*Given/);
    assert.match(page.body, /id="kind-share_with_employers"[\s\S]*No consent recorded/);
    const viewed = (await auditsOf(personId)).filter((row) => row.action === 'person.viewed' && (row.detail as { via?: string }).via === 'consents');
    assert.equal(viewed.length, 1, 'viewing the consents page is audited as a view of the person');

    const withdrawUrl = `/people/${personId}/consents/${consent.id}/withdraw`;
    const ask = await worker.browser.get(withdrawUrl);
    assert.match(ask.body, /Withdraw consent\?/);
    assert.match(ask.body, /name="version" value="1"/);
    const done = await worker.browser.submit(withdrawUrl, withdrawUrl, { version: '1', ...dateFields('withdrawnOn', '2026-02-01'), note: 'Phoned to withdraw' });
    assert.equal(done.statusCode, 302);
    const [withdrawn] = await consentsOf(personId);
    assert.equal(withdrawn.withdrawn_on, '2026-02-01');
    assert.equal(withdrawn.withdrawal_note, 'Phoned to withdraw');
    assert.equal(withdrawn.withdrawn_by, worker.userId);
    assert.equal(withdrawn.version, 2);
    const afterPage = await worker.browser.get(`/people/${personId}/consents`);
    assert.match(afterPage.body, /Withdrawn 1 February 2026/);
    const actions = (await auditsOf(personId)).map((row) => row.action);
    assert.ok(actions.includes('person.consent-recorded'));
    assert.ok(actions.includes('person.consent-withdrawn'));

    const again = await worker.browser.submit(withdrawUrl, withdrawUrl, { version: '2', ...dateFields('withdrawnOn', '2026-02-02') });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /already been withdrawn/);
    const stale = await worker.browser.submit(withdrawUrl, withdrawUrl, { version: '1', ...dateFields('withdrawnOn', '2026-02-02') });
    assert.equal(stale.statusCode, 409);
    assert.equal((await consentsOf(personId))[0].withdrawn_on, '2026-02-01');
  });

  test('bad input is refused with a clear error and stores nothing', async () => {
    const { personId } = await personWithEpisode(t, org.id);
    const url = `/people/${personId}/consents/new`;
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ...dateFields('givenOn', '2026-01-05') }, /Select the kind of sharing/],
      [{ kind: 'share_with_the_press', ...dateFields('givenOn', '2026-01-05') }, /Select a kind of sharing from the list/],
      [{ kind: 'share_with_health', 'givenOn-day': '31', 'givenOn-month': '2', 'givenOn-year': '2026' }, /must be a real date/],
      [{ kind: 'share_with_health' }, /Enter the date consent was given/],
      [{ kind: 'share_with_health', ...dateFields('givenOn', shift(today(), 2)) }, /must be today or in the past/],
      [{ kind: 'share_with_health', ...dateFields('givenOn', '2026-01-05'), recipient: 'x'.repeat(201) }, /Recipient must be 200 characters or fewer/],
    ];
    for (const [fields, message] of cases) {
      const response = await worker.browser.submit(url, url, fields);
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(response.body, message);
      assert.match(response.body, /There is a problem/);
    }
    assert.equal((await consentsOf(personId)).length, 0);

    const { id } = await insertConsent(org.id, personId, { givenOn: '2026-01-10' });
    const withdrawUrl = `/people/${personId}/consents/${id}/withdraw`;
    const early = await worker.browser.submit(withdrawUrl, withdrawUrl, { version: '1', ...dateFields('withdrawnOn', '2026-01-09') });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /must be on or after the date it was given/);
    const blank = await worker.browser.submit(withdrawUrl, withdrawUrl, { version: '1' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /Enter the date consent was withdrawn/);
    assert.equal((await consentsOf(personId))[0].withdrawn_on, null);
  });

  test('another person’s or organisation’s consent is not found, and the API lists only this person’s', async () => {
    const mine = await personWithEpisode(t, org.id);
    const someoneElse = await personWithEpisode(t, org.id);
    const elsewhere = await personWithEpisode(t, otherOrg.id);
    const own = await insertConsent(org.id, mine.personId, { givenOn: '2026-01-05', kind: 'texts_and_email' });
    const othersConsent = await insertConsent(org.id, someoneElse.personId, { givenOn: '2026-01-05' });
    const otherOrgConsent = await insertConsent(otherOrg.id, elsewhere.personId, { givenOn: '2026-01-05' });
    for (const consentId of [othersConsent.id, otherOrgConsent.id, 'not-a-uuid']) {
      assert.equal((await worker.browser.get(`/people/${mine.personId}/consents/${consentId}/withdraw`)).statusCode, 404, consentId);
    }
    const csrfPage = `/people/${mine.personId}/consents/new`;
    const posted = await worker.browser.submit(csrfPage, `/people/${mine.personId}/consents/${othersConsent.id}/withdraw`, { version: '1', ...dateFields('withdrawnOn', '2026-01-31') });
    assert.equal(posted.statusCode, 404);
    assert.equal((await consentsOf(someoneElse.personId))[0].withdrawn_on, null);
    assert.equal((await worker.browser.get(`/people/${elsewhere.personId}/consents`)).statusCode, 404);

    const api = await t.app.inject({ method: 'GET', url: `/api/v1/people/${mine.personId}/consents`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 200);
    const body = api.json();
    assert.equal(body.personId, mine.personId);
    assert.deepEqual(
      body.consents.map((consent: { id: string; kind: string; current: boolean }) => [consent.id, consent.kind, consent.current]),
      [[own.id, 'texts_and_email', true]],
    );
    const otherOrgApi = await t.app.inject({ method: 'GET', url: `/api/v1/people/${elsewhere.personId}/consents`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(otherOrgApi.statusCode, 404);
    const commissioner = await apiTokenFor(t, org.id, 'commissioner');
    const refused = await t.app.inject({ method: 'GET', url: `/api/v1/people/${mine.personId}/consents`, headers: { authorization: `Bearer ${commissioner}` } });
    assert.equal(refused.statusCode, 403);
  });

  test('hasConsent: held from the day given until the day withdrawn, per kind, person and organisation', async () => {
    const db = t.deps.db;
    const { personId } = await personWithEpisode(t, org.id);
    const other = await personWithEpisode(t, org.id);
    const elsewhere = await personWithEpisode(t, otherOrg.id);
    await insertConsent(org.id, personId, { kind: 'share_with_employers', givenOn: '2026-01-10', withdrawnOn: '2026-03-01' });
    await insertConsent(org.id, personId, { kind: 'share_with_health', givenOn: '2026-01-10' });
    await insertConsent(otherOrg.id, elsewhere.personId, { kind: 'share_with_employers', givenOn: '2026-01-01' });

    assert.equal(await hasConsent(db, org.id, personId, 'share_with_employers', '2026-01-09'), false, 'before it was given');
    assert.equal(await hasConsent(db, org.id, personId, 'share_with_employers', '2026-01-10'), true, 'on the day given');
    assert.equal(await hasConsent(db, org.id, personId, 'share_with_employers', '2026-02-28'), true, 'the day before withdrawal');
    assert.equal(await hasConsent(db, org.id, personId, 'share_with_employers', '2026-03-01'), false, 'from the day withdrawn');
    assert.equal(await hasConsent(db, org.id, personId, 'share_with_health', '2030-01-01'), true, 'never withdrawn');
    assert.equal(await hasConsent(db, org.id, personId, 'share_with_family', '2026-02-01'), false, 'another kind');
    assert.equal(await hasConsent(db, org.id, other.personId, 'share_with_health', '2026-02-01'), false, 'another person');
    assert.equal(await hasConsent(db, org.id, elsewhere.personId, 'share_with_employers', '2026-02-01'), false, 'another organisation’s person');
    assert.equal(await hasConsent(db, otherOrg.id, personId, 'share_with_health', '2026-02-01'), false, 'asked from another organisation');
    assert.equal(await hasConsent(db, org.id, 'not-a-uuid', 'share_with_health', '2026-02-01'), false, 'a malformed id');
    assert.equal(await hasConsent(db, org.id, personId, 'share_with_health', 'tomorrow'), false, 'a malformed date');
  });
});
