import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  adultMinimumWage,
  ageAtReferral,
  dayNumber,
  IdSource,
  isoDay,
  mulberry32,
  Random,
  staffPlan,
  syntheticCrn,
  syntheticPrisonNumber,
} from './generator.ts';
import { costPeriods } from './costs.ts';
import { emptyBatch, generatePerson, type JourneyContext, type Practitioner } from './journey.ts';

describe('seed generator', () => {
  test('mulberry32 repeats itself for a seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const values = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(values, Array.from({ length: 1000 }, () => b()));
    assert.ok(values.every((value) => value >= 0 && value < 1));
    assert.notDeepEqual(values.slice(0, 10), Array.from({ length: 10 }, mulberry32(8)));
  });

  test('streams for different people differ, and the same person’s stream repeats', () => {
    assert.equal(Random.stream(1, 1, 5).float(), Random.stream(1, 1, 5).float());
    assert.notEqual(Random.stream(1, 1, 5).float(), Random.stream(1, 1, 6).float());
    assert.notEqual(Random.stream(1, 1, 5).float(), Random.stream(2, 1, 5).float());
  });

  test('weighted choices follow their weights, and null means not recorded', () => {
    const random = new Random(3);
    const counts = { a: 0, b: 0, none: 0 };
    for (let n = 0; n < 10_000; n += 1) {
      const choice = random.weighted([['a', 70], ['b', 20], [null, 10]] as const);
      counts[choice ?? 'none'] += 1;
    }
    assert.ok(counts.a > 6700 && counts.a < 7300, `a ${counts.a}`);
    assert.ok(counts.none > 800 && counts.none < 1200, `none ${counts.none}`);
  });

  test('ages at referral are 18 to 70 and skewed young', () => {
    const random = new Random(11);
    const ages = Array.from({ length: 10_000 }, () => ageAtReferral(random)).sort((a, b) => a - b);
    assert.ok(ages[0] >= 18 && ages[ages.length - 1] <= 70);
    assert.ok(ages[5000] >= 28 && ages[5000] <= 36, `median ${ages[5000]}`);
  });

  test('synthetic identifiers have the real shapes, are unique and start where real ones do not', () => {
    const numbers = new Set<string>();
    for (let n = 0; n < 20_000; n += 1) numbers.add(syntheticPrisonNumber(n * 397));
    assert.equal(numbers.size, 20_000);
    for (const number of numbers) assert.match(number, /^[X-Z][0-9]{4}[A-Z]{2}$/);
    assert.match(syntheticPrisonNumber(7_000_000), /^Y/);
    assert.match(syntheticCrn(123), /^Z000123$/);
  });

  test('ids are UUIDv7-shaped, unique and in order', () => {
    const ids = new IdSource(1_750_000_000_000, 0x1abc);
    const made = Array.from({ length: 1000 }, () => ids.next());
    assert.equal(new Set(made).size, 1000);
    for (const id of made) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual([...made].sort(), made);
  });

  test('dates, wages and staffing', () => {
    assert.equal(isoDay(dayNumber('2024-02-29')), '2024-02-29');
    assert.equal(adultMinimumWage('2025-03-31'), 11.44);
    assert.equal(adultMinimumWage('2025-04-01'), 12.21);
    assert.deepEqual(staffPlan(5000, 3), { specialists: 34, caseworkers: 17, teams: 6, employers: 200 });
  });

  test('a person’s records depend only on the seed and their number', () => {
    const context = (): JourneyContext => ({
      seed: 9,
      startDay: dayNumber('2023-01-01'),
      todayDay: dayNumber('2026-01-01'),
      practitioners: [
        { id: 's', teamId: 't', kind: 'employment_specialist' },
        { id: 'c', teamId: 't', kind: 'caseworker' },
      ],
      specialists: [{ id: 's', teamId: 't', kind: 'employment_specialist' }],
      employerIds: ['e1', 'e2'],
      ids: new IdSource(1_750_000_000_000, 1),
    });
    const one = emptyBatch();
    const two = emptyBatch();
    const oneContext = context();
    const twoContext = context();
    for (let n = 0; n < 50; n += 1) generatePerson(oneContext, one, n);
    for (let n = 0; n < 50; n += 1) generatePerson(twoContext, two, n);
    assert.deepEqual(one, two);
    assert.equal(one.person.length, 50);
    assert.ok(one.episode.every((episode) => typeof episode.referred_on === 'string' && episode.referred_on <= '2026-01-01'));
  });

  test('cost periods: one a year for the whole service, or one a year per team when its staff would overflow one period', () => {
    const teamOf = (n: number) => `team-${n % 3}`;
    const staffOf = (specialists: number, caseworkers: number): Practitioner[] => [
      ...Array.from({ length: specialists }, (_, n) => ({ id: `s${n}`, teamId: teamOf(n), kind: 'employment_specialist' as const })),
      ...Array.from({ length: caseworkers }, (_, n) => ({ id: `c${n}`, teamId: teamOf(n), kind: 'caseworker' as const })),
    ];
    const small = costPeriods({ specialists: 34, caseworkers: 17, teams: 3, employers: 200 }, staffOf(34, 17), 3, dayNumber('2023-01-01'));
    assert.equal(small.length, 3);
    assert.ok(small.every((period) => period.team_id === null && period.staff_fte === '54.00' && period.specialist_fte === '34.00'));

    // A national service: 10,002 staff would not fit cost_period.staff_fte, numeric(6, 2).
    const national = costPeriods({ specialists: 6_666, caseworkers: 3_333, teams: 3, employers: 40_000 }, staffOf(6_666, 3_333), 2, dayNumber('2023-01-01'));
    assert.equal(national.length, 3 * 2);
    assert.deepEqual(new Set(national.map((period) => period.team_id)), new Set(['team-0', 'team-1', 'team-2']));
    const total = (column: string) => national.filter((period) => period.starts_on === national[0].starts_on).reduce((sum, period) => sum + Number(period[column]), 0);
    assert.equal(total('staff_fte'), 10_002);
    assert.equal(total('specialist_fte'), 6_666);
    assert.ok(national.every((period) => Number(period.staff_fte) < 10_000));
  });
});
