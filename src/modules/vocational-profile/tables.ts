import type { ColumnType, Generated } from 'kysely';

export interface WorkHistoryEntry {
  employer: string;
  role: string;
  startedOn: string | null;
  endedOn: string | null;
  informal: boolean;
  howEnded: string | null;
}

export interface QualificationEntry {
  kindCode: string;
  title: string;
  obtainedOn: string | null;
  expiresOn: string | null;
}

export interface VocationalProfileTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  version: number;
  recorded_at: ColumnType<Date, Date | undefined, never>;
  recorded_by: string | null;
  preferred_job_types: ColumnType<string[], string[] | undefined, string[]>;
  preferred_hours: string | null;
  preferred_places: string | null;
  does_not_want: string | null;
  /** Optional on insert: the column defaults to an empty list. */
  work_history: ColumnType<WorkHistoryEntry[], string | undefined, string>;
  qualifications: ColumnType<QualificationEntry[], string | undefined, string>;
  skills: string | null;
  barriers: string | null;
  conviction_details: string | null;
  disclosure_decision_code: string | null;
  disclosure_plan: string | null;
  disclosure_reviewed_on: string | null;
  licence_conditions: ColumnType<string[], string[] | undefined, string[]>;
  licence_condition_notes: string | null;
  identity_documents: ColumnType<string[], string[] | undefined, string[]>;
  right_to_work_notes: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    vocational_profile: VocationalProfileTable;
  }
}
