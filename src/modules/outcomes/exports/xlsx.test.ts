import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sampleReport } from '../../../../test/support/outcomes-report.ts';
import { isSuppressed, type OutcomesReport } from '../report-table.ts';
import { reportToXlsx, sheetName } from './xlsx.ts';

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

function values(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push((row.values as unknown[]).slice(1).map((value) => value ?? null));
  });
  return rows;
}

describe('XLSX export', () => {
  test('the About sheet says what was counted, for whom, when and how it was protected', async () => {
    const report = sampleReport();
    const workbook = await readBack(await reportToXlsx(report));
    assert.equal(workbook.worksheets[0].name, 'About');
    const about = new Map(values(workbook.worksheets[0]).filter((row) => row.length === 2).map((row) => [row[0], row[1]]));
    assert.equal(values(workbook.worksheets[0])[0][0], 'Outcomes report: West Yorkshire IPS 2025');
    assert.equal(about.get('Referral period'), '1 April 2025 to 30 June 2025');
    assert.equal(about.get('As at'), '30 September 2025');
    assert.equal(about.get('Organisations'), 'Northgate Trust; Café Ŵork CIC');
    assert.equal(about.get('Commission'), 'West Yorkshire IPS 2025');
    assert.equal(about.get('Team'), 'North');
    assert.equal(about.get('Generated at'), '1 October 2025 at 09:30', 'UK summer time');
    assert.equal(about.get('Disclosure control'), report.disclosure.method);
  });

  test('each table is a sheet whose cells read back as the report: numbers as numbers, percentages formatted, [c] for hidden cells, notes under it', async () => {
    const report = sampleReport();
    const workbook = await readBack(await reportToXlsx(report));
    const tables = report.sections.flatMap((section) => section.tables);
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['About', 'funnel', 'monthly', 'breakdown-by-prison-of-release', 'time-to-first-job-bands', 'cost'],
    );
    tables.forEach((table, index) => {
      const sheet = workbook.worksheets[index + 1];
      const rows = values(sheet);
      assert.equal(rows[0][0], table.title);
      assert.deepEqual(rows[1], table.columns.map((column) => column.label));
      assert.equal(sheet.getRow(2).font?.bold, true, 'the header row is bold');
      table.rows.forEach((row, r) => {
        table.columns.forEach((column, c) => {
          const cell = row.cells[column.key];
          const expected = isSuppressed(cell) ? '[c]' : (cell ?? null);
          assert.deepEqual(rows[r + 2][c] ?? null, expected, `${table.id} ${row.key} ${column.key}`);
          if (column.kind === 'percent' && typeof cell === 'number') assert.equal(sheet.getRow(r + 3).getCell(c + 1).numFmt, '0.0%');
        });
      });
    });
    const byPrison = values(workbook.getWorksheet('breakdown-by-prison-of-release')!);
    assert.deepEqual(byPrison[3], ['HMP Hull, "B" wing', '[c]', '[c]', '[c]', '[c]']);
    assert.equal(byPrison[4][0], '=HYPERLINK("x")', 'written as text, not as a formula');
    assert.deepEqual(byPrison.slice(-2), [['A person is counted under the prison they were last released from.'], [`[c]: ${report.disclosure.method}`]]);
    const funnel = workbook.getWorksheet('funnel')!;
    assert.equal(funnel.getCell('B3').value, 120);
    assert.equal(funnel.getCell('B3').numFmt, '#,##0');
    assert.equal(funnel.getCell('D4').value, '[c]');
  });

  test('only the tables asked for are written', async () => {
    const workbook = await readBack(await reportToXlsx(sampleReport(), ['monthly']));
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['About', 'monthly'],
    );
  });

  test('sheet names are at most 31 characters, unique ignoring case, and never About', () => {
    const taken = new Set(['about', 'history']);
    assert.equal(sheetName('a'.repeat(40), taken), 'a'.repeat(31));
    assert.equal(sheetName('a'.repeat(35), taken), `${'a'.repeat(29)}-2`);
    assert.equal(sheetName('About', taken), 'About-2');
    assert.equal(sheetName('x/y[1]', taken), 'x-y-1');
  });

  test('a report without disclosure control says so and writes its small counts', async () => {
    const report: OutcomesReport = sampleReport({ applied: false });
    const workbook = await readBack(await reportToXlsx(report));
    const funnel = values(workbook.getWorksheet('funnel')!);
    assert.equal(funnel[3][1], 3);
    const about = values(workbook.worksheets[0]).find((row) => row[0] === 'Disclosure control');
    assert.match(String(about?.[1]), /^Not applied/);
  });
});
