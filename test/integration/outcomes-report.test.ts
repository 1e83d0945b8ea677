import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/platform/audit/service.ts';
import { createCommission } from '../../src/modules/organisations/service.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, personWithEpisode } from '../support/journey.ts';

/**
 * The outcomes report as its users reach it: who sees which organisations,
 * disclosure control for commissioners and publication, bad requests, the
 * downloads and the audit trail. The figures themselves are tested on
 * hand-made cohorts in outcomes-figures*.test.ts.
 */
const PERIOD = 'from=2026-01-01&to=2026-03-31&asAt=2026-06-30';
const NAME = 'Quillfeather';

/** The text of a cell on the page, by its row and column keys. */
function pageCell(body: string, rowKey: string, columnKey: string): string | undefined {
  const match = new RegExp(`data-cell="${rowKey}\\.${columnKey}">([\\s\\S]*?)</td>`).exec(body);
  return match?.[1].replace(/<[^>]+>/g, '').trim();
}

interface ApiTable {
  id: string;
  columns: Array<{ key: string; label: string }>;
  rows: Array<{ key: string; cells: Record<string, unknown> }>;
}

function apiTable(report: { sections: Array<{ tables: ApiTable[] }> }, id: string): ApiTable {
  const table = report.sections.flatMap((section) => section.tables).find((candidate) => candidate.id === id);
  assert.ok(table, `table ${id} is in the report`);
  return table;
}

function apiCell(report: { sections: Array<{ tables: ApiTable[] }> }, tableId: string, rowKey: string, columnKey: string): unknown {
  return apiTable(report, tableId).rows.find((row) => row.key === rowKey)?.cells[columnKey];
}

