import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { additiveGroups, applyDisclosureControl, protectTable } from './disclosure.ts';
import { type Cell, isSuppressed, type OutcomesReport, type ReportColumn, type ReportTable, rate } from './report-table.ts';

const breakdownColumns: ReportColumn[] = [
  { key: 'category', label: 'Category', kind: 'label' },
  { key: 'referred', label: 'Referred', kind: 'count' },
  { key: 'referred_share', label: 'Share of referred', kind: 'percent', dependsOn: 'referred' },
  { key: 'engaged', label: 'Engaged', kind: 'count' },
  { key: 'engaged_share', label: 'Share of engaged', kind: 'percent', dependsOn: 'engaged' },
];

/** A breakdown table with its total row and shares worked out, as the report builds them. */
function breakdown(parts: Array<[string, number, number]>, id = 'by-prison'): ReportTable {
  const referredTotal = parts.reduce((sum, [, referred]) => sum + referred, 0);
  const engagedTotal = parts.reduce((sum, [, , engaged]) => sum + engaged, 0);
  const row = (key: string, referred: number, engaged: number, isTotal?: boolean) => ({
    key,
    isTotal,
    cells: { category: key, referred, referred_share: rate(referred, referredTotal), engaged, engaged_share: rate(engaged, engagedTotal) },
  });
  return {
    id,
    title: 'By prison',
    metric: 'breakdown',
    columns: breakdownColumns,
    rows: [...parts.map(([key, referred, engaged]) => row(key, referred, engaged)), row('total', referredTotal, engagedTotal, true)],
    additive: ['referred', 'engaged'],
  };
}

function report(tables: ReportTable[], applied = true, threshold = 5): OutcomesReport {
  return {
    request: { from: '2025-04-01', to: '2026-03-31', asAt: '2026-04-30', publication: false },
    scope: { organisations: [{ id: 'o', name: 'Org' }], filterLabels: {} },
    disclosure: { applied, threshold, method: 'test' },
    generatedAt: '2026-05-01T09:00:00Z',
    sections: [{ id: 's', title: 'Section', tables }],
  };
}

function cell(table: ReportTable, rowKey: string, column: string): Cell {
  const row = table.rows.find((candidate) => candidate.key === rowKey);
  assert.ok(row, `row ${rowKey}`);
  return row.cells[column];
}

/**
 * What a reader with a calculator can do: in any group that adds up, when
 * exactly one cell is unknown, work it out from the others; repeat with what
 * was learnt. Also divide a shown count by its shown share to get the
 * denominator. Returns the hidden cells recovered, as "row.column".
 */
function recoverable(protectedTable: ReportTable, original: ReportTable): string[] {
  const known = protectedTable.rows.map((row) => {
    const values: Record<string, number | undefined> = {};
    for (const [key, value] of Object.entries(row.cells)) values[key] = typeof value === 'number' ? value : value === null ? 0 : undefined;
    return values;
  });
  const recovered = new Set<string>();
  const learn = (rowIndex: number, column: string, value: number) => {
    known[rowIndex][column] = value;
    assert.equal(value, original.rows[rowIndex].cells[column], 'the attack computes true values');
    recovered.add(`${protectedTable.rows[rowIndex].key}.${column}`);
  };
  const groups = additiveGroups(protectedTable);
  let progress = true;
  while (progress) {
    progress = false;
    for (const group of groups) {
      const all = [group.total, ...group.parts];
      const unknown = all.filter((rowIndex) => known[rowIndex][group.column] === undefined);
      if (unknown.length !== 1) continue;
      const [missing] = unknown;
      const sumOfParts = group.parts.filter((rowIndex) => rowIndex !== missing).reduce((sum, rowIndex) => sum + (known[rowIndex][group.column] as number), 0);
      learn(missing, group.column, missing === group.total ? sumOfParts : (known[group.total][group.column] as number) - sumOfParts);
      progress = true;
    }
  }
  const hiddenCounts = new Map<number, string>();
  protectedTable.rows.forEach((row, rowIndex) => {
    for (const column of protectedTable.columns) {
      if (column.kind === 'count' && isSuppressed(row.cells[column.key]) && known[rowIndex][column.key] === undefined) {
        hiddenCounts.set(original.rows[rowIndex].cells[column.key] as number, `${row.key}.${column.key}`);
      }
    }
  });
  for (const row of protectedTable.rows) {
    for (const column of protectedTable.columns) {
      const share = row.cells[column.key];
      const count = column.dependsOn ? row.cells[column.dependsOn] : undefined;
      if (column.kind !== 'percent' || typeof share !== 'number' || typeof count !== 'number' || share === 0) continue;
      const revealed = hiddenCounts.get(Math.round(count / share));
      if (revealed) recovered.add(`${revealed} (from ${row.key}.${column.key})`);
    }
  }
  return [...recovered];
}

