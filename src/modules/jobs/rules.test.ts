import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ageOn, assessCompetitive, checkpointsFor, followAlong, minimumWageFor, type WageRate } from './rules.ts';

// The rates in migrations/0006_employment.sql, written out so the worked examples stand alone.
const RATES: WageRate[] = [
  { effectiveFrom: '2024-04-01', minAge: 0, hourlyRate: 6.4, label: 'Under 18' },
  { effectiveFrom: '2024-04-01', minAge: 18, hourlyRate: 8.6, label: '18 to 20' },
  { effectiveFrom: '2024-04-01', minAge: 21, hourlyRate: 11.44, label: 'National Living Wage (21 and over)' },
  { effectiveFrom: '2025-04-01', minAge: 0, hourlyRate: 7.55, label: 'Under 18' },
  { effectiveFrom: '2025-04-01', minAge: 18, hourlyRate: 10.0, label: '18 to 20' },
  { effectiveFrom: '2025-04-01', minAge: 21, hourlyRate: 12.21, label: 'National Living Wage (21 and over)' },
  { effectiveFrom: '2026-04-01', minAge: 0, hourlyRate: 8.0, label: 'Under 18' },
  { effectiveFrom: '2026-04-01', minAge: 18, hourlyRate: 10.85, label: '18 to 20' },
  { effectiveFrom: '2026-04-01', minAge: 21, hourlyRate: 12.71, label: 'National Living Wage (21 and over)' },
];

const job = (overrides: Partial<Parameters<typeof assessCompetitive>[0]> = {}) => ({
  openToAnyone: true,
  hourlyPay: 12.21,
  startsOn: '2025-06-01',
  dateOfBirth: '1990-01-01',
  ...overrides,
});

describe('competitive jobs', () => {
  test('age is counted in whole years on the start date', () => {
    assert.equal(ageOn('2004-06-02', '2025-06-01'), 20);
    assert.equal(ageOn('2004-06-01', '2025-06-01'), 21);
  });

  test('the rate is the latest in force on the date, in the highest band at or below the age', () => {
    assert.equal(minimumWageFor(RATES, '2026-03-31', 30)?.hourlyRate, 12.21);
    assert.equal(minimumWageFor(RATES, '2026-04-01', 30)?.hourlyRate, 12.71);
    assert.equal(minimumWageFor(RATES, '2025-06-01', 19)?.hourlyRate, 10.0);
    assert.equal(minimumWageFor(RATES, '2025-06-01', 17)?.hourlyRate, 7.55);
    assert.equal(minimumWageFor(RATES, '2025-06-01', null)?.hourlyRate, 12.21);
    assert.equal(minimumWageFor(RATES, '2020-01-01', 30), undefined);
  });

  test('a 21-or-over adult at £12.21 on 1 June 2025 is competitive', () => {
    const result = assessCompetitive(job(), RATES);
    assert.equal(result.competitive, true);
    assert.equal(result.minimumHourlyRate, 12.21);
    assert.equal(result.explanation, 'Competitive: open to anyone, and £12.21 an hour is at least the National Living Wage (21 and over) of £12.21 on 1 June 2025');
  });

  test('£12.20 is a penny short, and the explanation says so', () => {
    const result = assessCompetitive(job({ hourlyPay: 12.2 }), RATES);
    assert.equal(result.competitive, false);
    assert.equal(result.explanation, 'Not competitive: £12.20 an hour is below the National Living Wage (21 and over) of £12.21 on 1 June 2025');
  });

  test('a 19-year-old at £10.00 in 2025-26 is competitive', () => {
    const result = assessCompetitive(job({ hourlyPay: 10, dateOfBirth: '2006-03-15' }), RATES);
    assert.equal(result.competitive, true);
    assert.equal(result.minimumHourlyRate, 10);
    assert.match(result.explanation, /18 to 20 of £10\.00/);
  });

  test('an adult starting on 1 April 2026 at £12.21 is not competitive: the rate is now £12.71', () => {
    const result = assessCompetitive(job({ startsOn: '2026-04-01' }), RATES);
    assert.equal(result.competitive, false);
    assert.equal(result.minimumHourlyRate, 12.71);
    assert.equal(result.explanation, 'Not competitive: £12.21 an hour is below the National Living Wage (21 and over) of £12.71 on 1 April 2026');
  });

  test('a job not open to anyone is not competitive, however well paid', () => {
    const result = assessCompetitive(job({ openToAnyone: false, hourlyPay: 20 }), RATES);
    assert.equal(result.competitive, false);
    assert.equal(result.explanation, 'Not competitive: not open to anyone');
    const both = assessCompetitive(job({ openToAnyone: false, hourlyPay: 10.5 }), RATES);
    assert.equal(both.explanation, 'Not competitive: not open to anyone, and £10.50 an hour is below the National Living Wage (21 and over) of £12.21 on 1 June 2025');
  });

  test('with no date of birth the highest band is used, and the explanation says so', () => {
    const result = assessCompetitive(job({ dateOfBirth: null, hourlyPay: 10 }), RATES);
    assert.equal(result.competitive, false);
    assert.equal(result.minimumHourlyRate, 12.21);
    assert.match(result.explanation, /date of birth not recorded, so compared with the highest age band/);
  });

  test('a start before any recorded rate cannot be checked and is not counted competitive', () => {
    const result = assessCompetitive(job({ startsOn: '2020-01-01' }), RATES);
    assert.equal(result.competitive, false);
    assert.equal(result.minimumHourlyRate, null);
    assert.match(result.explanation, /no minimum wage rate is recorded for 1 January 2020/);
  });
});

