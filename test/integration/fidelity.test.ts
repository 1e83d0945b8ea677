import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIDELITY_ITEMS } from '../../src/modules/fidelity/items.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, personWithEpisode } from '../support/journey.ts';

/**
 * A hand-made organisation whose computed fidelity items are worked out by
 * hand for a review on 30 June 2026: the 12 months from 1 July 2025. Episodes
 * A, B and C were referred in those 12 months; D before them (open, so it
 * counts in the caseload and its contacts in the period count, but not its
 * job); F's referral was declined; G was referred after the review date.
 */
const REVIEW_ON = { day: '30', month: '6', year: '2026' };
const FORM_FOR_DATE = '/fidelity-reviews/new?on-day=30&on-month=6&on-year=2026';

/** Every input tag for an item's score radios, by value. */
function scoreInputs(html: string, code: string): Map<string, string> {
  const inputs = html.match(new RegExp(`<input[^>]*name="score-${code}"[^>]*>`, 'g')) ?? [];
  return new Map(inputs.map((input) => [/value="(\d)"/.exec(input)?.[1] ?? '', input]));
}

/** The score the form pre-selected for an item, if any. */
function preselected(html: string, code: string): string | undefined {
  return [...scoreInputs(html, code)].find(([, input]) => /\schecked/.test(input))?.[0];
}

