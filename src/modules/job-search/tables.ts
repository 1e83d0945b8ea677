import type { ColumnType, Generated } from 'kysely';

export const ACTIVITY_KINDS = ['cv', 'application', 'interview', 'work_trial', 'work_placement', 'training_course'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface StoredFileTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  uploaded_at: ColumnType<Date, Date | undefined, never>;
}

export interface EmploymentPlanTable {
  episode_id: string;
  organisation_id: string;
  job_search_started_on: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

export interface JobSearchActivityTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  kind: ActivityKind;
  occurred_on: string;
  employer_id: string | null;
  employer_name: string | null;
  title: string | null;
  outcome_code: string | null;
  note: string | null;
  file_id: string | null;
  provider: string | null;
  ends_on: string | null;
  completed: boolean | null;
  certificate: string | null;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  deleted_at: Date | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    stored_file: StoredFileTable;
    employment_plan: EmploymentPlanTable;
    job_search_activity: JobSearchActivityTable;
  }
}
