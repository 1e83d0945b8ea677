/**
 * The vocational profile's rules: checking what a form or API body sends,
 * the view model the pages show, and what changed between two versions.
 * Error fields use the page's names (work-0-employer, qualification-1-kind).
 */
import type { Selectable } from 'kysely';
import type { FieldError } from '../../platform/http/errors.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type { QualificationEntry, VocationalProfileTable, WorkHistoryEntry } from './tables.ts';

export const PROFILE_LISTS = ['soc_major_group', 'licence_condition', 'identity_document', 'disclosure_decision', 'qualification_kind'] as const;
export const MAX_ROWS = 50;
export const MAX_TEXT = 5000;
export const MAX_SHORT = 200;
export const DISCLOSURE_REVIEW_DAYS = 90;

/** A date as read: a YYYY-MM-DD string, undefined when left blank, null when unreadable (its error already recorded). */
export type ReadDate = string | null | undefined;

export interface WorkRowInput {
  employer: string;
  role: string;
  startedOn: ReadDate;
  endedOn: ReadDate;
  informal: boolean;
  howEnded: string;
}

export interface QualificationRowInput {
  kind: string;
  title: string;
  obtainedOn: ReadDate;
  expiresOn: ReadDate;
}

export interface ProfileInput {
  /** The version the form was loaded from: 0 when starting a profile; null when missing or malformed. */
  basedOnVersion: number | null;
  preferredJobTypes: string[];
  preferredHours: string;
  preferredPlaces: string;
  doesNotWant: string;
  workHistory: WorkRowInput[];
  qualifications: QualificationRowInput[];
  skills: string;
  barriers: string;
  convictionDetails: string;
  disclosureDecision: string;
  disclosurePlan: string;
  disclosureReviewedOn: ReadDate;
  licenceConditions: string[];
  licenceConditionNotes: string;
  identityDocuments: string[];
  rightToWorkNotes: string;
  /** Errors found while reading the input (dates that are not real). */
  errors: FieldError[];
}

export type ProfileValues = Omit<
  Selectable<VocationalProfileTable>,
  'id' | 'organisation_id' | 'person_id' | 'version' | 'recorded_at' | 'recorded_by'
>;

const blank = (value: ReadDate) => value === undefined;

function isBlankWork(row: WorkRowInput): boolean {
  return !row.employer && !row.role && !row.howEnded && !row.informal && blank(row.startedOn) && blank(row.endedOn);
}

function isBlankQualification(row: QualificationRowInput): boolean {
  return !row.kind && !row.title && blank(row.obtainedOn) && blank(row.expiresOn);
}

function text(value: string, field: string, label: string, errors: FieldError[], max = MAX_TEXT): string | null {
  const trimmed = value.trim();
  if (trimmed.length > max) errors.push({ field, text: `${label} must be ${max} characters or fewer` });
  return trimmed || null;
}

function codes(list: string, values: string[], field: string, label: string, reference: ReferenceData, errors: FieldError[]): string[] {
  const unique = [...new Set(values)];
  if (unique.some((code) => !reference.has(list, code))) errors.push({ field, text: `Select ${label} from the list` });
  return unique.filter((code) => reference.has(list, code));
}