/** The inset text shown for an item (between its heading block and its radios). */
function figureText(html: string, code: string): string {
  const start = html.indexOf(`id="item-${code}"`);
  const end = html.indexOf(`name="score-${code}"`, start);
  return html.slice(start, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

/** A full review form: the date, the boxes, and every item at the score the page pre-selected or else `otherwise`. */
function reviewFields(page: string, overrides: Record<string, string> = {}, otherwise = '5'): Record<string, string> {
  const fields: Record<string, string> = {
    'reviewedOn-day': REVIEW_ON.day,
    'reviewedOn-month': REVIEW_ON.month,
    'reviewedOn-year': REVIEW_ON.year,
    reviewers: 'Sam Reviewer (IPS Grow), Alex Peer',
    serviceName: 'Gateway Employment',
    teamId: '',
  };
  for (const item of FIDELITY_ITEMS) fields[`score-${item.code}`] = preselected(page, item.code) ?? otherwise;
  return { ...fields, ...overrides };
}

describe(`IPS fidelity reviews (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let other: { id: string; teamId: string };
  let manager: Browser;
  let practitioner: Browser;
  let otherManager: Browser;
  let formPage: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Fidelity Org');
    other = await t.organisation('Fidelity Other');
    const db = t.deps.db;
    const owned = { organisation_id: org.id };
    const specialist = (await t.user(org.id, 'practitioner')).id;
    const employer = async (name: string) => (await db.insertInto('employer').values({ ...owned, name }).returning('id').executeTakeFirstOrThrow()).id;
    const e1 = await employer('One');
    const e2 = await employer('Two');
    const e3 = await employer('Three');
    const ep: Record<string, string> = {};
    for (const [key, referredOn] of Object.entries({ A: '2026-01-01', B: '2026-02-01', C: '2026-03-01', D: '2025-05-01', F: '2026-02-15', G: '2026-07-10' })) {
      ep[key] = (await personWithEpisode(t, org.id, { referredOn })).episodeId;
    }
    await db.updateTable('referral').set({ status: 'declined' }).where('episode_id', '=', ep.F).execute();

    // Item 1. Open on 30 June 2026: A, B, C, D (F declined, G not yet referred) = 4. The organisation-wide period
    // covering the date has 0.08 specialist FTE (the earlier 2.0 FTE period ended 31 March): 4 / 0.08 = 50 → score 3.
    await db
      .insertInto('cost_period')
      .values([
        { ...owned, starts_on: '2025-04-01', ends_on: '2026-03-31', staff_fte: 3, specialist_fte: 2 },
        { ...owned, starts_on: '2026-04-01', ends_on: '2027-03-31', staff_fte: 1, specialist_fte: 0.08 },
        { organisation_id: other.id, starts_on: '2026-04-01', ends_on: '2027-03-31', staff_fte: 9, specialist_fte: 9 },
      ])
      .execute();

    // Item 15. First face-to-face employer contact: A 21 Jan (20 days), B 12 Apr (70 days), C 15 May (75 days).
    // B's earlier phone contact does not count. Median 70 → score 3 (61 to 150). Of the 4 referred in the period
    // (F's declined referral is still a referral), 3 had one.
    // Item 17. The whole weeks of the period run from Monday 7 July 2025 to the week of Monday 22 June 2026: 51 weeks.
    // One specialist logged employer contacts, 3 of them face to face: 3 / 51 = 0.06 a week → score 1.
    const employerContact = async (on: string, method: string, purpose: string, episodeId: string) => {
      const row = await db
        .insertInto('employer_contact')
        .values({ ...owned, employer_id: e1, specialist_id: specialist, occurred_on: on, method_code: method, purpose_code: purpose })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('employer_contact_participant').values({ ...owned, employer_contact_id: row.id, episode_id: episodeId }).execute();
    };
    await employerContact('2026-01-21', 'face_to_face', 'presenting_candidate', ep.A);
    await employerContact('2026-02-03', 'phone', 'presenting_candidate', ep.B);
    await employerContact('2026-04-12', 'face_to_face', 'presenting_candidate', ep.B);
    await employerContact('2026-05-15', 'face_to_face', 'presenting_candidate', ep.C);
    await employerContact('2026-04-04', 'phone', 'in_work_support', ep.B);

    // Items 19 to 22. Counted starts of the cohort: A elementary at One (competitive), A skilled trades at Two (not
    // competitive), B elementary at One (competitive). D's start is outside the cohort (referred before the period).
    // 21: 2 of 3 competitive = 67% → score 2. 19: 1 of 3 outside the commonest type = 33% → score 1.
    // 20: 2 employers for 3 starts = 67% → score 3.
    const job = (episodeId: string, employerId: string, type: string, counted: string, competitive: boolean) => ({
      ...owned,
      episode_id: episodeId,
      employer_id: employerId,
      title: 'Job',
      job_type_code: type,
      starts_on: counted,
      counted_start_on: counted,
      hours_per_week: 16,
      hourly_pay: 13,
      permanent: true,
      open_to_anyone: true,
      competitive,
    });
    await db
      .insertInto('job')
      .values([
        job(ep.A, e1, 'elementary', '2026-03-02', true),
        job(ep.A, e2, 'skilled_trades', '2026-05-01', false),
        job(ep.B, e1, 'elementary', '2026-04-01', true),
        job(ep.D, e3, 'sales_customer_service', '2026-03-01', false),
      ])
      .execute();

    // Item 22. A's 2 March start: a contact with A on 4 March (followed). A's 1 May start: nothing within 3 days.
    // B's 1 April start: the in-work support employer contact on 4 April (followed). 2 of 3 = 67% → score 3.
    // Item 24. Attended face-to-face contacts with the person from 1 July 2025 to 30 June 2026: A 4 Mar community,
    // B 10 Feb prison, C 10 Mar probation office, C 10 Apr at an employer, D 10 May community = 3 of 5 = 60% → score 4.
    // Not counted: C's phone call, A's missed appointment, A's contact before the period.
    await contactFor(t, org.id, ep.A, { at: '2026-03-04T10:00:00Z', setting: 'community' });
    await contactFor(t, org.id, ep.B, { at: '2026-02-10T10:00:00Z', setting: 'prison' });
    await contactFor(t, org.id, ep.C, { at: '2026-03-10T10:00:00Z', setting: 'probation_office' });
    await contactFor(t, org.id, ep.C, { at: '2026-04-10T10:00:00Z', setting: 'employer' });
    await contactFor(t, org.id, ep.D, { at: '2026-05-10T10:00:00Z', setting: 'community' });
    await contactFor(t, org.id, ep.C, { at: '2026-04-11T10:00:00Z', setting: 'community', type: 'phone' });
    await contactFor(t, org.id, ep.A, { at: '2026-03-20T10:00:00Z', setting: 'community', attended: false });
    await contactFor(t, org.id, ep.A, { at: '2025-06-01T10:00:00Z', setting: 'community' });

    manager = (await t.signedIn(org.id, 'manager')).browser;
    practitioner = (await t.signedIn(org.id, 'practitioner')).browser;
    otherManager = (await t.signedIn(other.id, 'manager')).browser;
    const page = await manager.get(FORM_FOR_DATE);
    assert.equal(page.statusCode, 200);
    formPage = page.body;
  });
  after(() => t.close());

  const reviewCount = async (organisationId: string) =>
    Number((await t.deps.db.selectFrom('fidelity_review').select((eb) => eb.fn.countAll().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).n);

  test('the form pre-fills each computed item with its value, evidence and implied score, worked out by hand', () => {
    const expected: Record<string, { value: string; score: string; evidence?: string }> = {
      caseload_size: { value: '50 people per full-time specialist', score: '3', evidence: '4 episodes open on 30 June 2026, over 0.1 specialist FTE' },
      rapid_job_search: { value: '70 days (median)', score: '3', evidence: 'for the 3 of 4 people referred from 1 July 2025 to 30 June 2026' },
      employer_contact_frequency: { value: '0.1 a week per specialist', score: '1', evidence: '3 face-to-face employer contacts by the 1 specialist who logged employer contacts, over the 51 whole weeks' },
      job_type_diversity: { value: '33%', score: '1', evidence: '1 of 3 counted job starts were of another type' },
      employer_diversity: { value: '67%', score: '3', evidence: '2 different employers for 3 counted job starts' },
      competitive_jobs: { value: '67%', score: '2', evidence: '2 of 3 counted job starts by 30 June 2026 were competitive' },
      individualised_follow_along: { value: '67%', score: '3', evidence: '2 of 3 counted job starts had support' },
      community_based_services: { value: '60%', score: '4', evidence: '3 of 5 attended face-to-face contacts' },
    };
    for (const [code, figure] of Object.entries(expected)) {
      const text = figureText(formPage, code);
      assert.match(text, new RegExp(`From the records: ${figure.value.replace(/[()]/g, '\\$&')} , implying a score of ${figure.score}\\.`), code);
      if (figure.evidence) assert.ok(text.includes(figure.evidence), `${code}: ${text}`);
      assert.equal(preselected(formPage, code), figure.score, `${code} pre-selected`);
    }
    // The specialist FTE is shown as recorded, to one decimal place (0.08 → 0.1), with the period it came from.
    assert.ok(figureText(formPage, 'caseload_size').includes('whole organisation: 0.1 FTE, 1 April 2026 to 31 March 2027'));
    // Items the records do not inform are left for the reviewer to score.
    assert.equal(preselected(formPage, 'disclosure'), undefined);
    assert.match(formPage, /name="serviceName" type="text" value="Fidelity Org"/);
    assert.match(formPage, /name="reviewedOn-day" type="text" value="30"/);
  });

  test('without staffing recorded for the date, caseload size is not computed, and the form says why', async () => {
    const page = await otherManager.get('/fidelity-reviews/new?on-day=1&on-month=1&on-year=2026');
    assert.equal(page.statusCode, 200);
    assert.match(figureText(page.body, 'caseload_size'), /Not worked out from the records: No staffing is recorded for the organisation or its teams in Costs and staffing for a period covering 1 January 2026/);
    assert.equal(preselected(page.body, 'caseload_size'), undefined);
    // The other organisation has no jobs: nothing of this organisation's is counted for it.
    assert.match(figureText(page.body, 'competitive_jobs'), /Not worked out from the records: No counted job starts/);
  });

  test('figures for one team count only that team’s episodes and staffing', async () => {
    const page = await manager.get(`${FORM_FOR_DATE}&team=${org.teamId}`);
    assert.equal(page.statusCode, 200);
    // The organisation-wide staffing entry is not the team's, and none of the hand-made episodes is in the team.
    assert.match(figureText(page.body, 'caseload_size'), /Not worked out from the records: No staffing is recorded for .+ in Costs and staffing/);
    assert.match(figureText(page.body, 'competitive_jobs'), /No counted job starts by 30 June 2026 for people referred in .+ from 1 July 2025/);
    assert.match(page.body, new RegExp(`<option value="${org.teamId}" selected>`));
    // Another organisation's team is ignored: the figures are the organisation's.
    const foreign = await manager.get(`${FORM_FOR_DATE}&team=${other.teamId}`);
    assert.match(figureText(foreign.body, 'competitive_jobs'), /From the records: 67%/);
  });

  test('saving a full review stores its 25 items with the total and band, audited, and shows it', async () => {
    // Computed scores 3+3+1+1+3+2+3+4 = 20; the other 17 items scored 5 = 85; total 105: good fidelity.
    const response = await manager.submit(FORM_FOR_DATE, '/fidelity-reviews', reviewFields(formPage, { 'note-disclosure': 'Discussed twice with each person', 'evidence-disclosure': 'Case notes sampled' }));
    assert.equal(response.statusCode, 302, response.body);
    const reviewId = /^\/fidelity-reviews\/([0-9a-f-]{36})\?done=created$/.exec(response.headers.location as string)?.[1];
    assert.ok(reviewId);
    const db = t.deps.db;
    const review = await db.selectFrom('fidelity_review').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    assert.equal(review.total, 105);
    assert.equal(review.band, 'good');
    assert.equal(review.reviewed_on, '2026-06-30');
    assert.equal(review.organisation_id, org.id);
    const items = await db.selectFrom('fidelity_review_item').selectAll().where('review_id', '=', reviewId).execute();
    assert.equal(items.length, 25);
    assert.equal(items.reduce((sum, item) => sum + item.score, 0), 105);
    const competitive = items.find((item) => item.item_code === 'competitive_jobs');
    assert.equal(competitive?.computed_score, 2);
    assert.match(competitive?.computed_value ?? '', /^67%\n2 of 3 counted job starts/);
    assert.equal(competitive?.override_reason, null);
    assert.equal(items.filter((item) => item.computed_score !== null).length, 8);
    const disclosure = items.find((item) => item.item_code === 'disclosure');
    assert.deepEqual([disclosure?.score, disclosure?.note, disclosure?.evidence, disclosure?.computed_score], [5, 'Discussed twice with each person', 'Case notes sampled', null]);
    const audit = await db.selectFrom('audit_event').selectAll().where('subject_id', '=', reviewId).execute();
    assert.deepEqual(audit.map((event) => event.action), ['fidelity-review.created']);

    const page = await manager.get(response.headers.location as string);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Fidelity review saved/);
    assert.match(page.body, /105 out of 125/);
    assert.match(page.body, /Good fidelity/);
    assert.match(page.body, /<strong>67%<\/strong>, implying 2\./);
    assert.match(page.body, /Case notes sampled/);
  });

  test('a score other than the computed one without a reason is refused, nothing is saved and the form keeps what was typed', async () => {
    const before = await reviewCount(org.id);
    const fields = reviewFields(formPage, { 'score-competitive_jobs': '4', 'note-caseload_size': 'Kept note' });
    const refused = await manager.submit(FORM_FOR_DATE, '/fidelity-reviews', fields);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /There is a problem/);
    assert.match(refused.body, /href="#override-competitive_jobs">Give a reason for scoring item 21, competitive jobs 4 when the records imply 2/);
    assert.match(refused.body, /Sam Reviewer \(IPS Grow\), Alex Peer/);
    assert.match(refused.body, /Kept note/);
    assert.equal(preselected(refused.body, 'competitive_jobs'), '4');
    assert.equal(await reviewCount(org.id), before);

    const saved = await manager.submit(FORM_FOR_DATE, '/fidelity-reviews', { ...fields, 'override-competitive_jobs': 'The non-competitive job was a stepping stone the person chose' });
    assert.equal(saved.statusCode, 302);
    const reviewId = (saved.headers.location as string).split('/')[2].split('?')[0];
    const item = await t.deps.db.selectFrom('fidelity_review_item').selectAll().where('review_id', '=', reviewId).where('item_code', '=', 'competitive_jobs').executeTakeFirstOrThrow();
    assert.deepEqual([item.score, item.computed_score, item.override_reason], [4, 2, 'The non-competitive job was a stepping stone the person chose']);
    const review = await t.deps.db.selectFrom('fidelity_review').select(['total', 'band']).where('id', '=', reviewId).executeTakeFirstOrThrow();
    assert.deepEqual(review, { total: 107, band: 'good' });
    const page = await manager.get(`/fidelity-reviews/${reviewId}`);
    assert.match(page.body, /Scored 4 instead:<\/strong> The non-competitive job was a stepping stone/);
  });

  test('bad input is refused with an error on each box: missing boxes, a date in the future, an unscored item, another organisation’s team', async () => {
    const before = await reviewCount(org.id);
    const fields = reviewFields(formPage, { reviewers: '', serviceName: '', 'score-disclosure': '', 'score-zero_exclusion': '7', teamId: other.teamId });
    const refused = await manager.submit(FORM_FOR_DATE, '/fidelity-reviews', fields);
    assert.equal(refused.statusCode, 400);
    for (const text of [
      'Enter who carried out the review',
      'Enter the name of the service reviewed',
      'Choose a team from the list',
      'Choose a score from 1 to 5 for item 13, disclosure',
      'Choose a score from 1 to 5 for item 9, zero-exclusion criteria',
    ]) {
      assert.ok(refused.body.includes(text), text);
    }
    const future = await manager.submit(FORM_FOR_DATE, '/fidelity-reviews', reviewFields(formPage, { 'reviewedOn-year': '2099' }));
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /Date of the review must be today or in the past/);
    const unreal = await manager.submit(FORM_FOR_DATE, '/fidelity-reviews', reviewFields(formPage, { 'reviewedOn-day': '31', 'reviewedOn-month': '2' }));
    assert.equal(unreal.statusCode, 400);
    assert.match(unreal.body, /Date of the review must be a real date/);
    assert.equal(await reviewCount(org.id), before);
    const futureFigures = await manager.get('/fidelity-reviews/new?on-day=1&on-month=1&on-year=2099');
    assert.equal(futureFigures.statusCode, 400);
    assert.match(futureFigures.body, /Date for the figures must be today or in the past/);
  });

  test('garbage is a 400, never a 500: repeated fields, overlong text, odd scores', async () => {
    const before = await reviewCount(org.id);
    const csrf = await manager.csrfFrom(FORM_FOR_DATE);
    const garbage = await manager.request({
      method: 'POST',
      url: '/fidelity-reviews',
      form: { _csrf: csrf, ...reviewFields(formPage), reviewers: ['a', 'b'], 'score-disclosure': '3.5', 'note-vocational_unit': 'x'.repeat(5000), 'reviewedOn-year': '１２３４' },
    });
    assert.equal(garbage.statusCode, 400);
    assert.match(garbage.body, /Enter who carried out the review/);
    assert.match(garbage.body, /Note for item 7, vocational unit must be 2000 characters or fewer/);
    assert.match(garbage.body, /Choose a score from 1 to 5 for item 13, disclosure/);
    assert.match(garbage.body, /Date of the review must be a real date/);
    assert.equal(await reviewCount(org.id), before);
  });

  test('another organisation’s review is not found, and so is a malformed id', async () => {
    const [review] = await t.deps.db.selectFrom('fidelity_review').select('id').where('organisation_id', '=', org.id).execute();
    assert.equal((await otherManager.get(`/fidelity-reviews/${review.id}`)).statusCode, 404);
    assert.equal((await manager.get('/fidelity-reviews/not-a-uuid')).statusCode, 404);
    const otherList = await otherManager.get('/fidelity-reviews');
    assert.equal(otherList.statusCode, 200);
    assert.match(otherList.body, /No fidelity reviews have been recorded/);
  });

  test('a practitioner can view the list and a review but not record one; a commissioner sees an empty list', async () => {
    const [review] = await t.deps.db.selectFrom('fidelity_review').select('id').where('organisation_id', '=', org.id).execute();
    const list = await practitioner.get('/fidelity-reviews');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /Record a review/);
    assert.equal((await practitioner.get(`/fidelity-reviews/${review.id}`)).statusCode, 200);
    assert.equal((await practitioner.get('/fidelity-reviews/new')).statusCode, 403);
    const before = await reviewCount(org.id);
    const csrf = await practitioner.csrfFrom('/fidelity-reviews');
    const post = await practitioner.request({ method: 'POST', url: '/fidelity-reviews', form: { _csrf: csrf, ...reviewFields(formPage) } });
    assert.equal(post.statusCode, 403);
    assert.equal(await reviewCount(org.id), before);

    const commissioning = await t.organisation('Fidelity Commissioner', 'commissioner');
    const commissioner = (await t.signedIn(commissioning.id, 'commissioner')).browser;
    const empty = await commissioner.get('/fidelity-reviews');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No fidelity reviews have been recorded/);
  });

  test('the list shows reviews newest first and a trend chart with one point per review, each chart with its table', async () => {
    // A third review, for 31 December 2025, at the scores the records imply then (computed items) and 4 elsewhere.
    const earlierForm = (await manager.get('/fidelity-reviews/new?on-day=31&on-month=12&on-year=2025')).body;
    const earlier = await manager.submit('/fidelity-reviews/new', '/fidelity-reviews', reviewFields(earlierForm, { 'reviewedOn-day': '31', 'reviewedOn-month': '12', 'reviewedOn-year': '2025' }, '4'));
    assert.equal(earlier.statusCode, 302, earlier.body);
    const reviews = await t.deps.db.selectFrom('fidelity_review').select(['reviewed_on', 'total']).where('organisation_id', '=', org.id).orderBy('reviewed_on').orderBy('created_at').execute();
    assert.equal(reviews.length, 3);

    const page = await manager.get('/fidelity-reviews?items=competitive_jobs&items=disclosure');
    assert.equal(page.statusCode, 200);
    const rows = [...page.body.matchAll(/<a class="govuk-link" href="\/fidelity-reviews\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((match) => match[1]);
    assert.deepEqual(rows, ['30 June 2026', '30 June 2026', '31 December 2025']);

    const totalChart = /<svg[^>]*id="chart-fidelity-total"[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? '';
    assert.ok(totalChart, 'the total chart is drawn');
    // One marker per review on the line (a single series has no legend).
    assert.equal((totalChart.match(/<circle [^>]*r="4.5"/g) ?? []).length, 3);
    const totalTable = /id="total-trend"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    const totals = [...totalTable.matchAll(/govuk-table__cell--numeric">(\d+)</g)].map((match) => Number(match[1]));
    assert.deepEqual(totals, reviews.map((review) => review.total));

    const itemChart = /<svg[^>]*id="chart-fidelity-items"[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? '';
    assert.match(itemChart, /21\. Competitive jobs/);
    assert.match(itemChart, /13\. Disclosure/);
    const itemTable = /id="item-trend"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.equal((itemTable.match(/<tr class="govuk-table__row"><th scope="row"/g) ?? []).length, 3);
  });

  test('the API lists the organisation’s reviews with totals, bands and item scores', async () => {
    const token = await apiTokenFor(t, org.id, 'practitioner');
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/fidelity-reviews', headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.statusCode, 200);
    const body = response.json() as { items: Array<{ reviewedOn: string; total: number; band: string; scores: Record<string, number> }> };
    assert.equal(body.items.length, 3);
    assert.equal(body.items[0].reviewedOn, '2026-06-30');
    assert.equal(body.items[2].reviewedOn, '2025-12-31');
    for (const item of body.items) {
      assert.equal(Object.keys(item.scores).length, 25);
      assert.equal(Object.values(item.scores).reduce((sum, score) => sum + score, 0), item.total);
    }
    const otherToken = await apiTokenFor(t, other.id, 'manager');
    const others = await t.app.inject({ method: 'GET', url: '/api/v1/fidelity-reviews', headers: { authorization: `Bearer ${otherToken}` } });
    assert.deepEqual(others.json(), { items: [] });
  });
});
