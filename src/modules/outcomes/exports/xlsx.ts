import type { Worksheet } from 'exceljs';
import { isSuppressed, type OutcomesReport, type ReportColumn, type ReportTable } from '../report-table.ts';
import { aboutRows, reportTitle } from './about.ts';
import { SUPPRESSED_MARK } from './csv.ts';

const NUMBER_FORMATS: Partial<Record<ReportColumn['kind'], string>> = {
  count: '#,##0',
  percent: '0.0%',
  money: '"£"#,##0.00',
  days: '0.0',
  number: '#,##0.0',
};

/**
 * The report as a workbook: an "About" sheet saying what was counted and how
 * it was protected, then one sheet per table (all, or those named). Figures
 * are numbers a spreadsheet can work with; percentages are fractions shown
 * with a percentage format; a hidden cell is the text "[c]". Text is written
 * as text (never a formula), so a category name cannot run as one.
 */
export async function reportToXlsx(report: OutcomesReport, tableIds?: string[]): Promise<Buffer> {
  // Loaded at the first download, not at start-up: exceljs is a quarter of a second of module loading.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Throughgate';
  workbook.title = reportTitle(report);
  workbook.created = new Date(report.generatedAt);

  const about = workbook.addWorksheet('About');
  about.getColumn(1).width = 22;
  about.getColumn(2).width = 100;
  about.addRow([reportTitle(report)]).font = { bold: true, size: 14 };
  about.addRow([]);
  for (const [label, value] of aboutRows(report)) {
    const row = about.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  about.addRow([]);
  about.addRow(['Sheet', 'Table']).font = { bold: true };

  const tables = report.sections.flatMap((section) => section.tables).filter((table) => !tableIds || tableIds.includes(table.id));
  const names = new Set(['about', 'history']);
  for (const table of tables) {
    const name = sheetName(table.id, names);
    about.addRow([name, table.title]);
    writeTableSheet(workbook.addWorksheet(name), table, report);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Excel's rules: at most 31 characters, none of []:*?/\, unique ignoring case ("History" is reserved). */
export function sheetName(id: string, taken: Set<string>): string {
  const base = id.replace(/[[\]:*?/\\]/g, '-').replace(/^'+|'+$/g, '').slice(0, 31).replace(/-+$/, '') || 'Table';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function writeTableSheet(sheet: Worksheet, table: ReportTable, report: OutcomesReport): void {
  sheet.addRow([table.title]).font = { bold: true, size: 13 };
  const header = sheet.addRow(table.columns.map((column) => column.label));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'bottom' };
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  table.columns.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.kind === 'label' || column.kind === 'text' ? 40 : Math.max(12, Math.min(30, column.label.length + 2));
  });

  for (const reportRow of table.rows) {
    const row = sheet.addRow(
      table.columns.map((column) => {
        const cell = reportRow.cells[column.key];
        if (isSuppressed(cell)) return SUPPRESSED_MARK;
        if (typeof cell === 'number' && !Number.isFinite(cell)) return null;
        return cell ?? null;
      }),
    );
    if (reportRow.isTotal) row.font = { bold: true };
    table.columns.forEach((column, index) => {
      const cell = row.getCell(index + 1);
      const format = NUMBER_FORMATS[column.kind];
      if (typeof cell.value === 'number' && format) cell.numFmt = format;
      if (cell.value === SUPPRESSED_MARK) cell.alignment = { horizontal: 'right' };
    });
  }

  const notes = [...(table.notes ?? [])];
  const anyHidden = table.rows.some((row) => Object.values(row.cells).some(isSuppressed));
  if (anyHidden) notes.push(`${SUPPRESSED_MARK}: ${report.disclosure.method}`);
  if (notes.length > 0) {
    sheet.addRow([]);
    for (const note of notes) sheet.addRow([note]);
  }
}
