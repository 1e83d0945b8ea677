/**
 * Browser test harness: a real Throughgate server on a free port (in-memory
 * PGlite, demo data seeded), the system Chromium through playwright-core, and
 * axe-core checking WCAG 2.2 AA. Every page a test loads must be checked with
 * expectAccessible(page); finish(page) fails the test if one was missed, or if
 * the page logged a script error (a CSP violation, say).
 */
import assert from 'node:assert/strict';
import { freePort } from '../support/free-port.ts';
import { test } from 'node:test';
import axe from 'axe-core';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page, type Response } from 'playwright-core';
import { totpAt, timeStep } from '../../src/platform/auth/totp.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openPGlite } from '../../src/platform/db/database.ts';
import { seedDemoData } from '../../src/platform/demo-data.ts';
import { createRuntime, type Runtime } from '../../src/platform/runtime.ts';

export { DEMO_PASSWORD, DEMO_USERS } from '../../src/platform/demo-data.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A UK calendar date some days before today, as 'YYYY-MM-DD' and as the three date boxes want it. */
export function daysAgo(days: number) {
  const iso = new Date(Date.now() - days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const [year, month, day] = iso.split('-');
  return { iso, day: String(Number(day)), month: String(Number(month)), year };
}


/**
 * Starts the app on 127.0.0.1 but names it http://localhost:PORT: session
 * cookies are Secure, and Chromium treats localhost (not the bare IP) as a
 * secure origin.
 */
export async function startServer(env: Record<string, string> = {}): Promise<{ baseUrl: string; runtime: Runtime; close(): Promise<void> }> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'browser-test-secret-that-is-long-enough-0123456789',
    BASE_URL: baseUrl,
    PORT: String(port),
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  });
  const runtime = await createRuntime(config, { database: await openPGlite(undefined) });
  await seedDemoData(runtime.deps.db);
  await runtime.app.listen({ port, host: '127.0.0.1' });
  return { baseUrl, runtime, close: () => runtime.close() };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

interface Tracking {
  javaScript: boolean;
  current: string | undefined;
  checked: boolean;
  missed: string[];
  errors: string[];
}
const tracking = new WeakMap<Page, Tracking>();

/** A page in a fresh context (its own cookies), watched for unchecked documents and script errors. */
export async function newPage(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, ...options });
  const page = await context.newPage();
  const state: Tracking = { javaScript: options.javaScriptEnabled !== false, current: undefined, checked: true, missed: [], errors: [] };
  tracking.set(page, state);
  page.on('load', () => {
    if (!state.checked && state.current) state.missed.push(state.current);
    state.current = page.url();
    state.checked = page.url().startsWith('about:');
  });
  page.on('pageerror', (error) => state.errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    // A page answered with 400 or 404 logs its own status: that is the test's business, not a script error.
    const ownStatus = message.location().url === page.url() && message.text().startsWith('Failed to load resource');
    if (message.type() === 'error' && !ownStatus) state.errors.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

/** Asserts that every document the page loaded was checked with axe and no script failed, then closes its context. */
export async function finish(page: Page): Promise<void> {
  const state = tracking.get(page);
  await page.context().close();
  if (!state) return;
  const missed = state.checked ? state.missed : [...state.missed, state.current];
  assert.deepEqual(missed, [], 'every page visited must be checked with expectAccessible(page)');
  assert.deepEqual(state.errors, [], 'the pages logged script errors');
}

function describeViolations(violations: axe.Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}`);
      return `  [${violation.impact}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * GOV.UK Frontend sets aria-expanded on a radio or checkbox that reveals a
 * conditional question. axe reports it (aria-allowed-attr); GOV.UK keeps it on
 * purpose because screen readers announce it (alphagov/govuk-frontend#979).
 * Only that exact finding is set aside; any other ARIA problem still fails.
 */
function withoutConditionalRevealFinding(violations: axe.Result[]): axe.Result[] {
  const known = (node: axe.NodeResult) =>
    /class="govuk-(radios|checkboxes)__input"[^>]*aria-controls="conditional-/.test(node.html) &&
    /^Fix all of the following:\s+ARIA attribute is not allowed: aria-expanded="(true|false)"$/.test(node.failureSummary ?? '');
  return violations
    .map((violation) => (violation.id === 'aria-allowed-attr' ? { ...violation, nodes: violation.nodes.filter((node) => !known(node)) } : violation))
    .filter((violation) => violation.nodes.length > 0);
}

/**
 * With JavaScript off, timers never fire, so axe cannot run in the page itself.
 * It runs instead on a copy of the page's HTML, served at the same address in
 * a scriptable context with the page's own scripts blocked.
 */
async function scriptFreeCopy(page: Page): Promise<Page> {
  const url = page.url();
  const html = await page.content();
  const context = await page.context().browser()!.newContext({ viewport: page.viewportSize() });
  const copy = await context.newPage();
  await copy.route('**/*.js', (route) => route.abort());
  await copy.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await copy.goto(url);
  return copy;
}

async function runAxe(page: Page): Promise<axe.AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    AXE_TAGS,
  );
}

/** Runs axe-core on the current page and fails with a readable list of WCAG 2.2 AA violations. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  const state = tracking.get(page);
  const target = state?.javaScript === false ? await scriptFreeCopy(page) : page;
  const results = await runAxe(target).finally(() => (target === page ? undefined : target.context().close()));
  const violations = withoutConditionalRevealFinding(results.violations);
  if (violations.length > 0) {
    assert.fail(`${violations.length} accessibility violation(s) on ${page.url()}:\n${describeViolations(violations)}`);
  }
  if (state) state.checked = true;
}

/** Clicks something that loads a new page; returns the final (non-redirect) response. */
export async function clickAndLoad(page: Page, target: Locator): Promise<Response> {
  const response = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
  );
  await target.click();
  const final = await response;
  await page.waitForLoadState('load');
  return final;
}

/** Loads a path, checks the status and runs axe. */
export async function visit(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(path);
  assert.equal(response?.status(), status, `GET ${path}`);
  await expectAccessible(page);
}

export async function signIn(page: Page, email: string, password: string): Promise<Response> {
  await visit(page, '/sign-in');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  return clickAndLoad(page, page.getByRole('button', { name: 'Sign in', exact: true }));
}

export async function signOut(page: Page): Promise<void> {
  await clickAndLoad(page, page.getByRole('button', { name: 'Sign out' }));
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await expectAccessible(page);
}

/** On /account/two-factor/setup: reads the key from "I cannot scan the QR code" and enters the current code. */
export async function completeTwoFactorSetup(page: Page): Promise<string> {
  await page.getByText('I cannot scan the QR code').click();
  const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/, 'the setup page shows a base32 key');
  await page.locator('#code').fill(totpAt(secret, timeStep(new Date())));
  await clickAndLoad(page, page.getByRole('button', { name: 'Turn on two-factor authentication' }));
  return secret;
}

/**
 * Steps of one journey, each its own test so a failure names the step; once
 * one fails, the steps after it are skipped rather than failing for the same
 * reason.
 */
export function journeySteps(): (name: string, body: () => Promise<void>) => void {
  let broken = false;
  return (name, body) => {
    test(name, async (t) => {
      if (broken) return t.skip('an earlier step failed');
      try {
        await body();
      } catch (error) {
        broken = true;
        throw error;
      }
    });
  };
}
