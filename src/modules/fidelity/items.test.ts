import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIDELITY_ITEMS, fidelityBand, fidelityTotal } from './items.ts';

test('the scale has 25 items numbered 1 to 25 with unique codes and five anchors each', () => {
  assert.deepEqual(FIDELITY_ITEMS.map((item) => item.number), Array.from({ length: 25 }, (_, i) => i + 1));
  assert.equal(new Set(FIDELITY_ITEMS.map((item) => item.code)).size, 25);
  assert.deepEqual(
    FIDELITY_ITEMS.map((item) => item.section),
    [...Array(3).fill('staffing'), ...Array(8).fill('organisation'), ...Array(14).fill('services')],
  );
  for (const item of FIDELITY_ITEMS) assert.equal(item.anchors.length, 5);
});

test('bands at every boundary: 115 exemplary, 100 good, 74 fair, 73 not IPS', () => {
  const cases: Array<[number, string]> = [
    [125, 'exemplary'],
    [115, 'exemplary'],
    [114, 'good'],
    [100, 'good'],
    [99, 'fair'],
    [74, 'fair'],
    [73, 'not_ips'],
    [25, 'not_ips'],
  ];
  for (const [total, band] of cases) assert.equal(fidelityBand(total), band, `total ${total}`);
});

test('a total outside 25 to 125 has no band', () => {
  assert.throws(() => fidelityBand(24), RangeError);
  assert.throws(() => fidelityBand(126), RangeError);
  assert.throws(() => fidelityBand(99.5), RangeError);
});

test('the total is the sum of 25 scores of 1 to 5', () => {
  assert.equal(fidelityTotal(Array(25).fill(1)), 25);
  assert.equal(fidelityTotal(Array(25).fill(5)), 125);
  assert.equal(fidelityTotal([...Array(24).fill(4), 3]), 99);
  assert.throws(() => fidelityTotal(Array(24).fill(5)), RangeError);
  assert.throws(() => fidelityTotal([...Array(24).fill(5), 6]), RangeError);
  assert.throws(() => fidelityTotal([...Array(24).fill(5), 0]), RangeError);
});
