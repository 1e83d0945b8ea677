import type { Db } from '../../../platform/db/database.ts';
import type { ReferenceData } from '../../reference-data/service.ts';
import { type AgeSummary, type BreakdownDimension, breakdownCounts } from '../queries/breakdowns.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import { type ReportSection, type ReportTable, rate } from '../report-table.ts';
import { inListOrder } from './shared.ts';

export const AGE_BANDS = [
  { code: 'under_18', label: 'Under 18' },
  { code: '18_24', label: '18 to 24' },
  { code: '25_34', label: '25 to 34' },
  { code: '35_44', label: '35 to 44' },
  { code: '45_54', label: '45 to 54' },
  { code: '55_plus', label: '55 and over' },
] as const;

const BREAKDOWNS: Array<{ dimension: BreakdownDimension; title: string; category: string; list: string | null }> = [
  { dimension: 'offence', title: 'Most recent offence', category: 'Offence category', list: 'offence_category' },
  { dimension: 'diagnosis', title: 'Primary diagnosis', category: 'Diagnosis', list: 'diagnosis' },
  { dimension: 'source', title: 'Referral source', category: 'Referral source', list: 'referral_source' },
  { dimension: 'sex', title: 'Sex', category: 'Sex', list: 'sex' },
  { dimension: 'age', title: 'Age at referral', category: 'Age band', list: null },
  { dimension: 'ethnicity', title: 'Ethnicity', category: 'Ethnicity', list: 'ethnicity' },
  { dimension: 'prison', title: 'Prison', category: 'Prison', list: 'prison' },
];

function breakdownTable(
  spec: (typeof BREAKDOWNS)[number],
  counts: Array<{ code: string | null; referred: number; engaged: number }>,
  reference: ReferenceData,
): ReportTable {
  const items = spec.list ? reference.items(spec.list) : AGE_BANDS;
  const ordered = inListOrder(items, counts.map((row) => ({ code: row.code, value: row })));
  const referred = counts.reduce((sum, row) => sum + row.referred, 0);
  const engaged = counts.reduce((sum, row) => sum + row.engaged, 0);
  const cells = (label: string, part: { referred: number; engaged: number }) => ({
    category: label,
    referred: part.referred,
    referred_share: rate(part.referred, referred),
    engaged: part.engaged,
    engaged_share: rate(part.engaged, engaged),
  });
  return {
    id: spec.dimension,
    title: spec.title,
    metric: 'breakdowns',
    columns: [
      { key: 'category', label: spec.category, kind: 'label' },
      { key: 'referred', label: 'Referred', kind: 'count' },
      { key: 'referred_share', label: 'Referred %', kind: 'percent', dependsOn: 'referred' },
      { key: 'engaged', label: 'Engaged', kind: 'count' },
      { key: 'engaged_share', label: 'Engaged %', kind: 'percent', dependsOn: 'engaged' },
    ],
    rows: [
      ...ordered.map((row) => ({ key: row.key, cells: cells(row.label, row.value) })),
      { key: 'total', cells: cells('Total', { referred, engaged }), isTotal: true },
    ],
    additive: ['referred', 'engaged'],
  };
}

export function ageSummaryTable(summary: { referred: AgeSummary; engaged: AgeSummary }): ReportTable {
  const row = (key: 'referred' | 'engaged', label: string) => {
    const group = summary[key];
    return {
      key,
      basis: group.people,
      cells: {
        group: label,
        people: group.people,
        mean: group.mean === null ? null : Math.round(group.mean * 10) / 10,
        youngest: group.youngest,
        oldest: group.oldest,
      },
    };
  };
  return {
    id: 'age-summary',
    title: 'Age at referral: mean and range',
    metric: 'age-summary',
    columns: [
      { key: 'group', label: 'Group', kind: 'label' },
      { key: 'people', label: 'People with a date of birth', kind: 'count' },
      { key: 'mean', label: 'Mean age', kind: 'number', dependsOn: 'people' },
      { key: 'youngest', label: 'Youngest', kind: 'number', dependsOn: 'people' },
      { key: 'oldest', label: 'Oldest', kind: 'number', dependsOn: 'people' },
    ],
    rows: [row('referred', 'Referred'), row('engaged', 'Engaged')],
  };
}

export async function breakdownsSection(db: Db, spec: CohortSpec, asAt: string, reference: ReferenceData): Promise<ReportSection> {
  const counts = await breakdownCounts(db, spec, asAt);
  const tables = BREAKDOWNS.map((breakdown) =>
    breakdownTable(
      breakdown,
      counts.rows.filter((row) => row.dimension === breakdown.dimension),
      reference,
    ),
  );
  const ageAt = tables.findIndex((table) => table.id === 'age');
  tables.splice(ageAt + 1, 0, ageSummaryTable(counts.ages));
  return { id: 'breakdowns', title: 'Who was referred', tables };
}
