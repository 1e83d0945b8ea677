import type { ColumnType, Generated } from 'kysely';

export interface ImportBatchTable {
  id: Generated<string>;
  organisation_id: string;
  kind: 'referrals';
  file_name: string;
  file_sha256: string;
  status: Generated<'previewed' | 'running' | 'finished' | 'failed'>;
  total_rows: Generated<number>;
  imported_rows: Generated<number>;
  skipped_rows: Generated<number>;
  error_rows: Generated<number>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  finished_at: Date | null;
}

export interface ImportRowErrorTable {
  organisation_id: string;
  batch_id: string;
  line: number;
  reason: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    import_batch: ImportBatchTable;
    import_row_error: ImportRowErrorTable;
  }
}
