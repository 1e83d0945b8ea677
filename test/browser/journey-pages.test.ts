/**
 * The participant-journey pages that journey.test.ts does not walk through,
 * in Chromium with axe: people search, the error states of the person and
 * contact forms and of the referral task list, the release board, tasks, the
 * team caseload and imports as a manager, reference data and settings as an
 * organisation admin, and intake as a peer advisor.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  clickAndLoad,
  completeTwoFactorSetup,
  DEMO_PASSWORD,
  expectAccessible,
  finish,
  launchBrowser,
  newPage,
  signIn,
  startServer,
  visit,
} from './support.ts';

/** A UK calendar date some days from today (negative: before), as the three date boxes want it. */
function daysFromToday(days: number): { day: string; month: string; year: string } {
  const [year, month, day] = new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' }).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

async function fillDate(page: Page, prefix: string, date: { day: string; month: string; year: string }): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(date.day);
  await page.locator(`#${prefix}-month`).fill(date.month);
  await page.locator(`#${prefix}-year`).fill(date.year);
}

const summaryText = async (page: Page) => ((await page.locator('.govuk-error-summary').textContent()) ?? '').replace(/\s+/g, ' ');
const path = (page: Page) => new URL(page.url()).pathname;

/** Every link in the error summary goes to something on the page. */
async function expectSummaryLinksResolve(page: Page): Promise<void> {
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  assert.ok(hrefs.length > 0, 'the error summary lists the errors');
  for (const href of hrefs) {
    assert.match(href, /^#./, `an error summary link is a fragment: ${href}`);
    assert.equal(await page.locator(`[id="${href.slice(1)}"]`).count(), 1, `the error summary link ${href} has a target on ${page.url()}`);
  }
}

describe('participant-journey pages in Chromium', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * A person with an accepted referral, inserted directly (as test/support/journey.ts does for the
   * integration tests), with the practitioner as key worker in their team.
   */
  async function episodeFor(email: string, givenName: string, familyName: string): Promise<{ personId: string; episodeId: string }> {
    const db = server.runtime.deps.db;
    const user = await db.selectFrom('app_user').select(['id', 'organisation_id', 'team_id']).where('email', '=', email).executeTakeFirstOrThrow();
    const referredOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const person = await db
      .insertInto('person')
      .values({ organisation_id: user.organisation_id, given_name: givenName, family_name: familyName, date_of_birth: '1990-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await db
      .insertInto('episode')
      .values({ organisation_id: user.organisation_id, person_id: person.id, referred_on: referredOn, key_worker_id: user.id, team_id: user.team_id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('referral')
      .values({ episode_id: episode.id, organisation_id: user.organisation_id, received_on: referredOn, status: 'accepted', source_code: 'probation' })
      .execute();
    return { personId: person.id, episodeId: episode.id };
  }

  test('a practitioner searches people and is told when a prison number is wrong', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'specialist@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);

    await visit(page, '/people');
    await visit(page, '/people?name=Nobody+Here');
    assert.equal(await page.locator('#name').inputValue(), 'Nobody Here');
    await expectAccessible(page);

    await visit(page, '/people/new');
    await page.locator('#givenName').fill('Robin');
    await page.locator('#familyName').fill('Wrongnumber');
    await page.locator('#prisonNumber').fill('12345');
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Search for existing records' }));
    assert.equal(refused.status(), 400);
    assert.match(await page.title(), /^Error: /);
    assert.match(await summaryText(page), /Enter a prison number in the correct format, like A1234BC/);
    assert.equal(await page.locator('#prisonNumber').inputValue(), '12345');
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);
    await finish(page);
  });

  test('submitting an unfinished referral points at the sections still to do', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'specialist@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    const { personId } = await episodeFor('specialist@demo.example.org', 'Uma', 'Unfinished');
    await visit(page, `/people/${personId}/referrals/new`);
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Submit referral' }));
    assert.equal(refused.status(), 400);
    assert.match(await summaryText(page), /Complete “Referral source”/);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);
    // The error links to its task in the list.
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Complete “Referral details”' }).click();
    assert.equal(new URL(page.url()).hash, '#task-details');
    assert.equal(await page.locator('#task-details').count(), 1);
    await finish(page);
  });

  test('the contact form refuses a date in the future', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'specialist@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    const { episodeId } = await episodeFor('specialist@demo.example.org', 'Fran', 'Future');

    await visit(page, `/episodes/${episodeId}/contacts`);
    await visit(page, `/episodes/${episodeId}/contacts/new`);
    await fillDate(page, 'date', daysFromToday(3));
    await page.locator('#time').fill('10:00');
    await page.getByLabel('Face to face', { exact: true }).check();
    await page.getByLabel('Community', { exact: true }).check();
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Save contact' }));
    assert.equal(refused.status(), 400);
    assert.match(await page.title(), /^Error: /);
    assert.ok((await summaryText(page)).includes('There is a problem'));
    // The error is on the date boxes, and the summary links to the first of them.
    assert.equal(await page.locator('.govuk-error-summary a[href="#date-day"]').count(), 1);
    assert.equal(await page.locator('#date-day.govuk-input--error').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);
    await finish(page);
  });

  test('an episode’s custody, release plan, tasks and exit pages, and their errors', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'specialist@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    const { episodeId } = await episodeFor('specialist@demo.example.org', 'Cass', 'Custody');

    await visit(page, `/episodes/${episodeId}`);
    await visit(page, `/episodes/${episodeId}/custody`);
    await visit(page, `/episodes/${episodeId}/tasks`);
    await visit(page, `/episodes/${episodeId}/release-plan`);
    await page.locator('#meetAtGate').check();
    await page.locator('#meetingTime').fill('25:99');
    const badPlan = await clickAndLoad(page, page.getByRole('button', { name: 'Save release plan' }));
    assert.equal(badPlan.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);

    await visit(page, `/episodes/${episodeId}/release`);
    await fillDate(page, 'releasedOn', daysFromToday(5));
    const badRelease = await clickAndLoad(page, page.getByRole('button', { name: 'Save release' }));
    assert.equal(badRelease.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);

    await visit(page, `/episodes/${episodeId}/exit`);
    const badExit = await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
    assert.equal(badExit.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);
    await finish(page);
  });

  test('a manager sees the release board, tasks, the team caseload and imports, empty and with errors', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'manager@demo.example.org', DEMO_PASSWORD);
    assert.equal(path(page), '/account/two-factor/setup');
    await expectAccessible(page);
    await completeTwoFactorSetup(page);
    await expectAccessible(page);

    await visit(page, '/release-board');
    await visit(page, '/tasks');
    await visit(page, '/caseload/team');
    await visit(page, '/caseload/team?search=nobody+at+all');
    assert.match((await page.locator('#no-cases').textContent()) ?? '', /No open cases match your search and filters/);
    await visit(page, '/imports');

    await visit(page, '/imports/new');
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Upload and check' }));
    assert.equal(refused.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);
    await finish(page);
  });

  test('an organisation admin sees reference data and settings, with their errors', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'admin@demo.example.org', DEMO_PASSWORD);
    assert.equal(path(page), '/account/two-factor/setup');
    await expectAccessible(page);
    await completeTwoFactorSetup(page);
    await expectAccessible(page);

    await visit(page, '/admin/reference-data');
    await clickAndLoad(page, page.getByRole('link', { name: 'Referral source' }));
    assert.equal(path(page), '/admin/reference-data/referral_source');
    await expectAccessible(page);
    const noLabel = await clickAndLoad(page, page.getByRole('button', { name: 'Add item' }));
    assert.equal(noLabel.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);

    await visit(page, '/admin/settings');
    await page.locator('#engagedAfterContacts').fill('0');
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Save settings' }));
    assert.equal(refused.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);
    await finish(page);
  });

  test('a peer advisor refers someone through intake, correcting mistakes on the way', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'peer@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);

    await visit(page, '/intake');
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Send referral' }));
    assert.equal(refused.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectSummaryLinksResolve(page);
    await expectAccessible(page);

    await page.locator('#givenName').fill('Pete');
    await page.locator('#familyName').fill('Peerreferred');
    await fillDate(page, 'dateOfBirth', { day: '3', month: '4', year: '1992' });
    await page.locator('#prisonNumber').fill('B2345CD');
    await page.locator('#prisonCode').selectOption({ index: 1 });
    await page.locator('#helpWith').fill('Getting a CSCS card.');
    await page.locator('#agreesToContact').check();
    const sent = await clickAndLoad(page, page.getByRole('button', { name: 'Send referral' }));
    assert.equal(sent.status(), 200);
    assert.equal(path(page), '/intake');
    assert.match((await page.locator('.govuk-panel').textContent()) ?? '', /Referral sent/);
    await expectAccessible(page);
    await finish(page);
  });
});
