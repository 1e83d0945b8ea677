import type { FieldError } from '../../platform/http/errors.ts';

/**
 * Validators and normalisers for the identifiers people carry through the
 * justice and health systems. Pure functions: no database, no clock.
 *
 * Each `normalise…` returns the stored form, or null when the value is not
 * valid. Each `check…` explains what is wrong, in GOV.UK error-message style.
 */

export type IdentifierCheck = { ok: true; value: string } | { ok: false; problem: 'format' | 'check' | 'prefix' };

const withoutSpaces = (value: string) => value.replace(/[\s-]+/g, '').toUpperCase();

/** NOMIS prison number: a letter, four digits, two letters (A1234BC). */
export function checkPrisonNumber(raw: string): IdentifierCheck {
  const value = withoutSpaces(raw);
  return /^[A-Z]\d{4}[A-Z]{2}$/.test(value) ? { ok: true, value } : { ok: false, problem: 'format' };
}

/** Probation case reference number: a letter and six digits (X123456). */
export function checkCrn(raw: string): IdentifierCheck {
  const value = withoutSpaces(raw);
  return /^[A-Z]\d{6}$/.test(value) ? { ok: true, value } : { ok: false, problem: 'format' };
}

const PNC_CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/** The check letter for a PNC ID: (two-digit year, then the serial padded to 7 digits, as one number) mod 23. */
export function pncCheckLetter(year: string, serial: string): string {
  const number = Number(`${year.slice(-2)}${serial.padStart(7, '0')}`);
  return PNC_CHECK_LETTERS[number % 23];
}

/**
 * PNC ID: year (2 or 4 digits) / serial of up to 7 digits, then a check letter.
 *
 * Stored form: the year exactly as given (2 or 4 digits), a slash, the serial
 * padded to 7 digits, the check letter: "12/34567X" becomes "12/0034567X".
 * A two-digit year cannot safely be widened (it may be 19xx or 20xx), so it is
 * kept; matching compares `pncMatchKey`, which ignores the century.
 */
export function checkPncId(raw: string): IdentifierCheck {
  const compact = withoutSpaces(raw);
  const match = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(compact);
  if (!match) return { ok: false, problem: 'format' };
  const [, year, serial, letter] = match;
  if (pncCheckLetter(year, serial) !== letter) return { ok: false, problem: 'check' };
  return { ok: true, value: `${year}/${serial.padStart(7, '0')}${letter}` };
}

/** The last 11 characters of a stored PNC ID (yy/nnnnnnnL): equal for "2012/…" and "12/…". */
export function pncMatchKey(stored: string): string {
  return stored.slice(-11);
}

/** NHS number: 10 digits; weights 10..2 on the first nine; check = 11 - (sum mod 11), 11 → 0, 10 → never valid. */
export function checkNhsNumber(raw: string): IdentifierCheck {
  const value = raw.replace(/[\s-]+/g, '');
  if (!/^\d{10}$/.test(value)) return { ok: false, problem: 'format' };
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return { ok: false, problem: 'check' };
  return (check === 11 ? 0 : check) === Number(value[9]) ? { ok: true, value } : { ok: false, problem: 'check' };
}

const NI_BAD_FIRST = new Set('DFIQUV');
const NI_BAD_SECOND = new Set('DFIOQUV');
const NI_BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** National Insurance number: two letters, six digits, suffix A–D, with DWP's excluded letters and prefixes. */
export function checkNiNumber(raw: string): IdentifierCheck {
  const value = withoutSpaces(raw);
  if (!/^[A-Z]{2}\d{6}[A-D]$/.test(value)) return { ok: false, problem: 'format' };
  if (NI_BAD_FIRST.has(value[0]) || NI_BAD_SECOND.has(value[1]) || NI_BAD_PREFIXES.has(value.slice(0, 2))) {
    return { ok: false, problem: 'prefix' };
  }
  return { ok: true, value };
}

/** UK postcode, stored upper case with one space before the inward code (sw1a1aa → SW1A 1AA). */
export function checkPostcode(raw: string): IdentifierCheck {
  const compact = withoutSpaces(raw);
  const match = /^([A-Z]{1,2}\d[A-Z\d]?|GIR)(\d[A-Z]{2})$/.exec(compact);
  if (!match || (match[1] === 'GIR' && match[2] !== '0AA')) return { ok: false, problem: 'format' };
  return { ok: true, value: `${match[1]} ${match[2]}` };
}

export interface IdentifierInput {
  prisonNumber?: string | null;
  crn?: string | null;
  pncId?: string | null;
  nhsNumber?: string | null;
  niNumber?: string | null;
  postcode?: string | null;
}

export interface IdentifierValues {
  prisonNumber: string | null;
  crn: string | null;
  pncId: string | null;
  nhsNumber: string | null;
  niNumber: string | null;
  postcode: string | null;
}

type Field = keyof IdentifierInput;

const RULES: Record<Field, { check: (raw: string) => IdentifierCheck; messages: Record<'format' | 'check' | 'prefix', string> }> = {
  prisonNumber: {
    check: checkPrisonNumber,
    messages: {
      format: 'Enter a prison number in the correct format, like A1234BC',
      check: 'Enter a prison number in the correct format, like A1234BC',
      prefix: 'Enter a prison number in the correct format, like A1234BC',
    },
  },
  crn: {
    check: checkCrn,
    messages: {
      format: 'Enter a CRN in the correct format: a letter and 6 numbers, like X123456',
      check: 'Enter a CRN in the correct format: a letter and 6 numbers, like X123456',
      prefix: 'Enter a CRN in the correct format: a letter and 6 numbers, like X123456',
    },
  },
  pncId: {
    check: checkPncId,
    messages: {
      format: 'Enter a PNC ID in the correct format, like 2012/0034567E or 12/34567E',
      check: 'Enter a valid PNC ID – the check letter is wrong',
      prefix: 'Enter a valid PNC ID – the check letter is wrong',
    },
  },
  nhsNumber: {
    check: checkNhsNumber,
    messages: {
      format: 'Enter an NHS number in the correct format: 10 numbers, like 943 476 5919',
      check: 'Enter a valid NHS number – the check digit is wrong',
      prefix: 'Enter a valid NHS number – the check digit is wrong',
    },
  },
  niNumber: {
    check: checkNiNumber,
    messages: {
      format: 'Enter a National Insurance number in the correct format, like QQ 12 34 56 C',
      check: 'Enter a National Insurance number in the correct format, like QQ 12 34 56 C',
      prefix: 'Enter a valid National Insurance number – it cannot start with these letters',
    },
  },
  postcode: {
    check: checkPostcode,
    messages: {
      format: 'Enter a full UK postcode, like SW1A 1AA',
      check: 'Enter a full UK postcode, like SW1A 1AA',
      prefix: 'Enter a full UK postcode, like SW1A 1AA',
    },
  },
};

/** Checks every identifier given; blank means "not known" and is allowed. */
export function validateIdentifiers(input: IdentifierInput): { values: IdentifierValues; errors: FieldError[] } {
  const values: IdentifierValues = { prisonNumber: null, crn: null, pncId: null, nhsNumber: null, niNumber: null, postcode: null };
  const errors: FieldError[] = [];
  for (const field of Object.keys(RULES) as Field[]) {
    const raw = (input[field] ?? '').trim();
    if (!raw) continue;
    const rule = RULES[field];
    const result = rule.check(raw);
    if (result.ok) values[field] = result.value;
    else errors.push({ field, text: rule.messages[result.problem] });
  }
  return { values, errors };
}
