import type { ColumnType, Generated } from 'kysely';

export interface PersonConsentTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  kind_code: string;
  recipient: string | null;
  given_on: string;
  note: string | null;
  recorded_by: string | null;
  recorded_at: ColumnType<Date, Date | undefined, never>;
  withdrawn_on: string | null;
  withdrawn_by: string | null;
  withdrawal_note: string | null;
  version: Generated<number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    person_consent: PersonConsentTable;
  }
}
