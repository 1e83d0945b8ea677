import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DateFieldError, isoDate, parseDateInput, readDateParts } from './date-input.ts';

test('reads the three boxes of a GOV.UK date input by prefix, trimmed', () => {
  assert.deepEqual(readDateParts({ 'start-day': ' 1 ', 'start-month': '4', 'start-year': '2026', other: 'x' }, 'start'), {
    day: '1',
    month: '4',
    year: '2026',
  });
  assert.deepEqual(readDateParts(undefined, 'start'), { day: '', month: '', year: '' });
});

test('a whole, real date parses; blank is no date and no error', () => {
  const errors: DateFieldError[] = [];
  assert.deepEqual(parseDateInput({ day: '29', month: '2', year: '2028' }, 'Start date', 'start', errors), { year: 2028, month: 2, day: 29 });
  assert.equal(parseDateInput({ day: '', month: '', year: '' }, 'Start date', 'start', errors), undefined);
  assert.deepEqual(errors, []);
});

test('missing parts and impossible dates are named for the error summary', () => {
  const errors: DateFieldError[] = [];
  parseDateInput({ day: '1', month: '', year: '' }, 'Start date', 'start', errors);
  parseDateInput({ day: '29', month: '2', year: '2027' }, 'End date', 'end', errors);
  assert.deepEqual(
    errors.map((error) => [error.field, error.text]),
    [
      ['start-month', 'Start date must include a month and year'],
      ['end-day', 'End date must be a real date'],
    ],
  );
});

test('isoDate pads to YYYY-MM-DD', () => {
  assert.equal(isoDate({ year: 2026, month: 4, day: 1 }), '2026-04-01');
});
