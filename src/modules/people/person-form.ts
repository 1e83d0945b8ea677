import type { FieldError } from '../../platform/http/errors.ts';
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import type { PersonInput } from './person-input.ts';

/**
 * Reading the person forms: the full record form and the search-before-create
 * form. The date of birth arrives as three GOV.UK boxes; the service sees
 * 'YYYY-MM-DD'.
 */

export const DATE_FIELD = 'dateOfBirth-day';

function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

const yes = (body: unknown, name: string) => formString(body, name) === 'yes';

/** Date of birth from the three boxes: the ISO date, or an error for the error summary. */
export function readDateOfBirth(body: unknown, errors: DateFieldError[]): { parts: DateParts; iso: string | null } {
  const parts = readDateParts(body, 'dateOfBirth');
  const date = parseDateInput(parts, 'Date of birth', 'dateOfBirth', errors);
  return { parts, iso: date ? isoDate(date) : null };
}

/**
 * Service errors as the page shows them: a date error also says which boxes
 * to highlight, and an other-name error points at the other-name box.
 */
export function pageErrors(errors: FieldError[]): DateFieldError[] {
  return errors.map((error) => {
    if (error.field === DATE_FIELD && !('parts' in error)) return { ...error, parts: ['day', 'month', 'year'] as Array<'day' | 'month' | 'year'> };
    if (error.field.startsWith('otherNames-')) return { ...error, field: 'otherGivenName' };
    return error;
  });
}

export interface SearchFields {
  givenName: string;
  familyName: string;
  dateOfBirth: DateParts;
  prisonNumber: string;
  crn: string;
  pncId: string;
  nhsNumber: string;
  niNumber: string;
}

export function readSearchFields(body: unknown): SearchFields {
  return {
    givenName: formString(body, 'givenName'),
    familyName: formString(body, 'familyName'),
    dateOfBirth: readDateParts(body, 'dateOfBirth'),
    prisonNumber: formString(body, 'prisonNumber'),
    crn: formString(body, 'crn'),
    pncId: formString(body, 'pncId'),
    nhsNumber: formString(body, 'nhsNumber'),
    niNumber: formString(body, 'niNumber'),
  };
}

/** The search values as hidden fields, to carry them into the full form. */
export function searchHiddenFields(fields: SearchFields): Record<string, string> {
  const { dateOfBirth, ...rest } = fields;
  return {
    ...rest,
    'dateOfBirth-day': dateOfBirth.day,
    'dateOfBirth-month': dateOfBirth.month,
    'dateOfBirth-year': dateOfBirth.year,
  };
}

/** The full record form. Restricted fields are read only when the form showed them. */
export function readPersonForm(body: unknown, includeRestricted: boolean) {
  const errors: DateFieldError[] = [];
  const dateOfBirth = readDateOfBirth(body, errors);
  const input: PersonInput & { removeOtherNameIds: string[] } = {
    givenName: formString(body, 'givenName'),
    familyName: formString(body, 'familyName'),
    preferredName: formString(body, 'preferredName'),
    otherNames: [{ givenName: formString(body, 'otherGivenName'), familyName: formString(body, 'otherFamilyName') }],
    removeOtherNameIds: formList(body, 'removeOtherName'),
    dateOfBirth: dateOfBirth.iso,
    sex: formString(body, 'sex'),
    gender: formString(body, 'gender'),
    ethnicity: formString(body, 'ethnicity'),
    language: formString(body, 'language'),
    interpreterNeeded: yes(body, 'interpreterNeeded'),
    phone: formString(body, 'phone'),
    email: formString(body, 'email'),
    address: formString(body, 'address'),
    postcode: formString(body, 'postcode'),
    consentsToTexts: formList(body, 'consents').includes('texts'),
    consentsToEmail: formList(body, 'consents').includes('email'),
    rightToWork: formString(body, 'rightToWork'),
    immigrationStatus: formString(body, 'immigrationStatus'),
    prisonNumber: formString(body, 'prisonNumber'),
    crn: formString(body, 'crn'),
    pncId: formString(body, 'pncId'),
    nhsNumber: formString(body, 'nhsNumber'),
    niNumber: formString(body, 'niNumber'),
    primaryDiagnosis: formString(body, 'primaryDiagnosis'),
    secondaryDiagnoses: formList(body, 'secondaryDiagnoses'),
    offenceCategory: formString(body, 'offenceCategory'),
    priorityOffender: yes(body, 'priorityOffender'),
    ...(includeRestricted
      ? { riskNotes: formString(body, 'riskNotes'), sexualOffenceDetails: formString(body, 'sexualOffenceDetails') }
      : {}),
  };
  return { input, dateParts: dateOfBirth.parts, errors };
}

/** Form values for re-showing the form: the input plus the date boxes as typed. */
export function formValues(input: PersonInput, dateParts?: DateParts) {
  const [year, month, day] = (input.dateOfBirth ?? '').split('-');
  return {
    ...input,
    dateOfBirth: dateParts ?? { day: day ? String(Number(day)) : '', month: month ? String(Number(month)) : '', year: year ?? '' },
  };
}
