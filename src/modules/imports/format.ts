import { parseCsv } from './csv.ts';

/**
 * The referrals file format (documented in docs/data-formats.md): the
 * columns, and turning an uploaded file (CSV or JSON Lines) into rows of
 * named string values with their line numbers. Checking what the values mean
 * is validate.ts's job; this only decides whether the file is the right kind
 * and splits it.
 */
export const COLUMNS = [
  'external_id',
  'source_system',
  'given_name',
  'family_name',
  'date_of_birth',
  'prison_number',
  'crn',
  'pnc_id',
  'nhs_number',
  'ni_number',
  'sex',
  'ethnicity',
  'referral_source',
  'referring_organisation',
  'received_on',
  'reason',
  'prison',
  'conditional_release_date',
] as const;
export type Column = (typeof COLUMNS)[number];
export type RowValues = Record<Column, string>;

/** Columns a CSV header must have. source_system may instead come from the upload (or --source-system). */
const REQUIRED_HEADER: readonly Column[] = ['external_id', 'given_name', 'family_name', 'received_on'];

export type FileKind = 'csv' | 'jsonl';

export interface FileRow {
  line: number;
  values: RowValues;
  /** Problems found while splitting the file (a broken CSV record, a line that is not a JSON object). */
  problems: string[];
}

export interface ParsedFile {
  kind: FileKind;
  rows: FileRow[];
}

/** The whole file is the wrong kind or unreadable: nothing in it is imported. */
export class FileRejected extends Error {}

export function fileKindOf(fileName: string): FileKind | null {
  const extension = fileName.toLowerCase().split('.').pop();
  if (extension === 'csv') return 'csv';
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return null;
}

const EMPTY_VALUES = Object.fromEntries(COLUMNS.map((column) => [column, ''])) as RowValues;

function emptyValues(): RowValues {
  return { ...EMPTY_VALUES };
}

function isColumn(name: string): name is Column {
  return (COLUMNS as readonly string[]).includes(name);
}

function decodeUtf8(content: Buffer): string {
  if (content.includes(0)) throw new FileRejected('The file is not a text file');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new FileRejected('The file must be saved as UTF-8 text');
  }
}

/**
 * Reads a whole referrals file. The extension decides the format, and the
 * content must agree: a CSV file needs the required header, a JSON Lines file
 * must start with a JSON object. Throws FileRejected when it does not.
 */
export function readReferralsFile(fileName: string, content: Buffer, options: { defaultSourceSystem?: string } = {}): ParsedFile {
  const kind = fileKindOf(fileName);
  if (!kind) throw new FileRejected('The file must be a CSV (.csv) or JSON Lines (.jsonl or .ndjson) file');
  if (content.length === 0) throw new FileRejected('The file is empty');
  const text = decodeUtf8(content);
  const rows = kind === 'csv' ? csvRows(text, Boolean(options.defaultSourceSystem)) : jsonLinesRows(text);
  if (options.defaultSourceSystem) {
    for (const row of rows) if (!row.values.source_system.trim()) row.values.source_system = options.defaultSourceSystem;
  }
  return { kind, rows };
}

function csvRows(text: string, sourceSystemGiven: boolean): FileRow[] {
  const [header, ...records] = parseCsv(text);
  if (!header || header.error) throw new FileRejected('The CSV file must start with a header row naming its columns');
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !isColumn(name));
  const required = sourceSystemGiven ? REQUIRED_HEADER : [...REQUIRED_HEADER, 'source_system' as const];
  const missing = required.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw new FileRejected(`The CSV file’s header row must name the columns ${missing.join(', ')}`);
  }
  if (unknown.length > 0) {
    throw new FileRejected(`The CSV file’s header row has columns we do not know: ${unknown.join(', ')}`);
  }
  const duplicated = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicated.length > 0) throw new FileRejected(`The CSV file’s header row names ${duplicated[0]} twice`);
  if (records.length === 0) throw new FileRejected('The file has a header row but no rows');

  return records.map((record) => {
    const values = emptyValues();
    const problems: string[] = [];
    if (record.error) problems.push(record.error);
    else if (record.fields.length !== names.length) {
      problems.push(`The row has ${record.fields.length} fields but the header has ${names.length}`);
    } else {
      names.forEach((name, index) => {
        values[name as Column] = record.fields[index];
      });
    }
    return { line: record.line, values, problems };
  });
}

function jsonLinesRows(text: string): FileRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: FileRow[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const values = emptyValues();
    const problems: string[] = [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      if (rows.length === 0) throw new FileRejected('Each line of a JSON Lines file must be a JSON object, like {"external_id": "R1", …}');
      problems.push('The line is not a JSON object');
    } else {
      for (const [key, value] of Object.entries(parsed)) {
        if (!isColumn(key)) problems.push(`Unknown field "${key}"`);
        else if (typeof value === 'string') values[key] = value;
        else if (typeof value === 'number') values[key] = String(value);
        else if (value !== null) problems.push(`${key} must be text`);
      }
    }
    rows.push({ line: index + 1, values, problems });
  });
  if (rows.length === 0) throw new FileRejected('The file has no rows');
  return rows;
}