describe('sustainment checkpoints', () => {
  test('no counted start: nothing has started', () => {
    const checkpoints = checkpointsFor({ countedStartOn: null, endsOn: null }, [], '2026-11-24');
    assert.deepEqual(checkpoints.map((c) => [c.weeks, c.dueOn, c.status]), [
      [13, null, 'not-started'],
      [26, null, 'not-started'],
      [52, null, 'not-started'],
    ]);
  });

  test('due 13, 26 and 52 weeks after the counted start; due once the date comes, upcoming before', () => {
    const checkpoints = checkpointsFor({ countedStartOn: '2026-01-05', endsOn: null }, [], '2026-07-06');
    assert.deepEqual(checkpoints.map((c) => [c.weeks, c.dueOn, c.status]), [
      [13, '2026-04-06', 'due'],
      [26, '2026-07-06', 'due'],
      [52, '2027-01-04', 'upcoming'],
    ]);
    assert.equal(checkpointsFor({ countedStartOn: '2026-01-05', endsOn: null }, [], '2026-04-05')[0].status, 'upcoming');
  });

  test('confirmations make a checkpoint sustained or not; a job that ended before a checkpoint is not sustained there', () => {
    const confirmations = [
      { weeks: 13, stillInWork: true, confirmedOn: '2026-04-07' },
      { weeks: 26, stillInWork: false, confirmedOn: '2026-07-07' },
    ];
    const open = checkpointsFor({ countedStartOn: '2026-01-05', endsOn: null }, confirmations, '2026-11-24');
    assert.deepEqual(open.map((c) => c.status), ['sustained', 'not-sustained', 'upcoming']);
    const ended = checkpointsFor({ countedStartOn: '2026-01-05', endsOn: '2026-05-01' }, [], '2026-11-24');
    assert.deepEqual(ended.map((c) => c.status), ['due', 'not-sustained', 'not-sustained']);
    assert.match(ended[1].reason ?? '', /ended on 1 May 2026/);
  });
});

describe('follow-along timing', () => {
  const byKey = (list: ReturnType<typeof followAlong>) => Object.fromEntries(list.map((e) => [e.key, e.status]));

  test('contacts before the start, within 3 days, weekly, then monthly', () => {
    // Start Monday 2 March 2026; today 20 May 2026.
    const contacts = ['2026-02-20', '2026-03-04', '2026-03-10', '2026-03-17', '2026-04-15'];
    const result = followAlong({ startsOn: '2026-03-02', endsOn: null }, contacts, '2026-05-20');
    assert.deepEqual(byKey(result), {
      'before-start': 'met',
      'after-start': 'met',
      'week-1': 'met',
      'week-2': 'met',
      'week-3': 'met',
      'week-4': 'missed',
      'month-2026-04': 'met',
      'month-2026-05': 'not-yet-due',
    });
    const week4 = result.find((e) => e.key === 'week-4');
    assert.deepEqual([week4?.from, week4?.to], ['2026-03-23', '2026-03-29']);
    assert.deepEqual([result.find((e) => e.key === 'month-2026-04')?.from, result.find((e) => e.key === 'month-2026-04')?.to], ['2026-04-01', '2026-04-30']);
    assert.equal(result.find((e) => e.key === 'after-start')?.metOn, '2026-03-04');
  });

  test('a contact 15 days before or 4 days after the start does not count', () => {
    const result = followAlong({ startsOn: '2026-03-02', endsOn: null }, ['2026-02-15', '2026-03-06'], '2026-03-10');
    assert.equal(byKey(result)['before-start'], 'missed');
    assert.equal(byKey(result)['after-start'], 'missed');
    assert.equal(byKey(result)['week-1'], 'met');
    assert.equal(byKey(result)['week-2'], 'not-yet-due');
  });

  test('before the start nothing is missed yet', () => {
    const result = followAlong({ startsOn: '2026-12-01', endsOn: null }, [], '2026-11-24');
    assert.ok(result.every((e) => e.status === 'not-yet-due'));
  });

  test('a job loss expects a contact within 3 days, and nothing after the end', () => {
    const result = followAlong({ startsOn: '2026-03-02', endsOn: '2026-03-12' }, ['2026-03-02', '2026-03-14'], '2026-05-20');
    assert.deepEqual(byKey(result), {
      'before-start': 'missed',
      'after-start': 'met',
      'week-1': 'met',
      'week-2': 'missed',
      'after-end': 'met',
    });
    const late = followAlong({ startsOn: '2026-03-02', endsOn: '2026-03-12' }, ['2026-03-16'], '2026-05-20');
    assert.equal(byKey(late)['after-end'], 'missed');
  });
});
