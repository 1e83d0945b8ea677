/**
 * A practitioner's whole participant journey, in Chromium with axe: add a
 * person through search-before-create, make and send a referral through its
 * task list, accept it, record the release, log two face-to-face community
 * contacts until the episode is Engaged, then close it and see it Exited.
 * Each step is its own test, so a failure names the step; the steps after it
 * are skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { clickAndLoad, DEMO_PASSWORD, expectAccessible, finish, launchBrowser, newPage, signIn, startServer, visit, journeySteps } from './support.ts';

const PERSON = { givenName: 'Jordan', familyName: 'Testperson', prisonNumber: 'A1234BC' };
const FULL_NAME = `${PERSON.givenName} ${PERSON.familyName}`;

/** A UK calendar date some days before today, as the three date boxes want it. */
function daysAgo(days: number): { day: string; month: string; year: string } {
  const [year, month, day] = new Date(Date.now() - days * 86_400_000)
    .toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
    .split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

const REFERRED = daysAgo(20);
const RELEASED = daysAgo(14);
const CONTACTS = [daysAgo(10), daysAgo(5)];

async function fillDate(page: Page, prefix: string, date: { day: string; month: string; year: string }): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(date.day);
  await page.locator(`#${prefix}-month`).fill(date.month);
  await page.locator(`#${prefix}-year`).fill(date.year);
}

