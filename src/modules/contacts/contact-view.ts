/**
 * How a contact looks to pages and the API, and the checks every contact
 * passes whichever way it arrives (form or API). Parsing a form's boxes lives
 * in contact-form.ts; rules that change data live in service.ts.
 */
import type { FieldError } from '../../platform/http/errors.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type { ContactRow, ContactValues } from './queries.ts';

export const CONTACT_LISTS = ['contact_type', 'contact_setting', 'contact_with', 'pathway'] as const;
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_REASON_LENGTH = 2_000;

/**
 * A contact as submitted, before checking. Fields a form could not read (an
 * impossible date, a duration that is not a number) come with their errors
 * already in `errors`, so the page shows every problem at once.
 */
export interface ContactInput {
  occurredAt: Date | undefined;
  type: string;
  setting: string;
  with: string;
  attended: boolean | undefined;
  durationMinutes: number | null;
  note: string;
  pathway: string;
  errors?: FieldError[];
}

export interface ContactView {
  id: string;
  episodeId: string;
  occurredAt: Date;
  type: string;
  typeLabel: string;
  setting: string;
  settingLabel: string;
  with: string;
  withLabel: string;
  attended: boolean;
  durationMinutes: number | null;
  note: string | null;
  pathway: string | null;
  pathwayLabel: string | null;
  recordedByName: string | null;
  deleted: boolean;
  deletedAt: Date | null;
  deletedByName: string | null;
  deleteReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function toView(row: ContactRow, reference: ReferenceData): ContactView {
  return {
    id: row.id,
    episodeId: row.episode_id,
    occurredAt: row.occurred_at,
    type: row.type_code,
    typeLabel: reference.label('contact_type', row.type_code),
    setting: row.setting_code,
    settingLabel: reference.label('contact_setting', row.setting_code),
    with: row.with_code,
    withLabel: reference.label('contact_with', row.with_code),
    attended: row.attended,
    durationMinutes: row.duration_minutes,
    note: row.note,
    pathway: row.pathway_code,
    pathwayLabel: row.pathway_code ? reference.label('pathway', row.pathway_code) : null,
    recordedByName: row.recorded_by_name,
    deleted: row.deleted_at !== null,
    deletedAt: row.deleted_at,
    deletedByName: row.deleted_by_name,
    deleteReason: row.delete_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** A revision's stored values, labelled for the history on the contact page. */
export function revisionSummary(previous: Record<string, unknown>, reference: ReferenceData) {
  const code = (name: string) => (typeof previous[name] === 'string' ? (previous[name] as string) : '');
  const occurredAt = typeof previous.occurred_at === 'string' ? new Date(previous.occurred_at) : null;
  return {
    occurredAt,
    type: reference.label('contact_type', code('type_code')),
    setting: reference.label('contact_setting', code('setting_code')),
    with: reference.label('contact_with', code('with_code')),
    attended: previous.attended === true,
    durationMinutes: typeof previous.duration_minutes === 'number' ? previous.duration_minutes : null,
    note: code('note') || null,
    pathway: code('pathway_code') ? reference.label('pathway', code('pathway_code')) : null,
  };
}

/** The values a revision keeps: JSON-friendly, with the instant as ISO text. */
export function revisionOf(row: ContactRow): Record<string, unknown> {
  return {
    occurred_at: row.occurred_at.toISOString(),
    type_code: row.type_code,
    setting_code: row.setting_code,
    with_code: row.with_code,
    attended: row.attended,
    duration_minutes: row.duration_minutes,
    note: row.note,
    pathway_code: row.pathway_code,
    version: row.version,
  };
}

/**
 * Checks a contact against the organisation's lists and the clock. Field names
 * are the API's (occurredAt, type, …); the page maps occurredAt to its date or
 * time box. On an edit, `previous` lets a code that is no longer offered stay.
 */
export function checkContact(
  input: ContactInput,
  reference: ReferenceData,
  now: Date,
  previous?: ContactValues,
): { values?: ContactValues; errors: FieldError[] } {
  const errors: FieldError[] = [...(input.errors ?? [])];
  const already = (field: string) => errors.some((error) => error.field === field);
  const choice = (list: string, code: string, kept: string | null | undefined, field: string, missing: string, unknown: string) => {
    if (!code) {
      if (!already(field)) errors.push({ field, text: missing });
      return null;
    }
    if (reference.offers(list, code) || (code === kept && reference.has(list, code))) return code;
    errors.push({ field, text: unknown });
    return null;
  };
  if (input.occurredAt && input.occurredAt.getTime() > now.getTime()) {
    errors.push({ field: 'occurredAt', text: 'The date and time must be in the past' });
  }
  const type = choice('contact_type', input.type, previous?.type_code, 'type', 'Select how the contact happened', 'Select a contact type from the list');
  const setting = choice('contact_setting', input.setting, previous?.setting_code, 'setting', 'Select where the contact happened', 'Select a setting from the list');
  const withCode = choice('contact_with', input.with, previous?.with_code, 'with', 'Select who the contact was with', 'Select who the contact was with from the list');
  if (input.attended === undefined && !already('attended')) {
    errors.push({ field: 'attended', text: 'Select whether the contact happened or they did not attend' });
  }
  const duration = input.durationMinutes;
  if (duration !== null && !(Number.isInteger(duration) && duration >= 0 && duration <= 1440) && !already('durationMinutes')) {
    errors.push({ field: 'durationMinutes', text: 'Duration must be a whole number of minutes from 0 to 1440' });
  }
  const note = input.note.trim();
  if (note.length > MAX_NOTE_LENGTH) errors.push({ field: 'note', text: `Case note must be ${MAX_NOTE_LENGTH} characters or fewer` });
  const pathway = input.pathway
    ? choice('pathway', input.pathway, previous?.pathway_code, 'pathway', '', 'Select a pathway from the list')
    : null;
  if (!input.occurredAt && errors.length === 0) errors.push({ field: 'occurredAt', text: 'Enter the date and time of the contact' });
  if (errors.length > 0 || !input.occurredAt || !type || !setting || !withCode || input.attended === undefined) return { errors };
  return {
    errors,
    values: {
      occurred_at: input.occurredAt,
      type_code: type,
      setting_code: setting,
      with_code: withCode,
      attended: input.attended,
      duration_minutes: duration,
      note: note || null,
      pathway_code: pathway,
    },
  };
}
