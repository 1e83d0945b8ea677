import type { ColumnType, Generated } from 'kysely';

export interface FidelityReviewTable {
  id: Generated<string>;
  organisation_id: string;
  team_id: string | null;
  service_name: string;
  reviewed_on: string;
  reviewers: string;
  total: number;
  band: string;
  note: string | null;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  version: Generated<number>;
}

export interface FidelityReviewItemTable {
  organisation_id: string;
  review_id: string;
  item_code: string;
  score: number;
  note: string | null;
  evidence: string | null;
  computed_value: string | null;
  computed_score: number | null;
  override_reason: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    fidelity_review: FidelityReviewTable;
    fidelity_review_item: FidelityReviewItemTable;
  }
}
