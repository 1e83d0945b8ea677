import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkCrn,
  checkNhsNumber,
  checkNiNumber,
  checkPncId,
  checkPostcode,
  checkPrisonNumber,
  pncCheckLetter,
  pncMatchKey,
  validateIdentifiers,
} from './identifiers.ts';

describe('prison number', () => {
  test('a letter, four digits, two letters, upper-cased', () => {
    assert.deepEqual(checkPrisonNumber('A1234BC'), { ok: true, value: 'A1234BC' });
    assert.deepEqual(checkPrisonNumber(' a1234bc '), { ok: true, value: 'A1234BC' });
  });
  test('anything else is refused', () => {
    for (const bad of ['1234ABC', 'A123BC', 'A12345BC', 'AB1234C', 'A1234B', 'A1234BCD', '']) {
      assert.equal(checkPrisonNumber(bad).ok, false, bad);
    }
  });
});

describe('CRN', () => {
  test('a letter and six digits', () => {
    assert.deepEqual(checkCrn('x123456'), { ok: true, value: 'X123456' });
    for (const bad of ['X12345', 'X1234567', '1234567', 'XX12345']) assert.equal(checkCrn(bad).ok, false, bad);
  });
});

describe('PNC ID', () => {
  // Check letter = "ZABCDEFGHJKLMNPQRTUVWXY"[(yy followed by the serial padded to 7 digits) mod 23]:
  //   12/34567:   120034567 = 23 × 5218894 + 5   → index 5  → E
  //   99/123456:  990123456 = 23 × 43048845 + 21 → index 21 → X
  //   2001/1:     010000001 = 23 × 434782 + 15   → index 15 → Q
  //   08/9999999: 089999999 = 23 × 3913043 + 10  → index 10 → K
  test('the check letter, worked by hand', () => {
    assert.equal(pncCheckLetter('12', '34567'), 'E');
    assert.equal(pncCheckLetter('2012', '0034567'), 'E');
    assert.equal(pncCheckLetter('99', '123456'), 'X');
    assert.equal(pncCheckLetter('2001', '1'), 'Q');
    assert.equal(pncCheckLetter('08', '9999999'), 'K');
  });
  test('the year is kept as given and the serial padded to 7 digits', () => {
    assert.deepEqual(checkPncId('12/34567E'), { ok: true, value: '12/0034567E' });
    assert.deepEqual(checkPncId('2012/0034567e'), { ok: true, value: '2012/0034567E' });
    assert.deepEqual(checkPncId('2001/1Q'), { ok: true, value: '2001/0000001Q' });
    assert.deepEqual(checkPncId('08/9999999K'), { ok: true, value: '08/9999999K' });
  });
  test('a wrong check letter is a check problem; a wrong shape is a format problem', () => {
    assert.deepEqual(checkPncId('12/34567F'), { ok: false, problem: 'check' });
    assert.deepEqual(checkPncId('99/123456Z'), { ok: false, problem: 'check' });
    for (const bad of ['123/34567E', '12/12345678E', '12-34567E', '12/34567', '/34567E']) {
      assert.deepEqual(checkPncId(bad), { ok: false, problem: 'format' }, bad);
    }
  });
  test('two- and four-digit years of the same id share a match key', () => {
    assert.equal(pncMatchKey('12/0034567E'), pncMatchKey('2012/0034567E'));
  });
});

describe('NHS number', () => {
  // Weights 10..2 on the first nine digits; check = 11 - (sum mod 11):
  //   943 476 591: 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11 - 2 = 9 → 943 476 5919
  //   401 023 213: 40+0+8+0+12+15+8+3+6 = 92;     92 mod 11 = 4;  11 - 4 = 7 → 401 023 2137
  //   100 000 300: 10+12 = 22;                     22 mod 11 = 0;  11 → 0     → 100 000 3000
  //   123 456 789: 10+18+24+28+30+30+28+24+18 = 210; 210 mod 11 = 1; 11 - 1 = 10 → never valid
  test('valid numbers, with or without spaces', () => {
    assert.deepEqual(checkNhsNumber('943 476 5919'), { ok: true, value: '9434765919' });
    assert.deepEqual(checkNhsNumber('4010232137'), { ok: true, value: '4010232137' });
    assert.deepEqual(checkNhsNumber('100 000 3000'), { ok: true, value: '1000003000' });
  });
  test('a wrong check digit, and a check of 10, are refused', () => {
    assert.deepEqual(checkNhsNumber('943 476 5918'), { ok: false, problem: 'check' });
    assert.deepEqual(checkNhsNumber('1000003001'), { ok: false, problem: 'check' });
    assert.deepEqual(checkNhsNumber('1234567890'), { ok: false, problem: 'check' });
    assert.deepEqual(checkNhsNumber('1234567891'), { ok: false, problem: 'check' });
  });
  test('not ten digits is a format problem', () => {
    for (const bad of ['943476591', '94347659190', '94347659A9']) assert.deepEqual(checkNhsNumber(bad), { ok: false, problem: 'format' }, bad);
  });
});

