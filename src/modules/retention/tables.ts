import type { ColumnType, Generated } from 'kysely';

export interface RetentionRuleTable {
  organisation_id: string;
  record_type: 'closed_episode' | 'declined_referral' | 'deleted_contact';
  years: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
  version: Generated<number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    retention_rule: RetentionRuleTable;
  }
}
