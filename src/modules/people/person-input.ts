import type { FieldError } from '../../platform/http/errors.ts';
import { isEmail } from '../../platform/http/forms.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import { validateIdentifiers } from './identifiers.ts';
import type { PersonValues } from './queries.ts';

/** The reference lists a person record uses. */
export const PERSON_LISTS = ['sex', 'ethnicity', 'right_to_work', 'diagnosis', 'offence_category'] as const;

/**
 * A person as a form, the API or an import describes them. Codes are
 * reference-list item codes; dates are 'YYYY-MM-DD'; blank means not known.
 */
export interface PersonInput {
  givenName: string;
  familyName: string;
  preferredName?: string | null;
  otherNames?: Array<{ givenName: string; familyName: string }>;
  dateOfBirth?: string | null;
  sex?: string | null;
  gender?: string | null;
  ethnicity?: string | null;
  language?: string | null;
  interpreterNeeded?: boolean;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  postcode?: string | null;
  consentsToTexts?: boolean;
  consentsToEmail?: boolean;
  rightToWork?: string | null;
  immigrationStatus?: string | null;
  prisonNumber?: string | null;
  crn?: string | null;
  pncId?: string | null;
  nhsNumber?: string | null;
  niNumber?: string | null;
  primaryDiagnosis?: string | null;
  secondaryDiagnoses?: string[];
  offenceCategory?: string | null;
  priorityOffender?: boolean;
  riskNotes?: string | null;
  sexualOffenceDetails?: string | null;
}

/** Fields that need people:view-restricted to see or change. */
export const RESTRICTED_FIELDS = ['riskNotes', 'sexualOffenceDetails'] as const;

/** Today in Europe/London as YYYY-MM-DD: a date of birth "in the future" is judged by the local calendar. */
export function londonToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function text(value: string | null | undefined, field: string, label: string, max: number, errors: FieldError[]): string | null {
  const trimmed = (value ?? '').trim();
  if (!trimmed) return null;
  if (trimmed.length > max) errors.push({ field, text: `${label} must be ${max} characters or fewer` });
  return trimmed;
}

/**
 * Checks a person and turns it into column values. `dateField` names the
 * field a date-of-birth error points at: 'dateOfBirth-day' on a page's date
 * input, 'dateOfBirth' in the API.
 */
export function checkPerson(
  reference: ReferenceData,
  input: PersonInput,
  options: { mayRecordRestricted: boolean; today: string; dateField?: string },
): { values: PersonValues; errors: FieldError[]; otherNames: Array<{ givenName: string; familyName: string }> } {
  const errors: FieldError[] = [];
  const givenName = text(input.givenName, 'givenName', 'First name', 100, errors);
  if (!givenName) errors.push({ field: 'givenName', text: 'Enter their first name' });
  const familyName = text(input.familyName, 'familyName', 'Last name', 100, errors);
  if (!familyName) errors.push({ field: 'familyName', text: 'Enter their last name' });

  const dateField = options.dateField ?? 'dateOfBirth';
  const dateOfBirth = (input.dateOfBirth ?? '').trim() || null;
  if (dateOfBirth) {
    if (!isRealIsoDate(dateOfBirth)) errors.push({ field: dateField, text: 'Date of birth must be a real date' });
    else if (dateOfBirth > options.today) errors.push({ field: dateField, text: 'Date of birth must be in the past' });
    else if (dateOfBirth < '1900-01-01') errors.push({ field: dateField, text: 'Date of birth must be after 1 January 1900' });
  }

  const identifiers = validateIdentifiers(input);
  errors.push(...identifiers.errors);

  const email = text(input.email, 'email', 'Email address', 254, errors);
  if (email && !isEmail(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.org' });
  const phone = text(input.phone, 'phone', 'Phone number', 30, errors);
  if (phone && !/^[+\d][\d\s()-]{5,}$/.test(phone)) {
    errors.push({ field: 'phone', text: 'Enter a phone number, like 07700 900 982 or +44 808 157 0192' });
  }

  const code = (value: string | null | undefined) => (value ?? '').trim();
  const sex = reference.check('sex', code(input.sex), 'sex', errors, 'Select their sex from the list');
  const ethnicity = reference.check('ethnicity', code(input.ethnicity), 'ethnicity', errors, 'Select their ethnic group from the list');
  const rightToWork = reference.check('right_to_work', code(input.rightToWork), 'rightToWork', errors, 'Select their right to work from the list');
  const primaryDiagnosis = reference.check('diagnosis', code(input.primaryDiagnosis), 'primaryDiagnosis', errors, 'Select a primary diagnosis from the list');
  const offenceCategory = reference.check('offence_category', code(input.offenceCategory), 'offenceCategory', errors, 'Select an offence category from the list');
  const secondaryDiagnoses = [...new Set((input.secondaryDiagnoses ?? []).map((item) => item.trim()).filter(Boolean))];
  if (secondaryDiagnoses.some((item) => !reference.offers('diagnosis', item))) {
    errors.push({ field: 'secondaryDiagnoses', text: 'Select secondary diagnoses from the list' });
  }

  const riskNotes = text(input.riskNotes, 'riskNotes', 'Risk notes', 5000, errors);
  const sexualOffenceDetails = text(input.sexualOffenceDetails, 'sexualOffenceDetails', 'Sexual offence details', 5000, errors);
  if (!options.mayRecordRestricted) {
    if (riskNotes) errors.push({ field: 'riskNotes', text: 'You do not have permission to record risk notes' });
    if (sexualOffenceDetails) errors.push({ field: 'sexualOffenceDetails', text: 'You do not have permission to record sexual offence details' });
  }

  const otherNames: Array<{ givenName: string; familyName: string }> = [];
  (input.otherNames ?? []).forEach((name, index) => {
    const given = (name.givenName ?? '').trim();
    const family = (name.familyName ?? '').trim();
    if (!given && !family) return;
    if (!given || !family || given.length > 100 || family.length > 100) {
      errors.push({ field: `otherNames-${index}`, text: 'Enter both a first and a last name for each other name, up to 100 characters each' });
    } else {
      otherNames.push({ givenName: given, familyName: family });
    }
  });

  return {
    errors,
    otherNames,
    values: {
      given_name: givenName ?? '',
      family_name: familyName ?? '',
      preferred_name: text(input.preferredName, 'preferredName', 'Preferred name', 100, errors),
      date_of_birth: dateOfBirth,
      sex_code: sex,
      gender: text(input.gender, 'gender', 'Gender', 100, errors),
      ethnicity_code: ethnicity,
      language: text(input.language, 'language', 'Language', 100, errors),
      interpreter_needed: input.interpreterNeeded ?? false,
      phone,
      email,
      address: text(input.address, 'address', 'Address', 500, errors),
      postcode: identifiers.values.postcode,
      consents_to_texts: input.consentsToTexts ?? false,
      consents_to_email: input.consentsToEmail ?? false,
      right_to_work_code: rightToWork,
      immigration_status: text(input.immigrationStatus, 'immigrationStatus', 'Immigration status', 200, errors),
      prison_number: identifiers.values.prisonNumber,
      crn: identifiers.values.crn,
      pnc_id: identifiers.values.pncId,
      nhs_number: identifiers.values.nhsNumber,
      ni_number: identifiers.values.niNumber,
      primary_diagnosis_code: primaryDiagnosis,
      secondary_diagnosis_codes: secondaryDiagnoses,
      offence_category_code: offenceCategory,
      priority_offender: input.priorityOffender ?? false,
      risk_notes: riskNotes,
      sexual_offence_details: sexualOffenceDetails,
    },
  };
}