describe('National Insurance number', () => {
  test('two letters, six digits, A–D, spaces allowed', () => {
    assert.deepEqual(checkNiNumber('AB 12 34 56 C'), { ok: true, value: 'AB123456C' });
    assert.deepEqual(checkNiNumber('ce123456d'), { ok: true, value: 'CE123456D' });
  });
  test('DWP’s excluded letters and prefixes are refused', () => {
    for (const bad of ['DA123456A', 'FA123456A', 'IA123456A', 'QQ123456C', 'UA123456A', 'VA123456A']) {
      assert.deepEqual(checkNiNumber(bad), { ok: false, problem: 'prefix' }, `first letter ${bad}`);
    }
    for (const bad of ['AD123456A', 'AF123456A', 'AI123456A', 'AO123456A', 'AQ123456A', 'AU123456A', 'AV123456A']) {
      assert.deepEqual(checkNiNumber(bad), { ok: false, problem: 'prefix' }, `second letter ${bad}`);
    }
    for (const bad of ['BG123456A', 'GB123456A', 'KN123456A', 'NK123456A', 'NT123456A', 'TN123456A', 'ZZ123456A']) {
      assert.deepEqual(checkNiNumber(bad), { ok: false, problem: 'prefix' }, `prefix ${bad}`);
    }
  });
  test('a wrong shape or suffix is a format problem', () => {
    for (const bad of ['AB123456E', 'AB12345C', 'A1123456C', 'AB123456']) assert.deepEqual(checkNiNumber(bad), { ok: false, problem: 'format' }, bad);
  });
});

describe('postcode', () => {
  test('normalised to upper case with one space', () => {
    assert.deepEqual(checkPostcode('sw1a1aa'), { ok: true, value: 'SW1A 1AA' });
    assert.deepEqual(checkPostcode(' M1   1AE '), { ok: true, value: 'M1 1AE' });
    assert.deepEqual(checkPostcode('B33 8TH'), { ok: true, value: 'B33 8TH' });
    assert.deepEqual(checkPostcode('CR2 6XH'), { ok: true, value: 'CR2 6XH' });
    assert.deepEqual(checkPostcode('DN55 1PT'), { ok: true, value: 'DN55 1PT' });
  });
  test('incomplete or malformed postcodes are refused', () => {
    for (const bad of ['SW1A', '1AA', 'SW1A 1A', 'SWW1A 1AA', '12345']) assert.equal(checkPostcode(bad).ok, false, bad);
  });
});

describe('validateIdentifiers', () => {
  test('returns normalised values, and blank means not known', () => {
    const result = validateIdentifiers({ prisonNumber: 'a1234bc', nhsNumber: '943 476 5919', crn: '', niNumber: '  ' });
    assert.deepEqual(result.errors, []);
    assert.equal(result.values.prisonNumber, 'A1234BC');
    assert.equal(result.values.nhsNumber, '9434765919');
    assert.equal(result.values.crn, null);
    assert.equal(result.values.niNumber, null);
  });
  test('names each bad field with a GOV.UK-style message', () => {
    const result = validateIdentifiers({
      prisonNumber: '1234',
      crn: 'X1',
      pncId: '12/34567F',
      nhsNumber: '9434765918',
      niNumber: 'QQ123456C',
      postcode: 'nowhere',
    });
    assert.deepEqual(result.errors, [
      { field: 'prisonNumber', text: 'Enter a prison number in the correct format, like A1234BC' },
      { field: 'crn', text: 'Enter a CRN in the correct format: a letter and 6 numbers, like X123456' },
      { field: 'pncId', text: 'Enter a valid PNC ID – the check letter is wrong' },
      { field: 'nhsNumber', text: 'Enter a valid NHS number – the check digit is wrong' },
      { field: 'niNumber', text: 'Enter a valid National Insurance number – it cannot start with these letters' },
      { field: 'postcode', text: 'Enter a full UK postcode, like SW1A 1AA' },
    ]);
  });
});