/** Checks a whole profile; blank list rows are dropped, every other row is checked on its own. */
export function checkProfile(input: ProfileInput, reference: ReferenceData, today: string): { values?: ProfileValues; errors: FieldError[] } {
  const errors: FieldError[] = [...input.errors];
  if (input.workHistory.length > MAX_ROWS) errors.push({ field: 'work-0-employer', text: `Work history can have at most ${MAX_ROWS} jobs` });
  if (input.qualifications.length > MAX_ROWS) errors.push({ field: 'qualification-0-kind', text: `There can be at most ${MAX_ROWS} qualifications` });

  const workHistory: WorkHistoryEntry[] = [];
  input.workHistory.slice(0, MAX_ROWS).forEach((row, index) => {
    if (isBlankWork(row)) return;
    const at = (name: string) => `work-${index}-${name}`;
    const job = `Job ${index + 1}`;
    if (!row.employer.trim()) errors.push({ field: at('employer'), text: `${job}: enter the employer, or "Self-employed" or "Cash in hand"` });
    if (!row.role.trim()) errors.push({ field: at('role'), text: `${job}: enter the role` });
    if (row.startedOn && row.startedOn > today) errors.push({ field: at('startedOn-day'), text: `${job}: the start date must be in the past` });
    if (row.startedOn && row.endedOn && row.endedOn < row.startedOn) errors.push({ field: at('endedOn-day'), text: `${job}: the end date must be on or after the start date` });
    workHistory.push({
      employer: text(row.employer, at('employer'), `${job}: employer`, errors, MAX_SHORT) ?? '',
      role: text(row.role, at('role'), `${job}: role`, errors, MAX_SHORT) ?? '',
      startedOn: row.startedOn ?? null,
      endedOn: row.endedOn ?? null,
      informal: row.informal,
      howEnded: text(row.howEnded, at('howEnded'), `${job}: how it ended`, errors, MAX_SHORT),
    });
  });

  const qualifications: QualificationEntry[] = [];
  input.qualifications.slice(0, MAX_ROWS).forEach((row, index) => {
    if (isBlankQualification(row)) return;
    const at = (name: string) => `qualification-${index}-${name}`;
    const item = `Qualification ${index + 1}`;
    if (!row.kind) errors.push({ field: at('kind'), text: `${item}: select what kind it is` });
    else if (!reference.has('qualification_kind', row.kind)) errors.push({ field: at('kind'), text: `${item}: select a kind from the list` });
    if (row.obtainedOn && row.expiresOn && row.expiresOn < row.obtainedOn) errors.push({ field: at('expiresOn-day'), text: `${item}: the expiry date must be on or after the date it was obtained` });
    qualifications.push({
      kindCode: row.kind,
      title: text(row.title, at('title'), `${item}: title`, errors, MAX_SHORT) ?? '',
      obtainedOn: row.obtainedOn ?? null,
      expiresOn: row.expiresOn ?? null,
    });
  });

  if (input.disclosureReviewedOn && input.disclosureReviewedOn > today) {
    errors.push({ field: 'disclosureReviewedOn-day', text: 'The date the disclosure plan was last reviewed must be today or in the past' });
  }
  const values: ProfileValues = {
    preferred_job_types: codes('soc_major_group', input.preferredJobTypes, 'preferredJobTypes', 'job types', reference, errors),
    preferred_hours: text(input.preferredHours, 'preferredHours', 'Hours', errors),
    preferred_places: text(input.preferredPlaces, 'preferredPlaces', 'Places', errors),
    does_not_want: text(input.doesNotWant, 'doesNotWant', 'What they do not want', errors),
    work_history: workHistory,
    qualifications,
    skills: text(input.skills, 'skills', 'Skills', errors),
    barriers: text(input.barriers, 'barriers', 'Barriers', errors),
    conviction_details: text(input.convictionDetails, 'convictionDetails', 'Conviction details', errors),
    disclosure_decision_code: reference.check('disclosure_decision', input.disclosureDecision, 'disclosureDecision', errors, 'Select a disclosure decision from the list'),
    disclosure_plan: text(input.disclosurePlan, 'disclosurePlan', 'Disclosure plan', errors),
    disclosure_reviewed_on: input.disclosureReviewedOn ?? null,
    licence_conditions: codes('licence_condition', input.licenceConditions, 'licenceConditions', 'licence conditions', reference, errors),
    licence_condition_notes: text(input.licenceConditionNotes, 'licenceConditionNotes', 'Notes on licence conditions', errors),
    identity_documents: codes('identity_document', input.identityDocuments, 'identityDocuments', 'documents', reference, errors),
    right_to_work_notes: text(input.rightToWorkNotes, 'rightToWorkNotes', 'Right to work notes', errors),
  };
  return errors.length > 0 ? { errors } : { values, errors };
}

export type ProfileRow = Selectable<VocationalProfileTable> & { recorded_by_name: string | null };

