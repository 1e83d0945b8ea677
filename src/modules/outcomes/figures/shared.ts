import type { CohortSpec } from '../queries/cohort.ts';

export const NOT_RECORDED = 'not_recorded';
export const NOT_RECORDED_LABEL = 'Not recorded';

/** The reporting period and as-at date every figure is measured against. */
export interface Period {
  from: string;
  to: string;
  asAt: string;
}

/** The reference lists whose labels the report prints. */
export const REPORT_LISTS = ['offence_category', 'diagnosis', 'referral_source', 'sex', 'ethnicity', 'prison', 'exit_reason', 'soc_major_group'] as const;

/** The cohort as the employment-metrics hooks take it: the organisations apart. */
export function hookCohort(spec: CohortSpec) {
  const { organisationIds: _organisationIds, ...cohort } = spec;
  return cohort;
}

export interface CodedCount<T> {
  code: string | null;
  value: T;
}

/**
 * Orders coded rows as a reference list orders its items, then codes the
 * list does not know (kept, labelled with the code), then "not recorded" last.
 */
export function inListOrder<T>(items: ReadonlyArray<{ code: string; label: string }>, rows: CodedCount<T>[]): Array<{ key: string; label: string; value: T }> {
  const position = new Map(items.map((item, index) => [item.code, index]));
  const label = new Map(items.map((item) => [item.code, item.label]));
  const known = rows.filter((row): row is CodedCount<T> & { code: string } => row.code !== null);
  known.sort((a, b) => (position.get(a.code) ?? Number.MAX_SAFE_INTEGER) - (position.get(b.code) ?? Number.MAX_SAFE_INTEGER) || a.code.localeCompare(b.code));
  const ordered = known.map((row) => ({ key: row.code, label: label.get(row.code) ?? row.code, value: row.value }));
  const missing = rows.find((row) => row.code === null);
  if (missing) ordered.push({ key: NOT_RECORDED, label: NOT_RECORDED_LABEL, value: missing.value });
  return ordered;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM' as 'Apr 2026'. */
export function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTHS[Number(number) - 1]} ${year}`;
}
