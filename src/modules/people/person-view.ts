import type { Selectable } from 'kysely';
import type { ReferenceData } from '../reference-data/service.ts';
import type { PersonInput } from './person-input.ts';
import type { PersonTable } from './tables.ts';

type PersonRow = Selectable<PersonTable>;
type AliasRow = { id: string; given_name: string; family_name: string; kind: string };

export type { PersonRow };

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** The person page's view model: labelled values by section, restricted fields left out. */
export function toPersonPage(row: PersonRow, aliases: AliasRow[], reference: ReferenceData) {
  const secondary = row.secondary_diagnosis_codes.map((code) => reference.label('diagnosis', code)).join(', ');
  return {
    id: row.id,
    version: row.version,
    name: `${row.given_name} ${row.family_name}`,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    priorityOffender: row.priority_offender,
    hasRestricted: Boolean(row.risk_notes || row.sexual_offence_details),
    otherNames: aliases.map((alias) => ({ id: alias.id, name: `${alias.given_name} ${alias.family_name}`, kind: alias.kind })),
    personal: [
      ['Preferred name', row.preferred_name ?? ''],
      ['Sex', reference.label('sex', row.sex_code)],
      ['Gender', row.gender ?? ''],
      ['Ethnic group', reference.label('ethnicity', row.ethnicity_code)],
      ['Language', row.language ?? ''],
      ['Needs an interpreter', yesNo(row.interpreter_needed)],
      ['Right to work', reference.label('right_to_work', row.right_to_work_code)],
      ['Immigration status', row.immigration_status ?? ''],
    ],
    contact: [
      ['Phone', row.phone ?? ''],
      ['Email', row.email ?? ''],
      ['Address', row.address ?? ''],
      ['Postcode', row.postcode ?? ''],
      ['Agrees to texts', yesNo(row.consents_to_texts)],
      ['Agrees to email', yesNo(row.consents_to_email)],
    ],
    identifiers: [
      ['Prison number', row.prison_number ?? ''],
      ['Probation CRN', row.crn ?? ''],
      ['PNC ID', row.pnc_id ?? ''],
      ['NHS number', row.nhs_number ?? ''],
      ['National Insurance number', row.ni_number ?? ''],
    ],
    health: [
      ['Primary diagnosis', reference.label('diagnosis', row.primary_diagnosis_code)],
      ['Secondary diagnoses', secondary],
      ['Most recent offence', reference.label('offence_category', row.offence_category_code)],
      ['Prolific or priority offender', yesNo(row.priority_offender)],
    ],
  };
}

/** The record as form values, for the edit form. Restricted values only for those who may see them. */
export function toInput(row: PersonRow, includeRestricted: boolean): PersonInput {
  return {
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    sex: row.sex_code,
    gender: row.gender,
    ethnicity: row.ethnicity_code,
    language: row.language,
    interpreterNeeded: row.interpreter_needed,
    phone: row.phone,
    email: row.email,
    address: row.address,
    postcode: row.postcode,
    consentsToTexts: row.consents_to_texts,
    consentsToEmail: row.consents_to_email,
    rightToWork: row.right_to_work_code,
    immigrationStatus: row.immigration_status,
    prisonNumber: row.prison_number,
    crn: row.crn,
    pncId: row.pnc_id,
    nhsNumber: row.nhs_number,
    niNumber: row.ni_number,
    primaryDiagnosis: row.primary_diagnosis_code,
    secondaryDiagnoses: row.secondary_diagnosis_codes,
    offenceCategory: row.offence_category_code,
    priorityOffender: row.priority_offender,
    ...(includeRestricted ? { riskNotes: row.risk_notes, sexualOffenceDetails: row.sexual_offence_details } : {}),
  };
}

/** The API's person: codes, not labels; restricted fields only when asked for (and audited by the caller). */
export function toApiPerson(row: PersonRow, aliases: AliasRow[], includeRestricted: boolean) {
  const { riskNotes, sexualOffenceDetails, ...rest } = toInput(row, true);
  return {
    id: row.id,
    version: row.version,
    ...rest,
    otherNames: aliases.map((alias) => ({ givenName: alias.given_name, familyName: alias.family_name, kind: alias.kind })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(includeRestricted ? { riskNotes: riskNotes ?? null, sexualOffenceDetails: sexualOffenceDetails ?? null } : {}),
  };
}
