import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** numeric columns come back from the driver as strings; convert with Number() at the edge of the query file. */
type Numeric = ColumnType<string, number | string, number | string>;

export interface BenefitRateTable {
  tax_year: string;
  starts_on: string;
  ends_on: string;
  esa_permitted_work_weekly_limit: Numeric;
  esa_permitted_work_max_hours: Numeric;
  uc_work_allowance_with_housing: Numeric;
  uc_work_allowance_without_housing: Numeric;
  uc_taper_rate: Numeric;
  source: string;
}

export interface BenefitClaimTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  benefit_code: string;
  started_on: string | null;
  ended_on: string | null;
  includes_housing_costs: Generated<boolean>;
  note: string | null;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface BenefitsSessionTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  held_on: string;
  adviser: string;
  note: string | null;
  calculation: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    benefit_rate: BenefitRateTable;
    benefit_claim: BenefitClaimTable;
    benefits_session: BenefitsSessionTable;
  }
}
