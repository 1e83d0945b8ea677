import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface ContactTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  occurred_at: Date;
  type_code: string;
  setting_code: string;
  with_code: string;
  attended: Generated<boolean>;
  duration_minutes: number | null;
  note: string | null;
  pathway_code: string | null;
  recorded_by: string | null;
  deleted_at: Date | null;
  deleted_by: string | null;
  delete_reason: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

export interface ContactRevisionTable {
  id: Generated<string>;
  organisation_id: string;
  contact_id: string;
  revised_at: ColumnType<Date, Date | undefined, never>;
  revised_by: string | null;
  previous: JSONColumnType<Record<string, unknown>, string, string>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    contact: ContactTable;
    contact_revision: ContactRevisionTable;
  }
}