function suppressedCells(table: ReportTable): string[] {
  const hidden: string[] = [];
  for (const row of table.rows) for (const [key, value] of Object.entries(row.cells)) if (isSuppressed(value)) hidden.push(`${row.key}.${key}:${value.suppressed}`);
  return hidden;
}

describe('disclosure control', () => {
  test('counts from 1 to threshold - 1 are hidden, zero and threshold are shown, and their shares go with them', () => {
    const table = protectTable(breakdown([['a', 0, 0], ['b', 4, 1], ['c', 5, 5], ['d', 30, 20]]), 5);
    assert.deepEqual(cell(table, 'a', 'referred'), 0);
    assert.deepEqual(cell(table, 'a', 'referred_share'), 0);
    assert.deepEqual(cell(table, 'b', 'referred'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'b', 'engaged'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'b', 'referred_share'), { suppressed: 'dependent' });
    assert.deepEqual(cell(table, 'b', 'category'), 'b', 'labels are never hidden');
    assert.deepEqual(cell(table, 'd', 'referred'), 30);
  });

  test('the threshold is configurable', () => {
    const table = breakdown([['a', 3, 3], ['b', 9, 9], ['c', 10, 10], ['d', 11, 11]]);
    const strict = protectTable(table, 11);
    assert.deepEqual(cell(strict, 'c', 'referred'), { suppressed: 'primary' });
    assert.deepEqual(cell(strict, 'd', 'referred'), 11);
    const loose = protectTable(table, 3);
    assert.deepEqual(suppressedCells(loose), []);
  });

  test('a lone hidden count in a column is protected by hiding the next smallest non-zero count, not a zero', () => {
    const table = protectTable(breakdown([['a', 3, 10], ['b', 0, 0], ['c', 12, 12], ['d', 8, 9], ['e', 40, 30]]), 5);
    assert.deepEqual(cell(table, 'a', 'referred'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'd', 'referred'), { suppressed: 'secondary' });
    assert.deepEqual(cell(table, 'd', 'referred_share'), { suppressed: 'dependent' });
    assert.deepEqual(cell(table, 'b', 'referred'), 0);
    assert.deepEqual(cell(table, 'total', 'referred'), 63);
    assert.deepEqual(cell(table, 'd', 'engaged'), 9, 'the engaged column has nothing to protect');
    assert.deepEqual(recoverable(table, breakdown([['a', 3, 10], ['b', 0, 0], ['c', 12, 12], ['d', 8, 9], ['e', 40, 30]])), []);
  });

  test('when every other part is zero the total is hidden instead of a zero', () => {
    // x = a + y, with y small, hides a; then all = a + b + c with b and c zero would give a back.
    const counts: Record<string, number> = { x: 10, a: 7, y: 3, all: 7, b: 0, c: 0 };
    const input: ReportTable = {
      id: 'zeros',
      title: 'Zeros',
      metric: 'x',
      columns: [
        { key: 'stage', label: 'Stage', kind: 'label' },
        { key: 'count', label: 'People', kind: 'count' },
        { key: 'share', label: 'Share', kind: 'percent', dependsOn: 'count' },
      ],
      rows: Object.entries(counts).map(([key, count]) => ({ key, cells: { stage: key, count, share: rate(count, 10) } })),
      rowGroups: [
        { total: 'x', parts: ['a', 'y'] },
        { total: 'all', parts: ['a', 'b', 'c'] },
      ],
    };
    const table = protectTable(input, 5);
    assert.deepEqual(cell(table, 'y', 'count'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'a', 'count'), { suppressed: 'secondary' });
    assert.deepEqual(cell(table, 'all', 'count'), { suppressed: 'secondary' });
    assert.deepEqual(cell(table, 'all', 'share'), { suppressed: 'dependent' });
    assert.deepEqual(cell(table, 'b', 'count'), 0);
    assert.deepEqual(cell(table, 'c', 'count'), 0);
    assert.deepEqual(cell(table, 'x', 'count'), 10);
    assert.deepEqual(recoverable(table, input), []);
  });

  test('in a breakdown whose only non-zero part is small, the total is small too and both are hidden; zeros stay', () => {
    const input = breakdown([['a', 3, 0], ['b', 0, 0], ['c', 0, 0]]);
    const table = protectTable(input, 5);
    assert.deepEqual(suppressedCells(table), ['a.referred:primary', 'a.referred_share:dependent', 'total.referred:primary', 'total.referred_share:dependent']);
    assert.deepEqual(recoverable(table, input), []);
  });

  test('a hidden total with every part shown hides the smallest part', () => {
    const input: ReportTable = {
      ...breakdown([['a', 6, 6], ['b', 7, 7]]),
      rows: breakdown([['a', 6, 6], ['b', 7, 7]]).rows.map((row) => (row.isTotal ? { ...row, basis: 3 } : row)),
    };
    const table = protectTable(input, 5);
    assert.deepEqual(cell(table, 'total', 'referred'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'a', 'referred'), { suppressed: 'secondary' });
    assert.deepEqual(cell(table, 'b', 'referred'), 7);
    assert.deepEqual(recoverable(table, input), []);
  });

  test('a row of statistics about fewer people than the threshold is hidden whole; zero people is not', () => {
    const input: ReportTable = {
      id: 'time-to-first-job',
      title: 'Time to first job',
      metric: 'time_to_first_job',
      columns: [
        { key: 'measure', label: 'Measure', kind: 'label' },
        { key: 'people', label: 'People', kind: 'count' },
        { key: 'median', label: 'Median days', kind: 'days' },
        { key: 'note', label: 'Note', kind: 'text' },
      ],
      rows: [
        { key: 'from_referral', basis: 3, cells: { measure: 'From referral', people: 3, median: 41, note: 'x' } },
        { key: 'from_release', basis: 12, cells: { measure: 'From release', people: 12, median: 20, note: 'y' } },
        { key: 'none', basis: 0, cells: { measure: 'Nobody', people: 0, median: null, note: null } },
      ],
    };
    const table = protectTable(input, 5);
    assert.deepEqual(table.rows[0].cells, { measure: 'From referral', people: { suppressed: 'primary' }, median: { suppressed: 'primary' }, note: { suppressed: 'primary' } });
    assert.deepEqual(table.rows[1].cells, input.rows[1].cells);
    assert.deepEqual(table.rows[2].cells, input.rows[2].cells);
  });

  test('a figure whose column depends on a hidden cell is hidden as dependent, through a chain', () => {
    const input: ReportTable = {
      id: 'costs',
      title: 'Cost',
      metric: 'cost',
      columns: [
        { key: 'item', label: 'Item', kind: 'label' },
        { key: 'job_starts', label: 'Job starts', kind: 'count' },
        { key: 'cost_per_job', label: 'Cost per job', kind: 'money', dependsOn: 'job_starts' },
        { key: 'cost_per_job_rounded', label: 'Rounded', kind: 'money', dependsOn: 'cost_per_job' },
      ],
      rows: [{ key: 'all', cells: { item: 'All', job_starts: 2, cost_per_job: 5000, cost_per_job_rounded: 5000 } }],
    };
    const table = protectTable(input, 5);
    assert.deepEqual(table.rows[0].cells, {
      item: 'All',
      job_starts: { suppressed: 'primary' },
      cost_per_job: { suppressed: 'dependent' },
      cost_per_job_rounded: { suppressed: 'dependent' },
    });
  });

  test('a percentage without dependsOn is hidden when a count in its row is hidden', () => {
    const input: ReportTable = {
      id: 'x',
      title: 'X',
      metric: 'x',
      columns: [
        { key: 'label', label: 'Label', kind: 'label' },
        { key: 'count', label: 'Count', kind: 'count' },
        { key: 'share', label: 'Share', kind: 'percent' },
      ],
      rows: [
        { key: 'a', cells: { label: 'A', count: 2, share: 0.2 } },
        { key: 'b', cells: { label: 'B', count: 8, share: 0.8 } },
      ],
    };
    const table = protectTable(input, 5);
    assert.deepEqual(table.rows[0].cells.share, { suppressed: 'dependent' });
    assert.deepEqual(table.rows[1].cells.share, 0.8);
  });

  test('funnel: row groups are protected, a hidden cell in one group exposes another, and a rate never gives back a hidden count', () => {
    const counts: Array<[string, number]> = [
      ['referred', 60],
      ['met_in_custody', 3],
      ['seen_in_community', 40],
      ['engaged', 30],
      ['into_work', 12],
      ['into_work_engaged', 9],
      ['into_work_not_engaged', 3],
      ['job_starts', 14],
    ];
    const value = new Map(counts);
    const input: ReportTable = {
      id: 'funnel',
      title: 'Funnel',
      metric: 'funnel',
      columns: [
        { key: 'stage', label: 'Stage', kind: 'label' },
        { key: 'count', label: 'People', kind: 'count' },
        { key: 'rate_previous', label: 'Of previous stage', kind: 'percent', dependsOn: 'count' },
        { key: 'rate_referred', label: 'Of referred', kind: 'percent', dependsOn: 'count' },
      ],
      rows: counts.map(([key, count], index) => ({
        key,
        cells: { stage: key, count, rate_previous: index === 0 ? null : rate(count, counts[index - 1][1]), rate_referred: rate(count, value.get('referred') as number) },
      })),
      rowGroups: [{ total: 'into_work', parts: ['into_work_engaged', 'into_work_not_engaged'] }],
    };
    const table = protectTable(input, 5);
    assert.deepEqual(cell(table, 'met_in_custody', 'count'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'into_work_not_engaged', 'count'), { suppressed: 'primary' });
    assert.deepEqual(cell(table, 'into_work_engaged', 'count'), { suppressed: 'secondary' }, 'engaged 9 = 12 - 3');
    assert.deepEqual(cell(table, 'into_work', 'count'), 12);
    assert.deepEqual(cell(table, 'seen_in_community', 'count'), 40);
    assert.deepEqual(cell(table, 'seen_in_community', 'rate_previous'), { suppressed: 'dependent' }, '40 / (40/3) = 3');
    assert.deepEqual(cell(table, 'seen_in_community', 'rate_referred'), 40 / 60);
    assert.deepEqual(recoverable(table, input), []);
  });

  test('hiding a cell in one row group can expose another group, and the repetition catches it', () => {
    const columns: ReportColumn[] = [
      { key: 'stage', label: 'Stage', kind: 'label' },
      { key: 'count', label: 'People', kind: 'count' },
    ];
    const counts: Record<string, number> = { all: 30, a: 3, b: 6, c: 21, b1: 0, b2: 6 };
    const input: ReportTable = {
      id: 'nested',
      title: 'Nested',
      metric: 'x',
      columns,
      rows: Object.entries(counts).map(([key, count]) => ({ key, cells: { stage: key, count } })),
      rowGroups: [
        { total: 'all', parts: ['a', 'b', 'c'] },
        { total: 'b', parts: ['b1', 'b2'] },
      ],
    };
    const table = protectTable(input, 5);
    assert.deepEqual(cell(table, 'b', 'count'), { suppressed: 'secondary' });
    assert.deepEqual(cell(table, 'b2', 'count'), { suppressed: 'secondary' }, 'b = b1 + b2 = 0 + 6 would give b back');
    assert.deepEqual(recoverable(table, input), []);
  });

  test('the checker itself finds a count given back by subtraction or by a rate (primary suppression alone is not enough)', () => {
    const input = breakdown([['a', 3, 10], ['b', 12, 12], ['c', 8, 9]]);
    const primaryOnly: ReportTable = {
      ...input,
      rows: input.rows.map((row) => (row.key === 'a' ? { ...row, cells: { ...row.cells, referred: { suppressed: 'primary' } } } : row)),
    };
    assert.deepEqual(recoverable(primaryOnly, input), ['a.referred']);
    const shareLeft: ReportTable = {
      ...input,
      rows: input.rows.map((row) => (row.isTotal ? { ...row, cells: { ...row.cells, referred: { suppressed: 'secondary' } } } : row)),
    };
    assert.ok(recoverable(shareLeft, input).includes('total.referred'));
  });

  test('on many random tables no hidden count can be worked out and no zero is hidden', () => {
    let seed = 20260501;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = () => (random() < 0.3 ? 0 : random() < 0.5 ? 1 + Math.floor(random() * 6) : Math.floor(random() * 40));
    for (let i = 0; i < 500; i++) {
      const parts: Array<[string, number, number]> = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, index) => {
        const referred = pick();
        return [`p${index}`, referred, Math.min(referred, pick())];
      });
      const input = breakdown(parts);
      const threshold = 2 + Math.floor(random() * 9);
      const table = protectTable(input, threshold);
      assert.deepEqual(recoverable(table, input), [], JSON.stringify({ parts, threshold }));
      table.rows.forEach((row, rowIndex) => {
        for (const column of ['referred', 'engaged']) {
          if (input.rows[rowIndex].cells[column] === 0) assert.equal(row.cells[column], 0);
          const original = input.rows[rowIndex].cells[column] as number;
          if (original >= 1 && original < threshold) assert.deepEqual(row.cells[column], { suppressed: 'primary' });
        }
      });
    }
  });

  test('a report without disclosure control is returned unchanged; with it, every table is protected and the input is left alone', () => {
    const input = report([breakdown([['a', 2, 2], ['b', 9, 9], ['c', 9, 9]])], false);
    const snapshot = structuredClone(input);
    assert.deepEqual(applyDisclosureControl(input), snapshot);
    const applied = report([breakdown([['a', 2, 2], ['b', 9, 9], ['c', 9, 9]])], true);
    const before = structuredClone(applied);
    const result = applyDisclosureControl(applied);
    assert.deepEqual(applied, before, 'pure');
    assert.notEqual(result, applied);
    assert.deepEqual(suppressedCells(result.sections[0].tables[0]), [
      'a.referred:primary',
      'a.referred_share:dependent',
      'a.engaged:primary',
      'a.engaged_share:dependent',
      'b.referred:secondary',
      'b.referred_share:dependent',
      'b.engaged:secondary',
      'b.engaged_share:dependent',
    ]);
  });
});
