import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { londonMidnight } from '../../platform/http/date-input.ts';
import { filterQuery, parseFilters, readFilterValues } from './filters.ts';

const options = { actions: ['auth.sign-in'], actorIds: ['01900000-0000-7000-8000-000000000001'] };

describe('audit log filters', () => {
  test('a UK calendar day starts at midnight UK time, either side of each clock change', () => {
    assert.equal(londonMidnight(2025, 1, 15).toISOString(), '2025-01-15T00:00:00.000Z');
    assert.equal(londonMidnight(2025, 3, 30).toISOString(), '2025-03-30T00:00:00.000Z');
    assert.equal(londonMidnight(2025, 3, 31).toISOString(), '2025-03-30T23:00:00.000Z');
    assert.equal(londonMidnight(2025, 10, 26).toISOString(), '2025-10-25T23:00:00.000Z');
    assert.equal(londonMidnight(2025, 10, 27).toISOString(), '2025-10-27T00:00:00.000Z');
    assert.equal(londonMidnight(2025, 12, 32).toISOString(), '2026-01-01T00:00:00.000Z');
  });

  test('"to" runs to the end of its day, and the range becomes a search', () => {
    const values = readFilterValues({ 'from-day': '1', 'from-month': '7', 'from-year': '2025', 'to-day': '1', 'to-month': '7', 'to-year': '2025', action: 'auth.sign-in' });
    const { errors, search } = parseFilters(values, options, '42');
    assert.deepEqual(errors, []);
    assert.deepEqual(search, {
      action: 'auth.sign-in',
      from: new Date('2025-06-30T23:00:00.000Z'),
      to: new Date('2025-07-01T23:00:00.000Z'),
      beforeId: 42,
    });
  });

  test('bad input gives a field error each, and a bad cursor is ignored', () => {
    const values = readFilterValues({ action: 'made.up', actor: 'not-a-uuid', 'from-day': '29', 'from-month': '2', 'from-year': '2025', 'to-month': '3' });
    const { errors, search } = parseFilters(values, options, '1; drop table');
    assert.deepEqual(errors.map((error) => [error.field, error.text]), [
      ['action', 'Select an action from the list'],
      ['actor', 'Select a person from the list'],
      ['from-day', 'Date from must be a real date'],
      ['to-day', 'Date to must include a day and year'],
    ]);
    assert.equal(search.beforeId, undefined);
    assert.deepEqual(parseFilters(readFilterValues({ 'from-day': 'x', 'from-month': '1', 'from-year': '2025' }), options, undefined).errors[0].text, 'Date from must be a real date');
  });

  test('links keep only the filters that are set', () => {
    const values = readFilterValues({ action: 'auth.sign-in', subject: 'a b', 'to-year': '2025' });
    assert.equal(filterQuery(values, { before: '9' }), '?action=auth.sign-in&subject=a+b&to-year=2025&before=9');
    assert.equal(filterQuery(readFilterValues({})), '');
  });
});
