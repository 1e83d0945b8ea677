/** Sign-in errors, sign-in with JavaScript off, and the 404 page, in Chromium with axe. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, expectAccessible, finish, launchBrowser, newPage, signIn, signOut, startServer, visit } from './support.ts';

describe('pages in Chromium', () => {
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

  test('a wrong password shows the error summary, which takes focus', async () => {
    const page = await newPage(browser, server.baseUrl);
    const response = await signIn(page, 'specialist@demo.example.org', 'not the password');
    assert.equal(response.status(), 400);
    assert.match(await page.title(), /^Error: Sign in/);
    const summary = page.locator('.govuk-error-summary');
    assert.match((await summary.textContent()) ?? '', /Enter a correct email address and password/);
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    await expectAccessible(page);
    await finish(page);
  });

  test('with JavaScript off, a practitioner can still sign in and out', async () => {
    const page = await newPage(browser, server.baseUrl, { javaScriptEnabled: false });
    const wrong = await signIn(page, 'caseworker@demo.example.org', 'not the password');
    assert.equal(wrong.status(), 400);
    assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
    await expectAccessible(page);
    await signIn(page, 'caseworker@demo.example.org', DEMO_PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.match((await page.locator('h1').textContent()) ?? '', /Welcome, Casey Caseworker/);
    await expectAccessible(page);
    await signOut(page);
    await finish(page);
  });

  test('the 404 page passes axe', async () => {
    const page = await newPage(browser, server.baseUrl);
    await visit(page, '/no-such-page', 404);
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
    await finish(page);
  });
});