describe(`outcomes report: access, disclosure and downloads (${databaseLabel()})`, () => {
  let t: TestApp;
  let provider: { id: string; teamId: string };
  let otherProvider: { id: string; teamId: string };
  let commissionerOrg: { id: string; teamId: string };
  let commissionId: string;
  let otherCommissionId: string;
  let manager: Browser;
  let commissioner: Browser;

  before(async () => {
    t = await createTestApp();
    provider = await t.organisation('Report Provider');
    otherProvider = await t.organisation('Other Report Provider');
    commissionerOrg = await t.organisation('Report Commissioner', 'commissioner');
    const otherCommissioner = await t.organisation('Other Commissioner', 'commissioner');
    commissionId = (
      await createCommission(t.deps.db, SYSTEM_ACTOR, {
        organisationId: commissionerOrg.id,
        name: 'Resettlement 2026',
        startsOn: '2026-01-01',
        endsOn: null,
        providerIds: [provider.id],
      })
    ).id;
    otherCommissionId = (
      await createCommission(t.deps.db, SYSTEM_ACTOR, {
        organisationId: otherCommissioner.id,
        name: 'Someone else’s',
        startsOn: '2026-01-01',
        endsOn: null,
        providerIds: [otherProvider.id],
      })
    ).id;

    // The provider: 6 referrals in the period, 5 of them engaged (2 community contacts), 1 met in custody only.
    for (let index = 0; index < 5; index += 1) {
      const { episodeId } = await personWithEpisode(t, provider.id, { referredOn: '2026-02-02', givenName: NAME, teamId: provider.teamId });
      await contactFor(t, provider.id, episodeId, { at: '2026-03-02T10:00:00Z' });
      await contactFor(t, provider.id, episodeId, { at: '2026-03-09T10:00:00Z' });
    }
    const custodyOnly = await personWithEpisode(t, provider.id, { referredOn: '2026-02-03', givenName: NAME });
    await contactFor(t, provider.id, custodyOnly.episodeId, { at: '2026-02-10T10:00:00Z', setting: 'prison' });
    // Outside the period: never counted.
    await personWithEpisode(t, provider.id, { referredOn: '2025-12-31', givenName: NAME });
    // Another provider's 3 referrals: never counted for this provider or this commission.
    for (let index = 0; index < 3; index += 1) await personWithEpisode(t, otherProvider.id, { referredOn: '2026-02-02', givenName: NAME });

    manager = (await t.signedIn(provider.id, 'manager')).browser;
    commissioner = (await t.signedIn(commissionerOrg.id, 'commissioner')).browser;
  });
  after(() => t.close());

  test('a manager sees their own organisation’s figures, unsuppressed', async () => {
    const page = await manager.get(`/reports/outcomes?${PERIOD}`);
    assert.equal(page.statusCode, 200);
    assert.equal(pageCell(page.body, 'referred', 'count'), '6');
    assert.equal(pageCell(page.body, 'met_in_custody', 'count'), '1');
    assert.equal(pageCell(page.body, 'engaged', 'count'), '5');
    assert.match(page.body, /Not applied: these figures are for the organisation’s own use/);
    assert.doesNotMatch(page.body, new RegExp(NAME), 'no person is named in a report');
  });

  test('a commissioner sees its commission’s providers only, with small counts hidden, and no person', async () => {
    const page = await commissioner.get(`/reports/outcomes?${PERIOD}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Resettlement 2026/);
    assert.equal(pageCell(page.body, 'referred', 'count'), '6', 'the other provider’s referrals are not counted');
    assert.equal(pageCell(page.body, 'met_in_custody', 'count'), '[c]suppressed', 'a count of 1 is hidden');
    assert.equal(pageCell(page.body, 'engaged', 'count'), '5');
    assert.match(page.body, /Disclosure control applied/);
    assert.doesNotMatch(page.body, new RegExp(NAME));

    const token = await apiTokenFor(t, commissionerOrg.id, 'commissioner');
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/reports/outcomes?${PERIOD}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 200);
    assert.doesNotMatch(api.body, new RegExp(NAME));
    const report = api.json();
    assert.equal(report.disclosure.applied, true);
    assert.deepEqual(report.scope.organisations.map((organisation: { id: string }) => organisation.id), [provider.id]);
    assert.deepEqual(apiCell(report, 'funnel', 'met_in_custody', 'count'), { suppressed: 'primary' });
    assert.deepEqual(apiCell(report, 'funnel', 'met_in_custody', 'rate_referred'), { suppressed: 'dependent' });

    const csv = await commissioner.get(`/reports/outcomes/tables/funnel/csv?${PERIOD}`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(csv.body, /\[c\]/);
    assert.doesNotMatch(csv.body, new RegExp(NAME));
  });

  test('a commissioner cannot ask for another commissioner’s commission, nor a provider for another’s team', async () => {
    assert.equal((await commissioner.get(`/reports/outcomes?${PERIOD}&commissionId=${otherCommissionId}`)).statusCode, 404);
    assert.equal((await manager.get(`/reports/outcomes?${PERIOD}&teamId=${otherProvider.teamId}`)).statusCode, 404);
    const token = await apiTokenFor(t, provider.id, 'manager');
    const api = await t.app.inject({
      method: 'GET',
      url: `/api/v1/reports/outcomes?${PERIOD}&teamId=${otherProvider.teamId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(api.statusCode, 404);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    // A provider may narrow to a commission that covers it (to see its targets), and to its own team.
    assert.equal((await manager.get(`/reports/outcomes?${PERIOD}&commissionId=${commissionId}`)).statusCode, 200);
    const team = await manager.get(`/reports/outcomes?${PERIOD}&teamId=${provider.teamId}`);
    assert.equal(pageCell(team.body, 'referred', 'count'), '5', 'the custody-only referral has no team');
  });

  test('a period that ends before it starts is a clear error, on the page and the API', async () => {
    const page = await manager.get('/reports/outcomes?from-day=1&from-month=6&from-year=2026&to-day=1&to-month=1&to-year=2026');
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /govuk-error-summary/);
    assert.match(page.body, /The start of the referral period must be on or before its end/);
    assert.match(page.body, /name="from-month"[^>]*value="6"/, 'what was typed is kept');

    const token = await apiTokenFor(t, provider.id, 'manager');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/reports/outcomes?from=2026-06-01&to=2026-01-01', headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 400);
    assert.match(api.body, /The start of the referral period must be on or before its end/);
    const impossible = await t.app.inject({ method: 'GET', url: '/api/v1/reports/outcomes?from=2026-02-30', headers: { authorization: `Bearer ${token}` } });
    assert.equal(impossible.statusCode, 400);
  });

  test('an empty cohort is a report of zeros, with no rate and no error', async () => {
    const token = await apiTokenFor(t, provider.id, 'manager');
    const api = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports/outcomes?from=2020-01-01&to=2020-01-31&asAt=2020-12-31',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(api.statusCode, 200);
    const report = api.json();
    assert.equal(apiCell(report, 'funnel', 'referred', 'count'), 0);
    assert.equal(apiCell(report, 'funnel', 'engaged', 'count'), 0);
    assert.equal(apiCell(report, 'funnel', 'engaged', 'rate_referred'), null);
    const page = await manager.get('/reports/outcomes?from=2020-01-01&to=2020-01-31&asAt=2020-12-31');
    assert.equal(page.statusCode, 200);
    assert.equal(pageCell(page.body, 'referred', 'count'), '0');
    assert.doesNotMatch(page.body, /NaN|Infinity/);
  });

  test('marked for publication, a provider’s own report hides small counts too', async () => {
    const page = await manager.get(`/reports/outcomes?${PERIOD}&publication=1`);
    assert.equal(pageCell(page.body, 'met_in_custody', 'count'), '[c]suppressed');
  });

  test('every table downloads as CSV and XLSX, the whole report as XLSX and PDF, and each export is audited', async () => {
    const xlsx = await manager.get(`/reports/outcomes/xlsx?${PERIOD}`);
    assert.equal(xlsx.statusCode, 200);
    assert.match(String(xlsx.headers['content-disposition']), /attachment; filename="outcomes-2026-01-01-to-2026-03-31.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const funnel = workbook.getWorksheet('funnel');
    assert.ok(funnel, 'a sheet per table');
    const values: unknown[] = [];
    funnel.eachRow((row) => values.push(...(row.values as unknown[])));
    assert.ok(values.includes(6), 'the referred count is a number in the sheet');

    const one = await manager.get(`/reports/outcomes/tables/sex/xlsx?${PERIOD}`);
    assert.equal(one.statusCode, 200);
    assert.equal((await manager.get(`/reports/outcomes/tables/no-such-table/csv?${PERIOD}`)).statusCode, 404);

    const pdf = await manager.get(`/reports/outcomes/pdf?${PERIOD}`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

    const print = await manager.get(`/reports/outcomes/print?${PERIOD}`);
    assert.equal(print.statusCode, 200);
    assert.equal(pageCell(print.body, 'referred', 'count'), '6');

    const events = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('organisation_id', '=', provider.id)
      .where('action', 'in', ['report.outcomes.viewed', 'report.outcomes.exported'])
      .execute();
    const formats = new Set(events.map((event) => (event.detail as { format: string }).format));
    for (const format of ['page', 'xlsx', 'pdf', 'print', 'csv']) assert.ok(formats.has(format), `${format} is audited`);
    assert.ok(events.some((event) => event.action === 'report.outcomes.exported'));
  });
});
