/** The system administrator's pages in Chromium with axe, including their error states. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
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

describe('instance administration in Chromium', () => {
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

  test('a system administrator adds an organisation and a commission, correcting mistakes on the way', async () => {
    const page = await newPage(browser, server.baseUrl);
    await signIn(page, 'sysadmin@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    await completeTwoFactorSetup(page);
    await expectAccessible(page);

    await visit(page, '/admin/organisations/new');
    const refused = await clickAndLoad(page, page.getByRole('button', { name: 'Add organisation' }));
    assert.equal(refused.status(), 400);
    assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /Enter the organisation’s name/);
    await expectAccessible(page);

    await page.locator('#name').fill('Second Chance Works');
    await page.getByLabel('Commissions or funds services').check();
    await page.locator('#adminName').fill('Rowan Reid');
    await page.locator('#adminEmail').fill('rowan@secondchance.example.org');
    await clickAndLoad(page, page.getByRole('button', { name: 'Add organisation' }));
    assert.equal(new URL(page.url()).pathname, '/admin/organisations');
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /Second Chance Works added/);
    await expectAccessible(page);

    await visit(page, '/admin/commissions/new');
    await page.locator('#name').fill('Resettlement and work 2027');
    await page.locator('#commissionerId').selectOption({ label: 'Second Chance Works' });
    await page.locator('#start-day').fill('31');
    await page.locator('#start-month').fill('2');
    await page.locator('#start-year').fill('2027');
    const wrongDate = await clickAndLoad(page, page.getByRole('button', { name: 'Add commission' }));
    assert.equal(wrongDate.status(), 400);
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    assert.match(summary, /Start date must be a real date/);
    assert.match(summary, /Select at least one provider/);
    await expectAccessible(page);

    await page.locator('#start-day').fill('1');
    await page.getByLabel('Demo Through the Gate Service').check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Add commission' }));
    assert.equal(new URL(page.url()).pathname, '/admin/commissions');
    assert.match((await page.locator('table').textContent()) ?? '', /Resettlement and work 2027/);
    await expectAccessible(page);
    await finish(page);
  });
});
