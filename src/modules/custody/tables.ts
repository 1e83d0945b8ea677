import type { ColumnType, Generated } from 'kysely';

export interface CustodySpellTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  status_code: string;
  sentence_length_days: number | null;
  started_on: string | null;
  version: Generated<number>;
}

export interface PrisonStayTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  prison_code: string;
  arrived_on: string | null;
  left_on: string | null;
}

export interface ReleaseDateTable {
  organisation_id: string;
  episode_id: string;
  kind_code: string;
  on_date: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ReleaseTable {
  episode_id: string;
  organisation_id: string;
  released_on: string;
  release_type_code: string;
  without_notice: Generated<boolean>;
  note: string | null;
  version: Generated<number>;
}

export interface ReleasePlanTable {
  episode_id: string;
  organisation_id: string;
  meet_at_gate: Generated<boolean>;
  gate_worker_id: string | null;
  meeting_point: string | null;
  meeting_time: string | null;
  note: string | null;
  version: Generated<number>;
}

export interface ReleaseChecklistTable {
  organisation_id: string;
  episode_id: string;
  item_code: string;
  state: Generated<'to_do' | 'done' | 'not_needed' | 'declined'>;
  note: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export interface TaskTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  assignee_id: string | null;
  title: string;
  schedule_code: string | null;
  due_on: string;
  completed_at: Date | null;
  completed_by: string | null;
  cancelled_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  version: Generated<number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    custody_spell: CustodySpellTable;
    prison_stay: PrisonStayTable;
    release_date: ReleaseDateTable;
    release: ReleaseTable;
    release_plan: ReleasePlanTable;
    release_checklist: ReleaseChecklistTable;
    task: TaskTable;
  }
}
