import type { Generated, JSONColumnType } from 'kysely';

export interface ReferenceListTable {
  code: string;
  label: string;
  description: string;
  extendable: Generated<boolean>;
}

export interface ReferenceItemTable {
  id: Generated<string>;
  organisation_id: string | null;
  list_code: string;
  code: string;
  label: string;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  attributes: JSONColumnType<Record<string, unknown>, string | undefined, string>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    reference_list: ReferenceListTable;
    reference_item: ReferenceItemTable;
  }
}
