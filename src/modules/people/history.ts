import type { ReferenceData } from '../reference-data/service.ts';
import type { PersonRow } from './person-view.ts';

/**
 * Rectification history. An edit keeps, in person_revision, the previous
 * values of only the columns it changed; the history page pairs each old
 * value with what replaced it (the next revision's old value, or the record
 * as it is now).
 */

/** The columns that need people:view-restricted: their values are never shown to anyone else. */
export const RESTRICTED_COLUMNS: readonly string[] = ['risk_notes', 'sexual_offence_details'];

/** The pseudo-column that keeps a person's other names as they were before an edit changed them. */
export const OTHER_NAMES = 'other_names';

const COLUMN_LABELS: Record<string, string> = {
  given_name: 'First name',
  family_name: 'Last name',
  preferred_name: 'Preferred name',
  date_of_birth: 'Date of birth',
  sex_code: 'Sex',
  gender: 'Gender',
  ethnicity_code: 'Ethnic group',
  language: 'Language',
  interpreter_needed: 'Needs an interpreter',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  postcode: 'Postcode',
  consents_to_texts: 'Agrees to texts',
  consents_to_email: 'Agrees to email',
  right_to_work_code: 'Right to work',
  immigration_status: 'Immigration status',
  prison_number: 'Prison number',
  crn: 'Probation CRN',
  pnc_id: 'PNC ID',
  nhs_number: 'NHS number',
  ni_number: 'National Insurance number',
  primary_diagnosis_code: 'Primary diagnosis',
  secondary_diagnosis_codes: 'Secondary diagnoses',
  offence_category_code: 'Most recent offence',
  priority_offender: 'Prolific or priority offender',
  risk_notes: 'Risk information',
  sexual_offence_details: 'Details of sexual offences',
  [OTHER_NAMES]: 'Other names',
};

const COLUMN_LISTS: Record<string, string> = {
  sex_code: 'sex',
  ethnicity_code: 'ethnicity',
  right_to_work_code: 'right_to_work',
  primary_diagnosis_code: 'diagnosis',
  secondary_diagnosis_codes: 'diagnosis',
  offence_category_code: 'offence_category',
};

export type OtherName = { givenName: string; familyName: string; kind: string };

/** The previous values of the columns `values` changes, compared as JSON (arrays and dates included). */
export function previousValues(current: PersonRow, values: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    const before = current[column as keyof PersonRow];
    if (JSON.stringify(value) !== JSON.stringify(before)) previous[column] = before ?? null;
  }
  return previous;
}

function display(column: string, value: unknown, reference: ReferenceData): string {
  if (value === null || value === undefined || value === '') return '(blank)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  const list = COLUMN_LISTS[column];
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    if (column === OTHER_NAMES) return (value as OtherName[]).map((name) => `${name.givenName} ${name.familyName}`).join(', ');
    return value.map((item) => (list ? reference.label(list, String(item)) : String(item))).join(', ');
  }
  return list ? reference.label(list, String(value)) : String(value);
}

export interface HistoryChange {
  field: string;
  restricted: boolean;
  /** Null when the viewer may not see the values: the page says "restricted field changed". */
  from: string | null;
  to: string | null;
}

export interface HistoryEntry {
  revisedAt: Date;
  revisedBy: string;
  reason: string | null;
  changes: HistoryChange[];
}

/**
 * Pairs old and new values, newest revision first: walking back from the
 * record as it is now, each revision's old value is the next one back's new value.
 */
export function historyEntries(
  revisions: Array<{ revised_at: Date; revised_by_name: string | null; reason: string | null; previous: Record<string, unknown> }>,
  now: Record<string, unknown>,
  reference: ReferenceData,
  showRestricted: boolean,
): HistoryEntry[] {
  const after: Record<string, unknown> = { ...now };
  const entries: HistoryEntry[] = [];
  for (const revision of [...revisions].reverse()) {
    const changes = Object.entries(revision.previous).map(([column, old]) => {
      const restricted = RESTRICTED_COLUMNS.includes(column);
      const hidden = restricted && !showRestricted;
      const change: HistoryChange = {
        field: COLUMN_LABELS[column] ?? column,
        restricted,
        from: hidden ? null : display(column, old, reference),
        to: hidden ? null : display(column, after[column], reference),
      };
      after[column] = old;
      return change;
    });
    entries.push({ revisedAt: revision.revised_at, revisedBy: revision.revised_by_name ?? 'system', reason: revision.reason, changes });
  }
  return entries;
}
