import { type Cell, isSuppressed, type ReportColumn, type ReportTable } from '../report-table.ts';

/** The ONS mark for a confidential (suppressed) figure. */
export const SUPPRESSED_MARK = '[c]';

const BYTE_ORDER_MARK = '\uFEFF';

/** Column headings as downloads write them: a percentage says so, since it is written as 12.5 not 0.125. */
export function columnHeading(column: ReportColumn): string {
  return column.kind === 'percent' ? `${column.label} (%)` : column.label;
}

/** A cell as text for a download: "[c]" when hidden, a percentage to 1 decimal place, empty when there is no figure. */
export function cellText(column: ReportColumn, cell: Cell | undefined): string {
  if (isSuppressed(cell)) return SUPPRESSED_MARK;
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return '';
  if (column.kind === 'percent') return (cell * 100).toFixed(1);
  if (column.kind === 'money') return cell.toFixed(2);
  return String(cell);
}

/**
 * A spreadsheet opening the file would run text starting with one of these as
 * a formula (OWASP "CSV injection"): a quote in front makes it plain text.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One table as RFC 4180 CSV (CRLF line ends, quotes doubled), with a byte
 * order mark so Excel reads it as UTF-8. The table's notes, and the
 * disclosure method when given, follow the figures after an empty line.
 */
export function tableToCsv(table: ReportTable, options: { disclosureMethod?: string } = {}): string {
  const lines = [table.columns.map((column) => field(neutraliseFormula(columnHeading(column))))];
  for (const row of table.rows) {
    lines.push(
      table.columns.map((column) => {
        const cell = row.cells[column.key];
        const text = cellText(column, cell);
        return field(typeof cell === 'string' ? neutraliseFormula(text) : text);
      }),
    );
  }
  const notes = [...(table.notes ?? [])];
  if (options.disclosureMethod) notes.push(`${SUPPRESSED_MARK}: ${options.disclosureMethod}`);
  if (notes.length > 0) {
    lines.push([]);
    for (const note of notes) lines.push([field(neutraliseFormula(note))]);
  }
  return BYTE_ORDER_MARK + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}
