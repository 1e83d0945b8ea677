/**
 * An employment specialist's IPS work with one person, in Chromium with axe:
 * start the vocational profile, record a benefits-counselling session, log
 * two applications and an interview, record a job with its counted start
 * (4 hours of paid work), record an in-work support contact with the
 * employer, and see the episode's stage become In work. The person and their
 * accepted episode are inserted directly (the participant journey test covers
 * making them through the pages); everything after is done through the pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ORGANISATION } from '../../src/platform/demo-data.ts';
import { clickAndLoad, daysAgo, DEMO_PASSWORD, expectAccessible, finish, launchBrowser, newPage, signIn, startServer, visit, journeySteps } from './support.ts';

const SPECIALIST = 'specialist@demo.example.org';

describe('IPS employment: profile, benefits counselling, job search, job start, in-work support', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let personId: string;
  let episodeId: string;

  before(async () => {
    server = await startServer();
    const db = server.runtime.deps.db;
    const organisation = await db.selectFrom('organisation').select('id').where('name', '=', DEMO_ORGANISATION).executeTakeFirstOrThrow();
    const specialist = await db.selectFrom('app_user').select('id').where('email', '=', SPECIALIST).executeTakeFirstOrThrow();
    const person = await db
      .insertInto('person')
      .values({ organisation_id: organisation.id, given_name: 'Robin', family_name: 'Employmenttest', date_of_birth: '1992-05-17' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const referredOn = daysAgo(40).iso;
    const episode = await db
      .insertInto('episode')
      .values({ organisation_id: organisation.id, person_id: person.id, referred_on: referredOn, key_worker_id: specialist.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('referral')
      .values({ episode_id: episode.id, organisation_id: organisation.id, received_on: referredOn, status: 'accepted', source_code: 'probation' })
      .execute();
    await db
      .insertInto('employer')
      .values({ organisation_id: organisation.id, name: 'Riverside Kitchens', sector_code: 'hospitality', job_types: ['elementary'], open_to_convictions: 'yes' })
      .execute();
    personId = person.id;
    episodeId = episode.id;
    browser = await launchBrowser();
    page = await newPage(browser, server.baseUrl);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const step = journeySteps();

  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const noErrors = async () => assert.equal(await page.locator('.govuk-error-summary').count(), 0, `unexpected errors on ${page.url()}`);
  const fillDate = async (prefix: string, date: { day: string; month: string; year: string }) => {
    await page.locator(`#${prefix}-day`).fill(date.day);
    await page.locator(`#${prefix}-month`).fill(date.month);
    await page.locator(`#${prefix}-year`).fill(date.year);
  };
  const save = async (button: string) => {
    const response = await clickAndLoad(page, page.getByRole('button', { name: button, exact: true }));
    assert.ok(response.status() < 400, `"${button}" was refused with ${response.status()} on ${page.url()}`);
    await noErrors();
    await expectAccessible(page);
  };

  step('the specialist signs in and opens the episode', async () => {
    await signIn(page, SPECIALIST, DEMO_PASSWORD);
    await expectAccessible(page);
    await visit(page, `/episodes/${episodeId}`);
    assert.equal(await text('#stage'), 'Referred');
  });

  step('starts the vocational profile', async () => {
    await visit(page, `/people/${personId}/vocational-profile`);
    assert.match(await text('main'), /Start the profile/);
    await visit(page, `/people/${personId}/vocational-profile/edit`);
    await page.locator('input[name="preferredJobTypes"][value="elementary"]').check();
    await page.locator('#skills').fill('Cooking for large groups; forklift experience');
    await page.locator('input[name="licenceConditions"][value="curfew"]').check();
    await save('Save profile');
    assert.equal(new URL(page.url()).pathname, `/people/${personId}/vocational-profile`);
    assert.match(await text('main'), /Cooking for large groups/);
    assert.match(await text('main'), /Curfew/);
  });

  step('records a benefits-counselling session', async () => {
    await visit(page, `/episodes/${episodeId}/benefits`);
    await visit(page, `/episodes/${episodeId}/benefits/sessions/new`);
    await fillDate('heldOn', daysAgo(12));
    await page.locator('#adviser').fill('Sam Welfare-Rights');
    await page.locator('#note').fill('Universal Credit work allowance and taper explained.');
    await save('Save session');
    assert.match(await text('main'), /Sam Welfare-Rights/);
  });

  for (const [index, activity] of [
    { kind: 'application', title: 'Kitchen porter', daysAgo: 11 },
    { kind: 'application', title: 'Prep cook', daysAgo: 10 },
    { kind: 'interview', title: 'Kitchen porter', daysAgo: 9 },
  ].entries()) {
    step(`logs job search activity ${index + 1}: ${activity.kind} for ${activity.title}`, async () => {
      await visit(page, `/episodes/${episodeId}/job-search/new?kind=${activity.kind}`);
      await fillDate('occurredOn', daysAgo(activity.daysAgo));
      await page.locator('#employerId').selectOption({ label: 'Riverside Kitchens' });
      await page.locator('#title').fill(activity.title);
      await save('Save activity');
      const rows = page.locator(`td[data-kind="${activity.kind}"]`);
      assert.equal(await rows.count(), activity.kind === 'application' ? index + 1 : 1);
    });
  }

  step('records a job and the day 4 hours of paid work were reached', async () => {
    await visit(page, `/episodes/${episodeId}/jobs`);
    await visit(page, `/episodes/${episodeId}/jobs/new`);
    await page.locator('#employerId').selectOption({ label: 'Riverside Kitchens' });
    await page.locator('#title').fill('Kitchen porter');
    await page.locator('input[name="jobType"][value="elementary"]').check();
    await fillDate('startsOn', daysAgo(6));
    await fillDate('countedStartOn', daysAgo(5));
    await page.locator('#hoursPerWeek').fill('24');
    await page.locator('#hourlyPay').fill('13.10');
    await page.locator('input[name="permanent"][value="permanent"]').check();
    await page.locator('input[name="selfEmployed"][value="employed"]').check();
    await page.locator('input[name="openToAnyone"][value="yes"]').check();
    await save('Save job');
    assert.equal(new URL(page.url()).pathname, `/episodes/${episodeId}/jobs`);
    const main = await text('main');
    assert.match(main, /Kitchen porter/);
    assert.match(main, /Competitive/);
    assert.doesNotMatch(main, /No benefits counselling in the 30 days before the start/);
  });

  step('records an in-work support contact with the employer', async () => {
    await visit(page, `/episodes/${episodeId}/contacts/new`);
    await fillDate('date', daysAgo(3));
    await page.locator('#time').fill('11:15');
    await page.getByLabel('Face to face', { exact: true }).check();
    await page.getByLabel('At an employer', { exact: true }).check();
    await page.getByLabel('Employer', { exact: true }).check();
    await page.getByLabel('Attended', { exact: true }).check();
    await page.locator('#note').fill('In-work support: first week went well; rota agreed with the manager.');
    await save('Save contact');
  });

  step('the episode is In work, and the job shows the follow-along contact', async () => {
    await visit(page, `/episodes/${episodeId}`);
    assert.equal(await text('#stage'), 'In work');
    await visit(page, `/episodes/${episodeId}/jobs`);
    assert.match(await text('main'), /Met/);
  });

  step('the employment board shows the person in work', async () => {
    await visit(page, '/employment-board');
    const main = await text('main');
    assert.match(main, /Robin Employmenttest/);
    assert.match(main, /In work/);
    await finish(page);
  });
});
