import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';
import { dateFields, shift, today } from '../support/dates.ts';


describe(`benefits (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string };
  let otherOrg: { id: string };
  let worker: { browser: Browser; userId: string };
  let token: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Benefits Org');
    otherOrg = await t.organisation('Other Benefits Org');
    worker = await t.signedIn(org.id, 'practitioner');
    token = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  const claimsOf = (personId: string) => t.deps.db.selectFrom('benefit_claim').selectAll().where('person_id', '=', personId).execute();
  const sessionsOf = (episodeId: string) => t.deps.db.selectFrom('benefits_session').selectAll().where('episode_id', '=', episodeId).execute();
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: payload as Record<string, unknown> });

  test('a claim is recorded against the person, shown as current, then ended after confirming', async () => {
    const { personId, episodeId } = await personWithEpisode(t, org.id, { givenName: 'Cora', familyName: 'Claimant' });
    const newUrl = `/episodes/${episodeId}/benefits/claims/new`;
    const saved = await worker.browser.submit(newUrl, newUrl, { benefit: 'universal_credit', ...dateFields('startedOn', '2026-01-05'), housing: 'yes', note: 'Paid monthly' });
    assert.equal(saved.statusCode, 302);
    assert.equal(saved.headers.location, `/episodes/${episodeId}/benefits?done=claim`);
    const [claim] = await claimsOf(personId);
    assert.equal(claim.benefit_code, 'universal_credit');
    assert.equal(claim.includes_housing_costs, true);

    const page = await worker.browser.get(`/episodes/${episodeId}/benefits?done=claim`);
    assert.match(page.body, /Benefit recorded/);
    assert.match(page.body, /id="current-benefits"[\s\S]*Universal Credit[\s\S]*5 January 2026/);
    assert.match(page.body, /No benefits-counselling session in the last 30 days/);

    const endUrl = `/episodes/${episodeId}/benefits/claims/${claim.id}/end`;
    const unconfirmed = await worker.browser.submit(endUrl, endUrl, { ...dateFields('endedOn', '2026-01-31') });
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /Confirm that this claim has ended/);
    const beforeStart = await worker.browser.submit(endUrl, endUrl, { ...dateFields('endedOn', '2026-01-01'), confirm: 'yes' });
    assert.equal(beforeStart.statusCode, 400);
    assert.match(beforeStart.body, /must be on or after the date it started/);
    assert.equal((await claimsOf(personId))[0].ended_on, null);

    const ended = await worker.browser.submit(endUrl, endUrl, { ...dateFields('endedOn', '2026-01-31'), confirm: 'yes' });
    assert.equal(ended.statusCode, 302);
    assert.equal((await claimsOf(personId))[0].ended_on, '2026-01-31');
    const after = await worker.browser.get(`/episodes/${episodeId}/benefits`);
    assert.match(after.body, /id="past-benefits"[\s\S]*Universal Credit[\s\S]*31 January 2026/);
    assert.match(after.body, /No current benefits recorded/);
  });

  test('an unknown benefit code and an impossible date are refused, and nothing is stored', async () => {
    const { personId, episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/benefits/claims/new`;
    const unknown = await worker.browser.submit(url, url, { benefit: 'lottery_win', ...dateFields('startedOn', '2026-01-05') });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Select a benefit from the list/);
    const impossible = await worker.browser.submit(url, url, { benefit: 'esa', 'startedOn-day': '31', 'startedOn-month': '2', 'startedOn-year': '2026' });
    assert.equal(impossible.statusCode, 400);
    assert.match(impossible.body, /The date the claim started must be a real date/);
    assert.equal((await claimsOf(personId)).length, 0);
  });

  test('a claim of another person or organisation is not found from this episode', async () => {
    const mine = await personWithEpisode(t, org.id);
    const someoneElse = await personWithEpisode(t, org.id);
    const elsewhere = await personWithEpisode(t, otherOrg.id);
    const insert = (organisationId: string, personId: string) =>
      t.deps.db.insertInto('benefit_claim').values({ organisation_id: organisationId, person_id: personId, benefit_code: 'pip' }).returning('id').executeTakeFirstOrThrow();
    const otherPersonsClaim = await insert(org.id, someoneElse.personId);
    const otherOrgsClaim = await insert(otherOrg.id, elsewhere.personId);
    for (const claimId of [otherPersonsClaim.id, otherOrgsClaim.id, 'not-a-uuid']) {
      const page = await worker.browser.get(`/episodes/${mine.episodeId}/benefits/claims/${claimId}/end`);
      assert.equal(page.statusCode, 404, claimId);
    }
    const csrfPage = `/episodes/${mine.episodeId}/benefits/claims/new`;
    const posted = await worker.browser.submit(csrfPage, `/episodes/${mine.episodeId}/benefits/claims/${otherPersonsClaim.id}/end`, { ...dateFields('endedOn', '2026-01-31'), confirm: 'yes' });
    assert.equal(posted.statusCode, 404);
    const row = await t.deps.db.selectFrom('benefit_claim').select('ended_on').where('id', '=', otherPersonsClaim.id).executeTakeFirstOrThrow();
    assert.equal(row.ended_on, null);
    assert.equal((await worker.browser.get(`/episodes/${elsewhere.episodeId}/benefits`)).statusCode, 404);
  });

  test('a session needs an adviser and a date not in the future; a recent one clears the warning', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/benefits/sessions/new`;
    const future = await worker.browser.submit(url, url, { ...dateFields('heldOn', shift(today(), 1)), adviser: 'Ada Adviser' });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The date of the session must be today or in the past/);
    const noAdviser = await worker.browser.submit(url, url, { ...dateFields('heldOn', today()), adviser: ' ' });
    assert.equal(noAdviser.statusCode, 400);
    assert.match(noAdviser.body, /Enter the name of the adviser/);
    assert.equal((await sessionsOf(episodeId)).length, 0);

    await worker.browser.submit(url, url, { ...dateFields('heldOn', shift(today(), -40)), adviser: 'Old Adviser', note: 'First look' });
    const stillWarned = await worker.browser.get(`/episodes/${episodeId}/benefits`);
    assert.match(stillWarned.body, /No benefits-counselling session in the last 30 days/);
    const saved = await worker.browser.submit(url, url, { ...dateFields('heldOn', shift(today(), -3)), adviser: 'Ada Adviser', note: 'Went through UC' });
    assert.equal(saved.headers.location, `/episodes/${episodeId}/benefits?done=session`);
    const page = await worker.browser.get(`/episodes/${episodeId}/benefits`);
    assert.doesNotMatch(page.body, /No benefits-counselling session in the last 30 days/);
    assert.ok(page.body.indexOf('Ada Adviser') < page.body.indexOf('Old Adviser'), 'newest first');
    const audits = await t.deps.db.selectFrom('audit_event').select('action').where('subject_id', '=', episodeId).execute();
    assert.ok(audits.some((row) => row.action === 'benefits.session-recorded'));
    assert.ok(audits.some((row) => row.action === 'benefits.viewed'));
  });

  test('the calculator shows the result with the rates used, and saves it with a session', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/benefits/calculator`;
    const fields = { hours: '20', pay: '12.21', benefits: ['esa', 'uc'], housing: 'no', award: '800', ...dateFields('startsOn', '2025-06-02') };
    const result = await worker.browser.submit(url, url, fields);
    assert.equal(result.statusCode, 200);
    // 20 × £12.21 = £244.20 a week; × 52 ÷ 12 = £1,058.20; (£1,058.20 − £684) × 0.55 = £205.81; £800 − £205.81 = £594.19;
    // in work £1,058.20 + £594.19 = £1,652.39 against £800: better off by £852.39.
    assert.match(result.body, /£1,058.20/);
    assert.match(result.body, /£205.81 a month/);
    assert.match(result.body, /Better off by £852.39 a month/);
    assert.match(result.body, /Not allowed: 20 hours a week is not under the limit of 16 hours; and weekly earnings of £244.20 are over the permitted work limit of £195.50/);
    assert.match(result.body, /Tax year 2025-26[\s\S]*DWP benefit and pension rates 2025 to 2026/);
    assert.match(result.body, /treated as gross pay/);

    const save = await worker.browser.submit(url, `${url}/save`, { ...fields, ...dateFields('heldOn', today()), adviser: 'Calc Adviser', note: '' });
    assert.equal(save.statusCode, 302);
    const [session] = await sessionsOf(episodeId);
    assert.equal(session.adviser, 'Calc Adviser');
    const calculation = session.calculation as { summary: string; rates: { taxYear: string } };
    assert.equal(calculation.rates.taxYear, '2025-26');
    const page = await worker.browser.get(`/episodes/${episodeId}/benefits`);
    assert.match(page.body, /better off by £852.39 a month on Universal Credit/);
  });

  test('the calculator refuses absurd hours, negative pay and a start date with no rates, without a crash', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const url = `/episodes/${episodeId}/benefits/calculator`;
    const bad = await worker.browser.submit(url, url, { hours: '0', pay: '-3', benefits: 'uc', ...dateFields('startsOn', '2025-06-02') });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Hours a week must be a number more than 0 and no more than 100/);
    assert.match(bad.body, /Hourly pay must be an amount in pounds from £0/);
    const tooMany = await worker.browser.submit(url, url, { hours: '101', pay: '12', benefits: 'uc', ...dateFields('startsOn', '2025-06-02') });
    assert.equal(tooMany.statusCode, 400);
    const noRates = await worker.browser.submit(url, url, { hours: '20', pay: '12.21', benefits: 'uc', ...dateFields('startsOn', '2031-05-01') });
    assert.equal(noRates.statusCode, 400);
    assert.match(noRates.body, /No benefit rates are recorded for the 2031-32 tax year/);
    const saveNoRates = await worker.browser.submit(url, `${url}/save`, { hours: '20', pay: '12.21', benefits: 'uc', ...dateFields('startsOn', '2031-05-01'), ...dateFields('heldOn', today()), adviser: 'A' });
    assert.equal(saveNoRates.statusCode, 400);
    assert.equal((await sessionsOf(episodeId)).length, 0);
  });

  test('the API lists claims and sessions, records a session with a calculation, and computes without saving', async () => {
    const { personId, episodeId } = await personWithEpisode(t, org.id);
    await t.deps.db.insertInto('benefit_claim').values({ organisation_id: org.id, person_id: personId, benefit_code: 'esa', started_on: '2025-01-01' }).execute();
    const created = await api('POST', `/api/v1/episodes/${episodeId}/benefits-sessions`, {
      heldOn: today(),
      adviser: 'API Adviser',
      calculation: { hoursPerWeek: 15, hourlyPay: 12.21, onEsa: true, onUniversalCredit: false, startsOn: '2025-06-02' },
    });
    assert.equal(created.statusCode, 201);
    const listed = await api('GET', `/api/v1/episodes/${episodeId}/benefits`);
    assert.equal(listed.statusCode, 200);
    const body = listed.json();
    assert.equal(body.claims[0].benefit, 'esa');
    assert.equal(body.claims[0].current, true);
    assert.equal(body.sessions[0].adviser, 'API Adviser');
    // 15 × £12.21 = £183.15 ≤ £195.50 and 15 < 16: permitted work allowed.
    assert.equal(body.sessions[0].calculation.esa.allowed, true);
    assert.equal(body.counselledInLast30Days, true);

    const future = await api('POST', `/api/v1/episodes/${episodeId}/benefits-sessions`, { heldOn: shift(today(), 2), adviser: 'X' });
    assert.equal(future.statusCode, 400);
    const impossible = await api('POST', `/api/v1/episodes/${episodeId}/benefits-sessions`, { heldOn: '2026-02-30', adviser: 'X' });
    assert.equal(impossible.statusCode, 400);
    assert.equal((await sessionsOf(episodeId)).length, 1);

    const computed = await api('POST', '/api/v1/better-off-calculations', { hoursPerWeek: 16, hourlyPay: 12.21, onEsa: true, onUniversalCredit: false, startsOn: '2025-06-02' });
    assert.equal(computed.statusCode, 200);
    const result = computed.json();
    assert.equal(result.esa.allowed, false);
    assert.deepEqual(result.esa.failures, ['16 hours a week is not under the limit of 16 hours']);
    assert.equal(result.rates.esaPermittedWorkWeeklyLimit, 195.5);
    assert.equal(result.rates.source, 'DWP benefit and pension rates 2025 to 2026');
    const negative = await api('POST', '/api/v1/better-off-calculations', { hoursPerWeek: 20, hourlyPay: -1, onEsa: true, onUniversalCredit: false, startsOn: '2025-06-02' });
    assert.equal(negative.statusCode, 400);
    const noRates = await api('POST', '/api/v1/better-off-calculations', { hoursPerWeek: 20, hourlyPay: 12, onEsa: true, onUniversalCredit: false, startsOn: '2040-01-01' });
    assert.equal(noRates.statusCode, 400);
    assert.match(noRates.body, /2039-40 tax year/);
    const otherEpisode = await personWithEpisode(t, otherOrg.id);
    assert.equal((await api('GET', `/api/v1/episodes/${otherEpisode.episodeId}/benefits`)).statusCode, 404);
  });
});
