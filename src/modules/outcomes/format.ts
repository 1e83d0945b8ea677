import { pounds } from '../../platform/calendar.ts';
import { SUPPRESSED_MARK } from './exports/csv.ts';
import { type Cell, isSuppressed, type ReportColumn } from './report-table.ts';

export { SUPPRESSED_MARK };

/** A cell as text for people: on the page, in the printable report and in the PDF. Exports of data keep numbers as numbers. */
export function formatCell(column: ReportColumn, cell: Cell | undefined): string {
  if (isSuppressed(cell)) return SUPPRESSED_MARK;
  if (cell === null || cell === undefined || cell === '') return column.kind === 'label' || column.kind === 'text' ? '' : 'n/a';
  if (typeof cell === 'string') return cell;
  switch (column.kind) {
    case 'percent':
      return `${(cell * 100).toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;
    case 'money':
      return pounds(cell);
    case 'days':
    case 'number':
      return cell.toLocaleString('en-GB', { maximumFractionDigits: 1 });
    default:
      return cell.toLocaleString('en-GB');
  }
}

export function isNumericColumn(column: ReportColumn): boolean {
  return column.kind !== 'label' && column.kind !== 'text';
}
