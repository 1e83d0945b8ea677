import { validateIdentifiers } from '../people/identifiers.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type { RowValues } from './format.ts';

/** The reference lists an import row's codes come from. */
export const IMPORT_LISTS = ['sex', 'ethnicity', 'referral_source', 'prison'] as const;

/** One row, checked and normalised: ready to match a person and create a referral. */
export interface ReferralRow {
  externalId: string;
  sourceSystem: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  prisonNumber: string | null;
  crn: string | null;
  pncId: string | null;
  nhsNumber: string | null;
  niNumber: string | null;
  sex: string | null;
  ethnicity: string | null;
  referralSource: string | null;
  referringOrganisation: string | null;
  receivedOn: string;
  reason: string | null;
  prison: string | null;
  conditionalReleaseDate: string | null;
}

export type RowCheck = { ok: true; row: ReferralRow } | { ok: false; problems: string[] };

const IDENTIFIER_COLUMNS: Record<string, string> = {
  prisonNumber: 'prison_number',
  crn: 'crn',
  pncId: 'pnc_id',
  nhsNumber: 'nhs_number',
  niNumber: 'ni_number',
};

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Checks every value of a row and reports every problem, each naming its
 * column, so a sender can fix the whole row at once. Nothing is written.
 */
export function checkRow(values: RowValues, reference: ReferenceData, today: string): RowCheck {
  const problems: string[] = [];
  const value = (column: keyof RowValues) => values[column].trim();

  function text(column: keyof RowValues, max: number, required: string | null): string | null {
    const found = value(column);
    if (!found) {
      if (required) problems.push(`${column}: ${required}`);
      return null;
    }
    if (found.length > max) problems.push(`${column}: must be ${max} characters or fewer`);
    return found;
  }

  function date(column: keyof RowValues, rule: { required?: string; notFuture?: string }): string | null {
    const found = value(column);
    if (!found) {
      if (rule.required) problems.push(`${column}: ${rule.required}`);
      return null;
    }
    if (!isRealDate(found)) {
      problems.push(`${column}: must be a real date in the form YYYY-MM-DD, like 2026-03-31`);
      return null;
    }
    if (rule.notFuture && found > today) problems.push(`${column}: ${rule.notFuture}`);
    return found;
  }

  function code(column: keyof RowValues, list: (typeof IMPORT_LISTS)[number]): string | null {
    const found = value(column).toLowerCase();
    if (!found) return null;
    if (!reference.offers(list, found)) {
      problems.push(`${column}: "${value(column)}" is not a code on the ${list} list`);
      return null;
    }
    return found;
  }

  const externalId = text('external_id', 100, 'enter the sender’s own id for the referral');
  const sourceSystem = text('source_system', 100, 'enter the system or organisation that sent the referral');
  const givenName = text('given_name', 100, 'enter the person’s first name');
  const familyName = text('family_name', 100, 'enter the person’s last name');
  const dateOfBirth = date('date_of_birth', { notFuture: 'must be in the past' });
  if (dateOfBirth && dateOfBirth < '1900-01-01') problems.push('date_of_birth: must be after 1900-01-01');

  const identifiers = validateIdentifiers({
    prisonNumber: value('prison_number'),
    crn: value('crn'),
    pncId: value('pnc_id'),
    nhsNumber: value('nhs_number'),
    niNumber: value('ni_number'),
  });
  for (const error of identifiers.errors) problems.push(`${IDENTIFIER_COLUMNS[error.field] ?? error.field}: ${error.text}`);

  const sex = code('sex', 'sex');
  const ethnicity = code('ethnicity', 'ethnicity');
  const referralSource = code('referral_source', 'referral_source');
  const referringOrganisation = text('referring_organisation', 200, null);
  const receivedOn = date('received_on', { required: 'enter the date the referral was received', notFuture: 'must not be in the future' });
  const reason = text('reason', 2000, null);
  const prison = code('prison', 'prison');
  const conditionalReleaseDate = date('conditional_release_date', {});

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    row: {
      externalId: externalId!,
      sourceSystem: sourceSystem!,
      givenName: givenName!,
      familyName: familyName!,
      dateOfBirth,
      prisonNumber: identifiers.values.prisonNumber,
      crn: identifiers.values.crn,
      pncId: identifiers.values.pncId,
      nhsNumber: identifiers.values.nhsNumber,
      niNumber: identifiers.values.niNumber,
      sex,
      ethnicity,
      referralSource,
      referringOrganisation,
      receivedOn: receivedOn!,
      reason,
      prison,
      conditionalReleaseDate,
    },
  };
}
