import type { ColumnType, Generated } from 'kysely';

export interface CommissionTargetTable {
  id: Generated<string>;
  organisation_id: string;
  commission_id: string;
  measure_code: string;
  target: ColumnType<string, number | string, number | string>;
  starts_on: string;
  ends_on: string;
  note: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  version: Generated<number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    commission_target: CommissionTargetTable;
  }
}
