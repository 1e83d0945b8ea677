import type { ColumnType, Generated } from 'kysely';

type Numeric = ColumnType<string, number | string, number | string>;

export type OpenToConvictions = 'yes' | 'case_by_case' | 'no' | 'unknown';

export interface EmployerTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  sector_code: string | null;
  size_code: string | null;
  locations: string | null;
  job_types: ColumnType<string[], string[] | undefined, string[]>;
  work_features: ColumnType<string[], string[] | undefined, string[]>;
  open_to_convictions: ColumnType<OpenToConvictions, OpenToConvictions | undefined, OpenToConvictions>;
  convictions_note: string | null;
  placements_offered: string | null;
  note: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

export interface EmployerPersonTable {
  id: Generated<string>;
  organisation_id: string;
  employer_id: string;
  name: string;
  role: string | null;
  phone: string | null;
  email: string | null;
}

export interface VacancyTable {
  id: Generated<string>;
  organisation_id: string;
  employer_id: string;
  kind: ColumnType<'job' | 'work_experience', 'job' | 'work_experience' | undefined, 'job' | 'work_experience'>;
  title: string;
  job_type_code: string | null;
  hours_per_week: Numeric | null;
  hourly_pay: Numeric | null;
  closes_on: string | null;
  filled: Generated<boolean>;
  note: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface EmployerContactTable {
  id: Generated<string>;
  organisation_id: string;
  employer_id: string;
  specialist_id: string;
  occurred_on: string;
  method_code: string;
  purpose_code: string;
  note: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface EmployerContactParticipantTable {
  employer_contact_id: string;
  episode_id: string;
  organisation_id: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    employer: EmployerTable;
    employer_person: EmployerPersonTable;
    vacancy: VacancyTable;
    employer_contact: EmployerContactTable;
    employer_contact_participant: EmployerContactParticipantTable;
  }
}