/** The profile as pages show it: codes turned into labels. */
export function toView(row: ProfileRow, reference: ReferenceData, today: string) {
  const labels = (list: string, items: string[]) => items.map((code) => reference.label(list, code));
  const reviewDueFrom = new Date(Date.parse(`${today}T00:00:00Z`) - DISCLOSURE_REVIEW_DAYS * 86_400_000).toISOString().slice(0, 10);
  return {
    version: row.version,
    recordedAt: row.recorded_at,
    recordedByName: row.recorded_by_name,
    preferredJobTypes: row.preferred_job_types,
    preferredJobTypeLabels: labels('soc_major_group', row.preferred_job_types),
    preferredHours: row.preferred_hours,
    preferredPlaces: row.preferred_places,
    doesNotWant: row.does_not_want,
    workHistory: row.work_history,
    qualifications: row.qualifications.map((entry) => ({ ...entry, kindLabel: reference.label('qualification_kind', entry.kindCode) })),
    skills: row.skills,
    barriers: row.barriers,
    convictionDetails: row.conviction_details,
    disclosureDecision: row.disclosure_decision_code,
    disclosureDecisionLabel: reference.label('disclosure_decision', row.disclosure_decision_code),
    disclosurePlan: row.disclosure_plan,
    disclosureReviewedOn: row.disclosure_reviewed_on,
    /** The plan is revisited over time: flag it once the last review is more than 90 days old. */
    disclosureReviewDue: row.disclosure_reviewed_on !== null && row.disclosure_reviewed_on < reviewDueFrom,
    licenceConditions: row.licence_conditions,
    licenceConditionLabels: labels('licence_condition', row.licence_conditions),
    licenceConditionNotes: row.licence_condition_notes,
    identityDocuments: row.identity_documents,
    identityDocumentLabels: labels('identity_document', row.identity_documents),
    rightToWorkNotes: row.right_to_work_notes,
  };
}

export type ProfileView = ReturnType<typeof toView>;

function workLine(entry: WorkHistoryEntry): string {
  const dates = [entry.startedOn ?? '?', entry.endedOn ?? 'now'].join(' to ');
  return `${entry.role} at ${entry.employer} (${dates})${entry.informal ? ', informal' : ''}${entry.howEnded ? `, ended: ${entry.howEnded}` : ''}`;
}

function qualificationLine(entry: ProfileView['qualifications'][number]): string {
  return [entry.kindLabel, entry.title, entry.obtainedOn ? `obtained ${entry.obtainedOn}` : '', entry.expiresOn ? `expires ${entry.expiresOn}` : ''].filter(Boolean).join(', ');
}

/** Each field as one line of text, in the order the profile page shows them. */
const FIELDS: Array<[string, (profile: ProfileView) => string]> = [
  ['Job types', (p) => p.preferredJobTypeLabels.join('; ')],
  ['Hours', (p) => p.preferredHours ?? ''],
  ['Places', (p) => p.preferredPlaces ?? ''],
  ['Does not want', (p) => p.doesNotWant ?? ''],
  ['Work history', (p) => p.workHistory.map(workLine).join('\n')],
  ['Qualifications, licences and cards', (p) => p.qualifications.map(qualificationLine).join('\n')],
  ['Skills', (p) => p.skills ?? ''],
  ['Barriers', (p) => p.barriers ?? ''],
  ['Conviction details', (p) => p.convictionDetails ?? ''],
  ['Disclosure decision', (p) => p.disclosureDecisionLabel],
  ['Disclosure plan', (p) => p.disclosurePlan ?? ''],
  ['Disclosure plan last reviewed', (p) => p.disclosureReviewedOn ?? ''],
  ['Licence conditions', (p) => p.licenceConditionLabels.join('; ')],
  ['Notes on licence conditions', (p) => p.licenceConditionNotes ?? ''],
  ['Identity and right-to-work documents', (p) => p.identityDocumentLabels.join('; ')],
  ['Right to work notes', (p) => p.rightToWorkNotes ?? ''],
];

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** What changed from one version to the next, field by field; against no previous version, every field filled in. */
export function changesBetween(previous: ProfileView | undefined, current: ProfileView): FieldChange[] {
  return FIELDS.flatMap(([field, line]) => {
    const before = previous ? line(previous) : '';
    const after = line(current);
    return before === after ? [] : [{ field, before, after }];
  });
}

/** The names of the fields that changed, for the audit row (never their content). */
export function changedFieldNames(previous: ProfileView | undefined, current: ProfileView): string[] {
  return changesBetween(previous, current).map((change) => change.field);
}
