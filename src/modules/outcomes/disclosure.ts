import { type Cell, isSuppressed, type OutcomesReport, type ReportTable, type SuppressionReason } from './report-table.ts';

/**
 * Statistical disclosure control (docs/decisions/0017-disclosure-control.md),
 * applied to the report's tables before any output is made from them, so the
 * page, the charts and every download hide the same cells.
 *
 * 1. Primary: a count from 1 to threshold - 1 is hidden. Zero is shown: it
 *    tells no one anything about a person. A row of statistics (a median, a
 *    mean) about 1 to threshold - 1 people (its `basis`) is hidden whole.
 * 2. Secondary: in each group of cells that add up (the rows of an additive
 *    column to its total row; a rowGroups entry, per count column), a hidden
 *    cell must not be the only unknown, or subtraction would give it back.
 *    When it is, the smallest non-zero count still shown among the parts is
 *    hidden too. Zeros are never hidden to protect another cell: when the only
 *    other parts are zeros (or there are none), the total is hidden instead,
 *    since "hidden part + zeros = shown total" would give the part exactly.
 *    Hiding a cell in one group can leave another group with one unknown, so
 *    this repeats until nothing changes.
 * 3. Dependent: a figure worked out from a hidden count is hidden with it
 *    (the column's dependsOn; for a percentage without one, any hidden count
 *    in its row), and so is a percentage whose count is shown but whose
 *    denominator, worked out as count / percentage, is a hidden count of the
 *    table (e.g. "seen in community as a share of met in custody" when met in
 *    custody is hidden).
 *
 * The checks are of single equations, one after another, which is what a
 * reader with a calculator does; they do not solve several equations at once.
 */
export function applyDisclosureControl(report: OutcomesReport): OutcomesReport {
  if (!report.disclosure.applied) return report;
  const threshold = report.disclosure.threshold;
  return {
    ...report,
    sections: report.sections.map((section) => ({ ...section, tables: section.tables.map((table) => protectTable(table, threshold)) })),
  };
}

/** A set of cells in one column where the parts add up to the total. */
export interface AdditiveGroup {
  column: string;
  total: number;
  parts: number[];
}

/** The groups of a table that secondary suppression protects, as row indexes. */
export function additiveGroups(table: ReportTable): AdditiveGroup[] {
  const groups: AdditiveGroup[] = [];
  const totalIndex = table.rows.findIndex((row) => row.isTotal);
  if (totalIndex >= 0) {
    const parts = table.rows.map((_, index) => index).filter((index) => index !== totalIndex);
    for (const column of table.additive ?? []) groups.push({ column, total: totalIndex, parts });
  }
  const indexOf = new Map(table.rows.map((row, index) => [row.key, index]));
  const countColumns = table.columns.filter((column) => column.kind === 'count').map((column) => column.key);
  for (const group of table.rowGroups ?? []) {
    const total = indexOf.get(group.total);
    if (total === undefined) continue;
    const parts = group.parts.map((key) => indexOf.get(key)).filter((index): index is number => index !== undefined);
    for (const column of countColumns) groups.push({ column, total, parts });
  }
  return groups;
}

export function protectTable(table: ReportTable, threshold: number): ReportTable {
  const original = table.rows.map((row) => row.cells);
  const cells: Array<Record<string, Cell>> = table.rows.map((row) => ({ ...row.cells }));
  const hide = (rowIndex: number, column: string, reason: SuppressionReason): boolean => {
    if (isSuppressed(cells[rowIndex][column])) return false;
    cells[rowIndex][column] = { suppressed: reason };
    return true;
  };

  const small = (value: unknown) => typeof value === 'number' && value >= 1 && value < threshold;
  table.rows.forEach((row, rowIndex) => {
    const fewPeople = row.basis !== undefined && small(row.basis);
    for (const column of table.columns) {
      if (column.kind === 'label') continue;
      const value = cells[rowIndex][column.key];
      if (value === null || value === undefined) continue;
      if (fewPeople || (column.kind === 'count' && small(value))) hide(rowIndex, column.key, 'primary');
    }
  });

  const groups = additiveGroups(table);
  let changed = true;
  while (changed) {
    changed = false;
    for (const group of groups) if (protectGroup(group, cells, hide)) changed = true;
    if (hideDependents(table, original, cells, hide)) changed = true;
  }
  return { ...table, rows: table.rows.map((row, index) => ({ ...row, cells: cells[index] })) };
}

type Hide = (rowIndex: number, column: string, reason: SuppressionReason) => boolean;

function protectGroup(group: AdditiveGroup, cells: Array<Record<string, Cell>>, hide: Hide): boolean {
  const cell = (rowIndex: number) => cells[rowIndex][group.column];
  const totalHidden = isSuppressed(cell(group.total));
  const hiddenParts = group.parts.filter((rowIndex) => isSuppressed(cell(rowIndex))).length;
  const exposed = totalHidden ? hiddenParts === 0 : hiddenParts === 1;
  if (!exposed) return false;
  let smallest: number | undefined;
  for (const rowIndex of group.parts) {
    const value = cell(rowIndex);
    if (typeof value !== 'number' || value === 0) continue;
    if (smallest === undefined || value < (cell(smallest) as number)) smallest = rowIndex;
  }
  if (smallest !== undefined) return hide(smallest, group.column, 'secondary');
  // Only zeros (or nothing) left among the parts: hide the total rather than a zero.
  return totalHidden ? false : hide(group.total, group.column, 'secondary');
}

function hideDependents(table: ReportTable, original: Array<Record<string, Cell>>, cells: Array<Record<string, Cell>>, hide: Hide): boolean {
  const countColumns = table.columns.filter((column) => column.kind === 'count');
  const hiddenCounts: number[] = [];
  cells.forEach((row, rowIndex) => {
    for (const column of countColumns) {
      const value = original[rowIndex][column.key];
      if (isSuppressed(row[column.key]) && typeof value === 'number') hiddenCounts.push(value);
    }
  });
  let changed = false;
  cells.forEach((row, rowIndex) => {
    for (const column of table.columns) {
      if (column.kind === 'label' || isSuppressed(row[column.key])) continue;
      const hidden = column.dependsOn
        ? isSuppressed(row[column.dependsOn]) || (column.kind === 'percent' && revealsHiddenDenominator(row[column.dependsOn], row[column.key], hiddenCounts))
        : column.kind === 'percent' && countColumns.some((count) => isSuppressed(row[count.key]));
      if (hidden && hide(rowIndex, column.key, 'dependent')) changed = true;
    }
  });
  return changed;
}

/** count / rate is the rate's denominator: if that is a hidden count, showing both gives it back. */
function revealsHiddenDenominator(count: Cell, share: Cell, hiddenCounts: number[]): boolean {
  if (typeof count !== 'number' || typeof share !== 'number' || count === 0 || share === 0) return false;
  const denominator = count / share;
  return hiddenCounts.some((value) => Math.abs(value - denominator) < 0.5);
}
