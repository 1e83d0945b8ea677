/**
 * The organisation admin's first day, in Chromium: sign in, set up two-factor,
 * invite a practitioner, read the invitation in the outbox, and the new
 * practitioner accepts it and signs in. Each step is its own test, so a
 * failure names the step; the steps after it are skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
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
  signOut,
  startServer,
  visit,
  journeySteps,
} from './support.ts';

const INVITEE = { email: 'new.practitioner@demo.example.org', name: 'Nia Newcomer', password: 'four unrelated words together' };

describe('admin journey: two-factor, invitation, first sign-in', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let invitationUrl: string;

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

  step('the admin signs in and is sent to set up two-factor', async () => {
    await signIn(page, 'admin@demo.example.org', DEMO_PASSWORD);
    assert.equal(path(), '/account/two-factor/setup');
    await expectAccessible(page);
  });

  step('entering the code from the written-out key turns two-factor on', async () => {
    await completeTwoFactorSetup(page);
    assert.equal(path(), '/account');
    const banner = page.locator('.govuk-notification-banner--success');
    assert.match((await banner.textContent()) ?? '', /Two-factor authentication is now on/);
    await expectAccessible(page);
  });

  step('the admin invites a practitioner', async () => {
    await visit(page, '/admin/users/invite');
    await page.locator('input[name="email"]').fill(INVITEE.email);
    await page.locator('input[name="displayName"]').fill(INVITEE.name);
    await page.locator('input[name="role"][value="practitioner"]').check();
    await page.locator('input[name="practitionerKind"][value="employment_specialist"]').check();
    const response = await clickAndLoad(page, page.getByRole('button', { name: 'Send invitation' }));
    assert.ok(response.status() < 400, `the invitation was refused with ${response.status()}`);
    assert.equal(await page.locator('.govuk-error-summary').count(), 0);
    assert.ok((await page.locator('main').textContent())?.includes(INVITEE.email), 'the page after inviting names the invitee');
    await expectAccessible(page);
  });

  step('the invitation is in the email outbox', async () => {
    await visit(page, '/admin/outbox');
    const row = page.locator(':is(tr, li, .govuk-summary-card, .govuk-summary-list__row)', { hasText: INVITEE.email }).first();
    await clickAndLoad(page, row.locator('a[href^="/admin/outbox/"]').first());
    await expectAccessible(page);
    const body = (await page.locator('pre.tg-email-body').textContent()) ?? '';
    const link = /https?:\/\/\S+\/invitations\/[\w-]+/.exec(body)?.[0];
    assert.ok(link, `no invitation link in the message:\n${body}`);
    assert.ok(link.startsWith(server.baseUrl), `the link uses BASE_URL: ${link}`);
    invitationUrl = link;
  });

  step('the admin signs out', async () => {
    await signOut(page);
  });

  step('the invitee sets a password from the link', async () => {
    await visit(page, invitationUrl);
    assert.match((await page.locator('h1').textContent()) ?? '', /Set up your account/);
    await page.locator('#password').fill(INVITEE.password);
    await page.locator('#confirm').fill(INVITEE.password);
    await clickAndLoad(page, page.getByRole('button', { name: 'Save password' }));
    assert.equal(page.url(), `${server.baseUrl}/sign-in?done=account-ready`);
    await expectAccessible(page);
  });

  step('the new practitioner signs in, sees the home page and signs out', async () => {
    await signIn(page, INVITEE.email, INVITEE.password);
    assert.equal(path(), '/');
    assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(`Welcome, ${INVITEE.name}`));
    await expectAccessible(page);
    await signOut(page);
  });

  step('every page was checked and no script failed', async () => {
    await finish(page);
  });
});
