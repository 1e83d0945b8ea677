/**
 * The pages around the outcomes report, in Chromium with axe: a manager
 * enters a year's costs and staffing (and is warned before entering an
 * overlapping period), records an IPS fidelity review and sees it in the
 * trend; the demo commissioner sets a target for its commission and sees the
 * actual against it.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { clickAndLoad, completeTwoFactorSetup, DEMO_PASSWORD, expectAccessible, finish, journeySteps, launchBrowser, newPage, signIn, startServer, visit } from './support.ts';

describe('costs, fidelity reviews and targets', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser, server.baseUrl);
  });
  after(async () => {
    if (page) await finish(page);
    await browser?.close();
    await server?.close();
  });

  const step = journeySteps();
  const fillDate = async (prefix: string, day: string, month: string, year: string) => {
    await page.locator(`#${prefix}-day`).fill(day);
    await page.locator(`#${prefix}-month`).fill(month);
    await page.locator(`#${prefix}-year`).fill(year);
  };
  const press = async (button: string) => {
    const response = await clickAndLoad(page, page.getByRole('button', { name: button, exact: true }));
    await expectAccessible(page);
    return response;
  };
  const errors = async () => ((await page.locator('.govuk-error-summary').count()) ? await page.locator('.govuk-error-summary').textContent() : '') ?? '';

  step('a manager enters a year of costs and staffing', async () => {
    await signIn(page, 'manager@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    await completeTwoFactorSetup(page);
    await expectAccessible(page);
    await visit(page, '/costs');
    await clickAndLoad(page, page.getByRole('button', { name: 'Add a cost period' }));
    await expectAccessible(page);
    await fillDate('startsOn', '1', '4', '2025');
    await fillDate('endsOn', '31', '3', '2026');
    await page.locator('#staffFte').fill('4');
    await page.locator('#specialistFte').fill('2.5');
    await page.locator('#salaries').fill('£120,000');
    await page.locator('#overheads').fill('15000');
    const saved = await press('Save cost period');
    assert.ok(saved.status() < 400, await errors());
    assert.equal(new URL(page.url()).pathname, '/costs');
    assert.match((await page.locator('main').textContent()) ?? '', /135,000/);
  });

  step('an overlapping period is saved only after a warning', async () => {
    await visit(page, '/costs/new');
    await fillDate('startsOn', '1', '1', '2026');
    await fillDate('endsOn', '31', '12', '2026');
    await page.locator('#staffFte').fill('4');
    await press('Save cost period');
    assert.match((await page.locator('#overlap-warning').textContent()) ?? '', /overlaps another period/);
    await page.getByLabel('Save anyway: I know this period overlaps another').check();
    const saved = await press('Save cost period');
    assert.ok(saved.status() < 400, await errors());
    assert.equal(new URL(page.url()).pathname, '/costs');
  });

  step('a manager records an IPS fidelity review and sees it in the trend', async () => {
    await visit(page, '/fidelity-reviews');
    await visit(page, '/fidelity-reviews/new');
    await page.locator('#reviewers').fill('Rowan Reviewer (IPS Grow)');
    await fillDate('reviewedOn', '2', '11', '2026');
    const scores = page.locator('input[type="radio"][name^="score-"][value="4"]');
    assert.equal(await scores.count(), 25, 'all 25 items are scored');
    for (const radio of await scores.all()) await radio.check();
    for (const reason of await page.locator('textarea[name^="override-"]').all()) await reason.fill('Agreed at the review meeting');
    const saved = await press('Save review');
    assert.ok(saved.status() < 400, await errors());
    assert.match((await page.locator('main').textContent()) ?? '', /100/);
    assert.match((await page.locator('main').textContent()) ?? '', /[Gg]ood/);
    await visit(page, '/fidelity-reviews');
    assert.ok((await page.locator('svg[role="img"]').count()) >= 1, 'the trend chart is drawn');
    await clickAndLoad(page, page.getByRole('button', { name: 'Sign out' }));
    await expectAccessible(page);
  });

  step('the commissioner sets a target and sees the actual against it', async () => {
    await signIn(page, 'commissioner@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    await visit(page, '/targets');
    await clickAndLoad(page, page.getByRole('button', { name: 'Add a target' }));
    await expectAccessible(page);
    await press('Save target');
    assert.match(await errors(), /There is a problem/, 'an empty target form is refused with reasons');
    const commission = (await page.locator('#commissionId option').nth(1).getAttribute('value')) ?? '';
    await page.locator('#commissionId').selectOption(commission);
    await page.locator('#measure').selectOption('referrals');
    await page.locator('#target').fill('40');
    await fillDate('startsOn', '1', '4', '2026');
    await fillDate('endsOn', '31', '3', '2027');
    const saved = await press('Save target');
    assert.ok(saved.status() < 400, await errors());
    assert.equal(new URL(page.url()).pathname, '/targets');
    assert.match((await page.locator('main').textContent()) ?? '', /Referrals received/);
    await visit(page, '/reports/outcomes');
  });
});
