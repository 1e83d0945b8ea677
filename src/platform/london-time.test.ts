import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatTime, londonInstant, londonToday, londonWallClock, parseTime } from './london-time.ts';

describe('UK wall-clock time for contacts', () => {
  test('winter times are UTC and summer times are an hour ahead', () => {
    assert.equal(londonInstant({ year: 2025, month: 1, day: 15, hour: 9, minute: 30 })?.toISOString(), '2025-01-15T09:30:00.000Z');
    assert.equal(londonInstant({ year: 2025, month: 7, day: 1, hour: 9, minute: 30 })?.toISOString(), '2025-07-01T08:30:00.000Z');
    assert.equal(londonInstant({ year: 2025, month: 7, day: 1, hour: 0, minute: 15 })?.toISOString(), '2025-06-30T23:15:00.000Z');
  });

  test('on the day the clocks go forward, the skipped hour does not exist and the hours around it convert correctly', () => {
    // 30 March 2025: 01:00 GMT becomes 02:00 BST.
    assert.equal(londonInstant({ year: 2025, month: 3, day: 30, hour: 0, minute: 59 })?.toISOString(), '2025-03-30T00:59:00.000Z');
    assert.equal(londonInstant({ year: 2025, month: 3, day: 30, hour: 1, minute: 30 }), undefined);
    assert.equal(londonInstant({ year: 2025, month: 3, day: 30, hour: 2, minute: 0 })?.toISOString(), '2025-03-30T01:00:00.000Z');
    assert.equal(londonInstant({ year: 2025, month: 3, day: 30, hour: 14, minute: 0 })?.toISOString(), '2025-03-30T13:00:00.000Z');
  });

  test('on the day the clocks go back, the repeated hour is read as the first one (summer time)', () => {
    // 26 October 2025: 02:00 BST becomes 01:00 GMT.
    assert.equal(londonInstant({ year: 2025, month: 10, day: 26, hour: 0, minute: 30 })?.toISOString(), '2025-10-25T23:30:00.000Z');
    assert.equal(londonInstant({ year: 2025, month: 10, day: 26, hour: 1, minute: 30 })?.toISOString(), '2025-10-26T00:30:00.000Z');
    assert.equal(londonInstant({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 })?.toISOString(), '2025-10-26T02:30:00.000Z');
  });

  test('an instant reads back as the wall clock it was entered as', () => {
    for (const clock of [
      { year: 2025, month: 3, day: 30, hour: 2, minute: 0 },
      { year: 2025, month: 6, day: 21, hour: 23, minute: 45 },
      { year: 2025, month: 12, day: 31, hour: 23, minute: 59 },
    ]) {
      assert.deepEqual(londonWallClock(londonInstant(clock)!), clock);
    }
    assert.equal(londonToday(new Date('2025-06-30T23:30:00Z')), '2025-07-01', 'just after midnight in summer is already the next UK day');
    assert.equal(londonToday(new Date('2025-12-31T23:30:00Z')), '2025-12-31');
  });

  test('times are typed in the 24-hour clock, with or without a separator', () => {
    assert.deepEqual(parseTime('14:30'), { hour: 14, minute: 30 });
    assert.deepEqual(parseTime('9.05'), { hour: 9, minute: 5 });
    assert.deepEqual(parseTime('0905'), { hour: 9, minute: 5 });
    assert.deepEqual(parseTime(' 23:59 '), { hour: 23, minute: 59 });
    for (const bad of ['', '24:00', '12:60', '2pm', '1:5', 'noon', '12:30:00']) assert.equal(parseTime(bad), undefined, bad);
    assert.equal(formatTime({ hour: 7, minute: 5 }), '07:05');
  });
});
