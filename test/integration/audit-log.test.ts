import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as audit from '../../src/platform/audit/service.ts';
import type { Browser } from '../support/browser-session.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

/** The body rows of the page's table, each as its cells' text. */
function tableRows(html: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
  );
}

function olderLink(html: string): string | undefined {
  const href = /<a[^>]*href="([^"]+)"[^>]*rel="next"/.exec(html)?.[1];
  return href?.replace(/&amp;/g, '&');
}

/** Today's date in the UK, moved by whole calendar days (not 24-hour steps, which a clock change would upset). */
function londonDate(offsetDays = 0): { day: string; month: string; year: string } {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day + offsetDays));
  return { day: String(date.getUTCDate()), month: String(date.getUTCMonth() + 1), year: String(date.getUTCFullYear()) };
}

function dateQuery(prefix: string, date: { day: string; month: string; year: string }): string {
  return `${prefix}-day=${date.day}&${prefix}-month=${date.month}&${prefix}-year=${date.year}`;
}

describe(`audit log page (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;
  let otherOrganisationId: string;
  let admin: Browser;
  let adminUserId: string;
  let colleague: { id: string; email: string };
  let stranger: { id: string; email: string };

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('Audit Org')).id;
    otherOrganisationId = (await t.organisation('Elsewhere Org')).id;
    ({ browser: admin, userId: adminUserId } = await t.signedIn(organisationId, 'organisation_admin'));
    colleague = await t.user(organisationId, 'practitioner');
    stranger = await t.user(otherOrganisationId, 'practitioner');

    const actor = { userId: adminUserId, label: 'Audit admin' };
    for (let n = 0; n < 60; n += 1) {
      await audit.record(t.deps.db, { organisationId, actor, action: 'test.paged', subjectType: 'thing', subjectId: `thing-${n % 2}`, detail: { n } });
    }
    // Shares the prefix "test.paged", so an exact filter must leave it out.
    await audit.record(t.deps.db, { organisationId, actor, action: 'test.paged-extra', detail: { n: 'extra' } });
    await audit.record(t.deps.db, {
      organisationId,
      actor: { userId: colleague.id, label: 'Colleague' },
      action: 'test.note',
      subjectType: 'person',
      subjectId: 'person-7',
      reason: 'Asked by the person',
      detail: { note: '<script>alert(1)</script>', nested: { a: 1 } },
    });
    await audit.record(t.deps.db, {
      organisationId: otherOrganisationId,
      actor: { userId: stranger.id, label: 'Stranger' },
      action: 'test.paged',
      subjectType: 'thing',
      subjectId: 'thing-0',
      detail: { n: 'elsewhere-secret' },
    });
  });
  after(() => t.close());

  test('lists the organisation’s events newest first, with escaped details', async () => {
    const response = await admin.get('/admin/audit');
    assert.equal(response.statusCode, 200);
    const rows = tableRows(response.body);
    assert.equal(rows.length, 50);
    assert.deepEqual(rows[0].slice(1), ['Colleague', 'test.note', 'person person-7', 'Asked by the person', 'note: &lt;script&gt;alert(1)&lt;/script&gt; nested: {&quot;a&quot;:1}']);
    assert.match(rows[0][0], /^\d{1,2} \w+ \d{4} at \d{2}:\d{2}$/);
    assert.deepEqual(rows[1].slice(1, 3), ['Audit admin', 'test.paged-extra']);
    assert.deepEqual(rows[2][5], 'n: 59');
    assert.ok(!response.body.includes('<script>alert(1)'), 'detail values are escaped');
    assert.match(response.body, /<option value="test.paged">test.paged<\/option>/);
  });

  test('another organisation’s events and people never appear', async () => {
    let url: string | undefined = '/admin/audit?action=test.paged';
    let pages = 0;
    while (url) {
      const response = await admin.get(url);
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /elsewhere-secret|Stranger/);
      url = olderLink(response.body);
      pages += 1;
    }
    assert.equal(pages, 2);
    const options = await admin.get('/admin/audit');
    assert.doesNotMatch(options.body, new RegExp(stranger.id));
    assert.match(options.body, new RegExp(`<option value="${colleague.id}">`));
    const byStranger = await admin.get(`/admin/audit?actor=${stranger.id}`);
    assert.equal(byStranger.statusCode, 400);
    assert.match(byStranger.body, /href="#actor">Select a person from the list/);
    assert.deepEqual(tableRows(byStranger.body), []);
  });

  test('an action filter is exact and survives paging with "Older events"', async () => {
    const first = await admin.get('/admin/audit?action=test.paged');
    const firstRows = tableRows(first.body);
    assert.equal(firstRows.length, 50);
    assert.ok(firstRows.every((row) => row[2] === 'test.paged'));
    assert.deepEqual(firstRows.map((row) => row[5]), Array.from({ length: 50 }, (_, i) => `n: ${59 - i}`));
    assert.match(first.body, /<option value="test.paged" selected>/);

    const older = olderLink(first.body);
    assert.ok(older, 'there is an "Older events" link');
    assert.match(first.body, /Older events/);
    const olderUrl = new URL(older, 'http://localhost');
    assert.equal(olderUrl.searchParams.get('action'), 'test.paged');
    assert.match(olderUrl.searchParams.get('before') ?? '', /^\d+$/);

    const second = await admin.get(older);
    const secondRows = tableRows(second.body);
    assert.deepEqual(secondRows.map((row) => row[5]), Array.from({ length: 10 }, (_, i) => `n: ${9 - i}`));
    assert.equal(olderLink(second.body), undefined, 'the last page has no older link');
    assert.match(second.body, /<option value="test.paged" selected>/, 'the filter is still shown');
    assert.match(second.body, /href="\/admin\/audit\?action=test.paged"[^>]*rel="prev"/, 'a link back to the newest events keeps the filter');
  });

  test('actor and subject filters narrow the list and are kept in paging links', async () => {
    const byColleague = tableRows((await admin.get(`/admin/audit?actor=${colleague.id}`)).body);
    assert.deepEqual(byColleague.map((row) => row[2]), ['test.note']);

    const bySubject = await admin.get('/admin/audit?subject=thing-1');
    const rows = tableRows(bySubject.body);
    assert.equal(rows.length, 30);
    assert.ok(rows.every((row) => row[3] === 'thing thing-1'));
    assert.match(bySubject.body, /id="subject" name="subject" type="text" spellcheck="false" value="thing-1"/);

    const combined = await admin.get(`/admin/audit?actor=${adminUserId}&subject=thing-0&action=test.paged`);
    assert.equal(tableRows(combined.body).length, 30);
    const beyond = await admin.get(`/admin/audit?actor=${adminUserId}&action=test.paged`);
    const older = new URL(olderLink(beyond.body)!, 'http://localhost');
    assert.equal(older.searchParams.get('actor'), adminUserId);
    assert.equal(older.searchParams.get('action'), 'test.paged');
  });

  test('date filters include the whole of each day, in UK time', async () => {
    const today = londonDate();
    const sameDay = await admin.get(`/admin/audit?action=test.note&${dateQuery('from', today)}&${dateQuery('to', today)}`);
    assert.equal(sameDay.statusCode, 200);
    assert.deepEqual(tableRows(sameDay.body).map((row) => row[2]), ['test.note']);
    assert.match(sameDay.body, new RegExp(`id="to-day" name="to-day" type="text" value="${today.day}"`));

    const fromTomorrow = await admin.get(`/admin/audit?${dateQuery('from', londonDate(1))}`);
    assert.equal(fromTomorrow.statusCode, 200);
    assert.deepEqual(tableRows(fromTomorrow.body), []);
    assert.match(fromTomorrow.body, /No events match these filters/);

    const untilYesterday = await admin.get(`/admin/audit?${dateQuery('to', londonDate(-1))}`);
    assert.deepEqual(tableRows(untilYesterday.body), []);
  });

  test('impossible, incomplete and back-to-front dates are explained in the error summary', async () => {
    const impossible = await admin.get('/admin/audit?from-day=31&from-month=2&from-year=2025');
    assert.equal(impossible.statusCode, 400);
    assert.match(impossible.body, /govuk-error-summary/);
    assert.match(impossible.body, /href="#from-day">Date from must be a real date/);
    assert.match(impossible.body, /<title>Error: Audit log/);
    assert.deepEqual(tableRows(impossible.body), []);

    const incomplete = await admin.get('/admin/audit?to-day=3&to-month=4');
    assert.equal(incomplete.statusCode, 400);
    assert.match(incomplete.body, /href="#to-year">Date to must include a year/);

    const backwards = await admin.get('/admin/audit?from-day=2&from-month=3&from-year=2025&to-day=1&to-month=3&to-year=2025');
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /href="#to-day">Date to must be the same as or after date from/);
    assert.match(backwards.body, /id="from-day" name="from-day" type="text" value="2"/, 'what was entered is kept');
  });

  test('viewing the audit log is not itself audited', async () => {
    const count = async () => (await t.deps.db.selectFrom('audit_event').select('id').where('organisation_id', '=', organisationId).execute()).length;
    const before = await count();
    await admin.get('/admin/audit');
    await admin.get('/admin/audit?action=test.paged');
    assert.equal(await count(), before);
  });

  test('roles without audit:view are refused', async () => {
    const { browser } = await t.signedIn(organisationId, 'practitioner');
    const response = await browser.get('/admin/audit');
    assert.equal(response.statusCode, 403);
    assert.doesNotMatch(response.body, /test\.paged/);
    const { browser: manager } = await t.signedIn(organisationId, 'manager');
    assert.equal((await manager.get('/admin/audit')).statusCode, 403);
    assert.equal((await t.browser().get('/admin/audit')).statusCode, 302, 'signed out goes to sign in');
  });
});
