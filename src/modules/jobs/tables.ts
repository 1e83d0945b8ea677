import type { ColumnType, Generated } from 'kysely';

type Numeric = ColumnType<string, number | string, number | string>;

export interface MinimumWageRateTable {
  effective_from: string;
  min_age: number;
  hourly_rate: Numeric;
  label: string;
}

export interface JobTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  employer_id: string;
  title: string;
  job_type_code: string;
  starts_on: string;
  counted_start_on: string | null;
  ends_on: string | null;
  hours_per_week: Numeric;
  hourly_pay: Numeric;
  permanent: boolean;
  self_employed: Generated<boolean>;
  open_to_anyone: boolean;
  competitive: boolean;
  minimum_hourly_rate: Numeric | null;
  end_reason_code: string | null;
  helped_with_next_job: boolean | null;
  end_note: string | null;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
  deleted_at: Date | null;
}

export type CheckpointWeeks = 13 | 26 | 52;

export interface JobCheckpointTable {
  job_id: string;
  organisation_id: string;
  weeks: CheckpointWeeks;
  still_in_work: boolean;
  confirmed_on: string;
  confirmed_by: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    minimum_wage_rate: MinimumWageRateTable;
    job: JobTable;
    job_checkpoint: JobCheckpointTable;
  }
}
