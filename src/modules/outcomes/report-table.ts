/**
 * The outcomes report is a list of sections of tables, and every output is
 * made from those tables alone: the page, the charts, CSV, XLSX, the printable
 * page, the PDF and the API's JSON. Disclosure control works on the tables too,
 * so whatever a commissioner downloads has had the same cells suppressed as
 * what they saw.
 */

export type ColumnKind = 'label' | 'count' | 'percent' | 'number' | 'days' | 'money' | 'text';

export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
  /** For a percentage or a statistic: the count column it is worked out from, so suppressing that count hides it too. */
  dependsOn?: string;
}

/** Why a cell is hidden: a small count, a cell hidden so a small count cannot be worked out, or a figure worked out from a hidden one. */
export type SuppressionReason = 'primary' | 'secondary' | 'dependent';

export interface SuppressedCell {
  suppressed: SuppressionReason;
}

export type CellValue = string | number | null;
export type Cell = CellValue | SuppressedCell;

export interface ReportRow {
  /** Stable within the table (a reference-list code, a stage, a month): used by tests and the API. */
  key: string;
  cells: Record<string, Cell>;
  /** The row that the other rows add up to, for the columns in ReportTable.additive. */
  isTotal?: boolean;
  /** For a row of statistics (a median, a mean, a cost per head): how many people it describes, so a small group can be hidden. */
  basis?: number;
}

export interface ReportTable {
  /** A slug: unique in the report, used in URLs, file names and sheet names. */
  id: string;
  title: string;
  /** The id of its definition in definitions.ts (and docs/metrics.md). */
  metric: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Count columns whose non-total rows add up to the total row: secondary suppression protects them. */
  additive?: string[];
  /** Rows whose count cells add up to another row's (e.g. into work = engaged + not engaged): secondary suppression protects these too. */
  rowGroups?: Array<{ total: string; parts: string[] }>;
  /** Shown under the table, e.g. "Mentoring is not yet recorded in Throughgate". */
  notes?: string[];
}

export interface ReportSection {
  id: string;
  title: string;
  tables: ReportTable[];
}

export interface ReportFilters {
  teamId?: string;
  prisonCode?: string;
  sourceCode?: string;
  commissionId?: string;
}

/** What was asked for, already checked: dates are YYYY-MM-DD with from <= to. */
export interface ReportRequest extends ReportFilters {
  from: string;
  to: string;
  asAt: string;
  /** An export marked for publication: disclosure control applies whoever asks. */
  publication: boolean;
}

export interface ReportScope {
  organisations: Array<{ id: string; name: string }>;
  commission?: { id: string; name: string };
  /** Labels of the filters in force, for the report's heading: e.g. { Team: 'North', Prison: 'HMP Leeds' }. */
  filterLabels: Record<string, string>;
}

export interface DisclosureControl {
  applied: boolean;
  /** Counts from 1 up to threshold - 1 are suppressed. */
  threshold: number;
  method: string;
}

export interface OutcomesReport {
  request: ReportRequest;
  scope: ReportScope;
  disclosure: DisclosureControl;
  generatedAt: string;
  sections: ReportSection[];
}

export function isSuppressed(cell: Cell | undefined): cell is SuppressedCell {
  return typeof cell === 'object' && cell !== null && 'suppressed' in cell;
}

/** A rate that is null, not NaN or Infinity, when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function findTable(report: OutcomesReport, id: string): ReportTable | undefined {
  for (const section of report.sections) {
    const table = section.tables.find((candidate) => candidate.id === id);
    if (table) return table;
  }
  return undefined;
}
