import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface PersonTable {
  id: Generated<string>;
  organisation_id: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string | null;
  sex_code: string | null;
  gender: string | null;
  ethnicity_code: string | null;
  language: string | null;
  interpreter_needed: Generated<boolean>;
  phone: string | null;
  email: string | null;
  address: string | null;
  postcode: string | null;
  consents_to_texts: Generated<boolean>;
  consents_to_email: Generated<boolean>;
  right_to_work_code: string | null;
  immigration_status: string | null;
  prison_number: string | null;
  crn: string | null;
  pnc_id: string | null;
  nhs_number: string | null;
  ni_number: string | null;
  primary_diagnosis_code: string | null;
  secondary_diagnosis_codes: Generated<string[]>;
  offence_category_code: string | null;
  priority_offender: Generated<boolean>;
  risk_notes: string | null;
  sexual_offence_details: string | null;
  merged_into_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

export interface PersonAliasTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  given_name: string;
  family_name: string;
  kind: Generated<'alias' | 'previous_name' | 'other_spelling'>;
}

/** Rectification history: the previous values of the columns one edit changed. */
export interface PersonRevisionTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  revised_at: ColumnType<Date, Date | undefined, never>;
  revised_by: string | null;
  reason: string | null;
  previous: JSONColumnType<Record<string, unknown>, string, string>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    person: PersonTable;
    person_alias: PersonAliasTable;
    person_revision: PersonRevisionTable;
  }
}
