/**
 * Not a test: saves a full-page screenshot of one page, for reviewing by eye.
 *
 *   node test/browser/screenshot.ts URLPATH out.png [--as EMAIL] [--width 375] [--no-js]
 *
 * Starts its own server with the demo data; --as signs in as a demo user
 * (see src/platform/demo-data.ts) first, setting up two-factor if asked.
 */
import { parseArgs } from 'node:util';
import { completeTwoFactorSetup, DEMO_PASSWORD, launchBrowser, startServer } from './support.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { as: { type: 'string' }, width: { type: 'string', default: '1280' }, 'no-js': { type: 'boolean', default: false } },
});
const [urlPath, out] = positionals;
if (!urlPath || !out) {
  console.error('Usage: node test/browser/screenshot.ts URLPATH out.png [--as EMAIL] [--width 375] [--no-js]');
  process.exit(2);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: Number(values.width), height: 800 },
    javaScriptEnabled: !values['no-js'],
  });
  const page = await context.newPage();
  if (values.as) {
    await page.goto('/sign-in');
    await page.locator('#email').fill(values.as);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForLoadState('load');
    if (new URL(page.url()).pathname === '/account/two-factor/setup') await completeTwoFactorSetup(page);
    if (new URL(page.url()).pathname === '/sign-in') throw new Error(`Could not sign in as ${values.as}`);
  }
  const response = await page.goto(urlPath);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`${response?.status()} ${page.url()} → ${out}`);
} finally {
  await browser.close();
  await server.close();
}
