/**
 * A practitioner opens the outcomes report in Chromium with axe, narrows the
 * cohort's referral dates, downloads the XLSX and finds the same figures in
 * it as on the page. Then the demo commissioner opens the same report for its
 * commission: the small counts are hidden. The cohort is inserted directly
 * (other tests cover making records through the pages).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { recomputeEpisodes } from '../../src/modules/engagement/service.ts';
import { DEMO_ORGANISATION } from '../../src/platform/demo-data.ts';
import { clickAndLoad, daysAgo, DEMO_PASSWORD, expectAccessible, finish, journeySteps, launchBrowser, newPage, signIn, startServer, visit } from './support.ts';

describe('outcomes report: switch the cohort, download the XLSX, the same figures', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startServer();
    const db = server.runtime.deps.db;
    const organisation = await db.selectFrom('organisation').select('id').where('name', '=', DEMO_ORGANISATION).executeTakeFirstOrThrow();
    // 3 people referred 200 days ago and 4 referred 50 days ago; of the recent 4, 3 engaged (two community contacts each).
    const episodeIds: string[] = [];
    for (const [index, referred] of [200, 200, 200, 50, 50, 50, 50].entries()) {
      const person = await db
        .insertInto('person')
        .values({ organisation_id: organisation.id, given_name: 'Report', family_name: `Cohort${index}`, date_of_birth: '1990-03-03' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const referredOn = daysAgo(referred).iso;
      const episode = await db
        .insertInto('episode')
        .values({ organisation_id: organisation.id, person_id: person.id, referred_on: referredOn })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('referral')
        .values({ episode_id: episode.id, organisation_id: organisation.id, received_on: referredOn, status: 'accepted', source_code: 'probation' })
        .execute();
      if (index >= 4) {
        for (const days of [40, 33]) {
          await db
            .insertInto('contact')
            .values({
              organisation_id: organisation.id,
              episode_id: episode.id,
              occurred_at: new Date(`${daysAgo(days).iso}T11:00:00Z`),
              type_code: 'face_to_face',
              setting_code: 'community',
              with_code: 'person',
            })
            .execute();
        }
      }
      episodeIds.push(episode.id);
    }
    await recomputeEpisodes(db, organisation.id, episodeIds);
    browser = await launchBrowser();
    page = await newPage(browser, server.baseUrl, { acceptDownloads: true });
  });
  after(async () => {
    if (page) await finish(page);
    await browser?.close();
    await server?.close();
  });

  const step = journeySteps();
  const cell = async (rowKey: string, columnKey: string) =>
    ((await page.locator(`[data-cell="${rowKey}.${columnKey}"]`).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  step('the report opens on the last year of referrals', async () => {
    await signIn(page, 'specialist@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Outcomes report' }));
    await expectAccessible(page);
    assert.equal(await page.locator('h1').textContent(), 'Outcomes report');
    assert.equal(await cell('referred', 'count'), '7');
    assert.equal(await cell('engaged', 'count'), '3');
    assert.equal(await page.locator('svg[role="img"]').count() >= 1, true, 'the funnel chart is drawn');
  });

  step('switching the referral dates narrows the cohort', async () => {
    const from = daysAgo(100);
    await page.locator('#from-day').fill(from.day);
    await page.locator('#from-month').fill(from.month);
    await page.locator('#from-year').fill(from.year);
    await clickAndLoad(page, page.getByRole('button', { name: 'Update report' }));
    await expectAccessible(page);
    assert.equal(await page.locator('.govuk-error-summary').count(), 0);
    assert.equal(await cell('referred', 'count'), '4');
    assert.equal(await cell('engaged', 'count'), '3');
  });

  step('a period that ends before it starts is explained', async () => {
    await page.locator('#to-year').fill(String(Number(daysAgo(0).year) - 2));
    await clickAndLoad(page, page.getByRole('button', { name: 'Update report' }));
    await expectAccessible(page);
    assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /The start of the referral period must be on or before its end/);
    await page.locator('#to-year').fill(daysAgo(0).year);
    await page.locator('#to-month').fill(daysAgo(0).month);
    await page.locator('#to-day').fill(daysAgo(0).day);
    await clickAndLoad(page, page.getByRole('button', { name: 'Update report' }));
    await expectAccessible(page);
    assert.equal(await cell('referred', 'count'), '4');
  });

  step('the XLSX download opens with the same figures', async () => {
    const onPage = { referred: Number(await cell('referred', 'count')), engaged: Number(await cell('engaged', 'count')) };
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-xlsx').click()]);
    assert.match(download.suggestedFilename(), /^outcomes-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(await download.path())).buffer as ArrayBuffer);
    const sheet = workbook.getWorksheet('funnel');
    assert.ok(sheet, 'the funnel has its own sheet');
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    // The sheet starts with the table's title, then its header row.
    const header = (rows.find((row) => row.includes('Count')) ?? []).map(String);
    const countColumn = header.indexOf('Count');
    assert.ok(countColumn > 0, 'the funnel sheet has a Count column');
    const labelOf = async (key: string) => ((await page.locator(`tr:has([data-cell="${key}.count"]) th`).first().textContent()) ?? '').trim();
    const rowFor = async (key: string) => {
      const label = await labelOf(key);
      return rows.find((row) => String(row[0]) === label);
    };
    assert.equal((await rowFor('referred'))?.[countColumn], onPage.referred);
    assert.equal((await rowFor('engaged'))?.[countColumn], onPage.engaged);
  });

  step('the commissioner sees the same cohort with small counts hidden', async () => {
    await clickAndLoad(page, page.getByRole('button', { name: 'Sign out' }));
    await expectAccessible(page);
    await signIn(page, 'commissioner@demo.example.org', DEMO_PASSWORD);
    await expectAccessible(page);
    await visit(page, `/reports/outcomes?from=${daysAgo(100).iso}&to=${daysAgo(0).iso}`);
    assert.equal(await cell('referred', 'count'), '[c]suppressed', 'a count of 4 is hidden from a commissioner');
    assert.match((await page.locator('#disclosure').textContent()) ?? '', /Disclosure control applied/);
    assert.equal(await page.getByText('Cohort0').count(), 0, 'no person is named');
  });
});