describe('participant journey: person, referral, release, contacts, exit', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let personId: string;
  let episodeId: string;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser, server.baseUrl);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const step = journeySteps();

  const path = () => new URL(page.url()).pathname;
  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const taskStatus = async (section: string) =>
    ((await page.locator('.govuk-task-list__item', { has: page.locator(`#task-${section}`) }).locator('.govuk-task-list__status').textContent()) ?? '').trim();
  const noErrors = async () => assert.equal(await page.locator('.govuk-error-summary').count(), 0, `unexpected errors on ${page.url()}`);

  step('the practitioner signs in', async () => {
    await signIn(page, 'specialist@demo.example.org', DEMO_PASSWORD);
    assert.equal(path(), '/');
    await expectAccessible(page);
  });

  step('searching before creating finds no existing record', async () => {
    await visit(page, '/people/new');
    await page.locator('#givenName').fill(PERSON.givenName);
    await page.locator('#familyName').fill(PERSON.familyName);
    await fillDate(page, 'dateOfBirth', { day: '14', month: '6', year: '1988' });
    await page.locator('#prisonNumber').fill(PERSON.prisonNumber);
    const response = await clickAndLoad(page, page.getByRole('button', { name: 'Search for existing records' }));
    assert.equal(response.status(), 200);
    await noErrors();
    assert.match(await text('h1'), /No existing record found/);
    await expectAccessible(page);
  });

  step('"none of these" carries the search into the full form, which creates the record', async () => {
    await clickAndLoad(page, page.getByRole('button', { name: /Continue to add a new record|None of these/ }));
    assert.equal(path(), '/people/new/details');
    assert.equal(await page.locator('#givenName').inputValue(), PERSON.givenName);
    assert.equal(await page.locator('#familyName').inputValue(), PERSON.familyName);
    assert.equal(await page.locator('#prisonNumber').inputValue(), PERSON.prisonNumber);
    await expectAccessible(page);
    await page.locator('#language').fill('English');
    const response = await clickAndLoad(page, page.getByRole('button', { name: 'Create record' }));
    assert.ok(response.status() < 400, `creating the record was refused with ${response.status()}`);
    const match = /^\/people\/([0-9a-f-]{36})$/.exec(path());
    assert.ok(match, `after creating, the person page: ${page.url()}`);
    personId = match[1];
    assert.match(await text('.govuk-notification-banner'), /Person record created/);
    assert.match(await text('h1'), new RegExp(FULL_NAME));
    assert.match(await text('#identifiers'), new RegExp(PERSON.prisonNumber));
    await expectAccessible(page);
  });

  step('the referral task list starts with every section incomplete', async () => {
    await clickAndLoad(page, page.getByRole('button', { name: 'Start a referral' }));
    assert.equal(path(), `/people/${personId}/referrals/new`);
    for (const section of ['source', 'details', 'agreement']) {
      assert.equal(await taskStatus(section), 'Incomplete');
    }
    await expectAccessible(page);
  });

  step('the referral source section', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Referral source' }));
    assert.equal(path(), `/people/${personId}/referrals/new/source`);
    await expectAccessible(page);
    await page.getByLabel('Probation', { exact: true }).check();
    await page.locator('#referringOrganisation').fill('Probation Service North');
    await page.locator('#referrerName').fill('Riley Referrer');
    await page.locator('#referrerContact').fill('riley@probation.example.org');
    await clickAndLoad(page, page.getByRole('button', { name: 'Save and continue' }));
    assert.equal(path(), `/people/${personId}/referrals/new`);
    await noErrors();
    assert.equal(await taskStatus('source'), 'Completed');
    await expectAccessible(page);
  });

  step('the referral details section', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Referral details' }));
    await expectAccessible(page);
    await fillDate(page, 'receivedOn', REFERRED);
    await page.locator('#reason').fill('Wants help finding warehouse work after release.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Save and continue' }));
    assert.equal(path(), `/people/${personId}/referrals/new`);
    await noErrors();
    assert.equal(await taskStatus('details'), 'Completed');
    await expectAccessible(page);
  });

  step('the agreement section, the last one, leads to check your answers', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: 'The person’s agreement' }));
    await expectAccessible(page);
    await page.locator('#personKnows').check();
    await page.locator('#personAgrees').check();
    await page.locator('#confirmedBy').fill('Riley Referrer');
    await fillDate(page, 'confirmedOn', REFERRED);
    await clickAndLoad(page, page.getByRole('button', { name: 'Save and continue' }));
    await noErrors();
    assert.equal(path(), `/people/${personId}/referrals/new/check`);
    await expectAccessible(page);
  });

  step('check your answers shows what was entered', async () => {
    assert.match(await text('h1'), /Check your answers/);
    const answers = await text('#answers');
    assert.match(answers, /Probation/);
    assert.match(answers, /Riley Referrer/);
    assert.match(answers, /warehouse work/);
  });

  step('submitting the referral shows the confirmation', async () => {
    await clickAndLoad(page, page.getByRole('button', { name: 'Accept and send' }));
    const match = /^\/episodes\/([0-9a-f-]{36})\/referral-sent$/.exec(path());
    assert.ok(match, `after submitting, the confirmation: ${page.url()}`);
    episodeId = match[1];
    assert.match(await text('.govuk-panel'), /Referral recorded/);
    assert.match(await text('.govuk-panel'), new RegExp(FULL_NAME));
    await expectAccessible(page);
  });

  step('the episode page shows the pending referral; the practitioner accepts it', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Go to the episode' }));
    assert.equal(path(), `/episodes/${episodeId}`);
    assert.match(await text('#stage'), /^Referred$/);
    assert.match(await text('#referral-status'), /Pending/i);
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('button', { name: /^Accept referral/ }));
    assert.equal(path(), `/episodes/${episodeId}`);
    assert.match(await text('.govuk-notification-banner'), /Referral accepted/);
    assert.match(await text('#referral-status'), /Accepted/i);
    assert.match(await text('#key-worker'), /Sam Specialist/);
    await expectAccessible(page);
  });

  step('the practitioner records the release', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Custody and release' }));
    assert.equal(path(), `/episodes/${episodeId}/custody`);
    await expectAccessible(page);
    await clickAndLoad(page, page.locator('main').getByRole('button', { name: 'Record the release' }));
    assert.equal(path(), `/episodes/${episodeId}/release`);
    await expectAccessible(page);
    await fillDate(page, 'releasedOn', RELEASED);
    await page.getByLabel('Conditional release', { exact: true }).check();
    const response = await clickAndLoad(page, page.getByRole('button', { name: 'Save release' }));
    assert.ok(response.status() < 400, `the release was refused with ${response.status()}`);
    await noErrors();
    assert.equal(path(), `/episodes/${episodeId}/custody`);
    assert.match(await text('.govuk-notification-banner'), /Release recorded/);
    assert.match(await text('#release'), /Conditional release/);
    await expectAccessible(page);
  });

  for (const [index, date] of CONTACTS.entries()) {
    step(`the practitioner logs face-to-face community contact ${index + 1}`, async () => {
      await visit(page, `/episodes/${episodeId}/contacts/new`);
      await fillDate(page, 'date', date);
      await page.locator('#time').fill(index === 0 ? '10:30' : '14:05');
      await page.getByLabel('Face to face', { exact: true }).check();
      await page.getByLabel('Community', { exact: true }).check();
      await page.getByLabel('The person', { exact: true }).check();
      await page.getByLabel('Attended', { exact: true }).check();
      await page.locator('#durationMinutes').fill('45');
      await page.locator('#note').fill(`Community meeting ${index + 1}: CV and job search.`);
      const response = await clickAndLoad(page, page.getByRole('button', { name: 'Save contact' }));
      assert.ok(response.status() < 400, `the contact was refused with ${response.status()}`);
      await noErrors();
      assert.equal(path(), `/episodes/${episodeId}/contacts`);
      const expected = index === 0 ? 'Seen in the community' : 'Engaged';
      assert.match(await text('.govuk-notification-banner'), new RegExp(`Stage: ${expected}`));
      await expectAccessible(page);
    });
  }

  step('the episode page shows the stage Engaged', async () => {
    await visit(page, `/episodes/${episodeId}`);
    assert.equal(await text('#stage'), 'Engaged');
  });

  step('the caseload shows the stage Engaged', async () => {
    await visit(page, '/caseload');
    const row = page.locator(`#episode-${episodeId}`);
    assert.match((await row.textContent()) ?? '', new RegExp(FULL_NAME));
    assert.equal(await row.locator('[data-stage]').getAttribute('data-stage'), 'engaged');
    assert.equal(((await row.locator('[data-stage]').textContent()) ?? '').trim(), 'Engaged');
  });

  step('the practitioner closes the episode, confirming when asked', async () => {
    await visit(page, `/episodes/${episodeId}`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Close episode' }));
    assert.equal(path(), `/episodes/${episodeId}/exit`);
    await expectAccessible(page);
    await page.getByLabel('Goals met or no longer wants support', { exact: true }).check();
    await fillDate(page, 'exitedOn', daysAgo(0));
    await page.locator('#note').fill('Started work and no longer wants support.');
    const asked = await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
    assert.equal(asked.status(), 200);
    await noErrors();
    assert.match(await text('h1'), new RegExp(`Close ${PERSON.givenName} ${PERSON.familyName}’s episode of support\\?`));
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('button', { name: 'Yes, close the episode' }));
    assert.equal(path(), `/episodes/${episodeId}`);
    assert.match(await text('.govuk-notification-banner'), /Episode closed/);
    assert.equal(await text('#stage'), 'Exited');
    assert.match(await text('#exit'), /Goals met/);
    await expectAccessible(page);
  });

  step('every page was checked and no script failed', async () => {
    await finish(page);
  });
});
