import assert from 'node:assert/strict';
import type { DateFieldError } from '../../platform/http/date-input.ts';
import { test } from 'node:test';
import { type CostPeriodAmounts, capacityFigures, daysIn, gaps, intersection, overlappingPairs, rangeText } from './figures.ts';
import { parseMoney } from './cost-form.ts';

function period(id: string, startsOn: string, endsOn: string, values: Partial<CostPeriodAmounts> = {}): CostPeriodAmounts {
  return { id, organisationId: 'org', teamId: null, startsOn, endsOn, staffFte: 0, specialistFte: 0, salaries: 0, overheads: 0, management: 0, travel: 0, other: 0, ...values };
}

test('days and intersections count both ends', () => {
  assert.equal(daysIn({ from: '2026-02-01', to: '2026-02-28' }), 28);
  assert.equal(daysIn({ from: '2024-02-01', to: '2024-02-29' }), 29);
  assert.deepEqual(intersection({ from: '2026-01-01', to: '2026-03-31' }, { from: '2026-03-31', to: '2026-06-30' }), { from: '2026-03-31', to: '2026-03-31' });
  assert.equal(intersection({ from: '2026-01-01', to: '2026-03-30' }, { from: '2026-03-31', to: '2026-06-30' }), null);
});

test('gaps are the days no range covers, with touching ranges merged', () => {
  const within = { from: '2026-01-01', to: '2026-01-31' };
  assert.deepEqual(
    gaps(
      [
        { from: '2025-12-01', to: '2026-01-05' },
        { from: '2026-01-06', to: '2026-01-10' },
        { from: '2026-01-08', to: '2026-01-09' },
        { from: '2026-01-20', to: '2026-01-25' },
      ],
      within,
    ),
    [
      { from: '2026-01-11', to: '2026-01-19' },
      { from: '2026-01-26', to: '2026-01-31' },
    ],
  );
  assert.deepEqual(gaps([], within), [within]);
});

test('costs prorate by days inside; FTE averages over covered days, concurrent teams adding up', () => {
  // Report: January (31 days). A: whole organisation, 1 Dec to 31 Jan (62 days), 31 inside: half its £6,200.
  // B: a team, 1 to 10 Jan, 10 inside, all its £1,000. 21 Jan to 31 Jan (11 days) are covered by A only.
  const figures = capacityFigures(
    [period('a', '2025-12-01', '2026-01-31', { staffFte: 2, salaries: 6200 }), { ...period('b', '2026-01-01', '2026-01-10', { staffFte: 3.1, travel: 1000 }), teamId: 't' }],
    { from: '2026-01-01', to: '2026-01-31' },
  );
  assert.equal(figures.salaries, 3100);
  assert.equal(figures.travel, 1000);
  assert.equal(figures.totalCost, 4100);
  assert.equal(figures.coveredDays, 31);
  // (2 × 31 + 3.1 × 10) / 31 = 93 / 31 = 3
  assert.equal(figures.staffFte, 3);
  assert.equal(figures.specialistFte, 0);
  assert.equal(capacityFigures([], { from: '2026-01-01', to: '2026-01-31' }).staffFte, null);
});

test('only periods of the same team that overlap inside the report period are pairs', () => {
  const pairs = overlappingPairs(
    [
      period('a', '2026-01-01', '2026-03-31'),
      period('b', '2026-03-01', '2026-04-30'),
      { ...period('c', '2026-01-01', '2026-03-31'), teamId: 't' },
      { ...period('d', '2026-01-01', '2026-03-31'), organisationId: 'another' },
    ],
    { from: '2026-01-01', to: '2026-12-31' },
  );
  assert.deepEqual(
    pairs.map(([x, y]) => `${x.id}+${y.id}`),
    ['a+b'],
  );
  assert.deepEqual(overlappingPairs([period('a', '2026-01-01', '2026-03-31'), period('b', '2026-03-01', '2026-04-30')], { from: '2026-04-01', to: '2026-04-30' }), []);
  assert.equal(rangeText({ from: '2026-04-01', to: '2026-04-01' }), '1 April 2026');
});

test('money is read as people write it', () => {
  const errors: DateFieldError[] = [];
  assert.equal(parseMoney('£1,234.50', 'Salaries', 'salaries', errors), 1234.5);
  assert.equal(parseMoney(' 12 000 ', 'Salaries', 'salaries', errors), 12000);
  assert.equal(parseMoney('', 'Salaries', 'salaries', errors), 0);
  assert.equal(errors.length, 0);
  assert.equal(parseMoney('-£5', 'Travel', 'travel', errors), undefined);
  assert.equal(parseMoney('1.234', 'Travel', 'travel', errors), undefined);
  assert.equal(parseMoney('1e5', 'Travel', 'travel', errors), undefined);
  assert.deepEqual(
    errors.map((error) => error.text),
    ['Travel must be £0 or more', 'Travel must be an amount in pounds, like 1,234.50', 'Travel must be an amount in pounds, like 1,234.50'],
  );
});
