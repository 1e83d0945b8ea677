import type { ColumnType, Generated } from 'kysely';

type Numeric = ColumnType<string, number | string, number | string>;

export interface CostPeriodTable {
  id: Generated<string>;
  organisation_id: string;
  team_id: string | null;
  starts_on: string;
  ends_on: string;
  staff_fte: Numeric;
  specialist_fte: ColumnType<string, number | string | undefined, number | string>;
  salaries: ColumnType<string, number | string | undefined, number | string>;
  overheads: ColumnType<string, number | string | undefined, number | string>;
  management: ColumnType<string, number | string | undefined, number | string>;
  travel: ColumnType<string, number | string | undefined, number | string>;
  other: ColumnType<string, number | string | undefined, number | string>;
  note: string | null;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    cost_period: CostPeriodTable;
  }
}
