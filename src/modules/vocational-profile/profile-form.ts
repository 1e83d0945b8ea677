/**
 * The profile form: one page, no JavaScript. Work history and qualifications
 * are lists of rows; the form offers the saved rows plus EXTRA_ROWS blank
 * ones, and a row left wholly blank is ignored when saving.
 */
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import { MAX_ROWS, type ProfileInput, type ProfileView, type ReadDate } from './profile-rules.ts';

export const EXTRA_ROWS = 2;

export interface WorkRowValues {
  employer: string;
  role: string;
  startedOn: DateParts;
  endedOn: DateParts;
  informal: boolean;
  howEnded: string;
}

export interface QualificationRowValues {
  kind: string;
  title: string;
  obtainedOn: DateParts;
  expiresOn: DateParts;
}

export interface ProfileFormValues {
  basedOnVersion: string;
  preferredJobTypes: string[];
  preferredHours: string;
  preferredPlaces: string;
  doesNotWant: string;
  workHistory: WorkRowValues[];
  qualifications: QualificationRowValues[];
  skills: string;
  barriers: string;
  convictionDetails: string;
  disclosureDecision: string;
  disclosurePlan: string;
  disclosureReviewedOn: DateParts;
  licenceConditions: string[];
  licenceConditionNotes: string;
  identityDocuments: string[];
  rightToWorkNotes: string;
}

const NO_DATE: DateParts = { day: '', month: '', year: '' };
const blankWork = (): WorkRowValues => ({ employer: '', role: '', startedOn: NO_DATE, endedOn: NO_DATE, informal: false, howEnded: '' });
const blankQualification = (): QualificationRowValues => ({ kind: '', title: '', obtainedOn: NO_DATE, expiresOn: NO_DATE });

function multi(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is string => typeof item === 'string').slice(0, 100);
}

function rowCount(body: unknown, name: string): number {
  const value = formString(body, name);
  return /^\d{1,3}$/.test(value) ? Math.min(Number(value), MAX_ROWS + EXTRA_ROWS) : 0;
}

function parts(date: string | null): DateParts {
  if (!date) return NO_DATE;
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** Reads the whole form; the hidden row counts say how many rows of each list it offered. */
export function readProfileForm(body: unknown): ProfileFormValues {
  const workHistory = Array.from({ length: rowCount(body, 'workRows') }, (_, index) => ({
    employer: formString(body, `work-${index}-employer`),
    role: formString(body, `work-${index}-role`),
    startedOn: readDateParts(body, `work-${index}-startedOn`),
    endedOn: readDateParts(body, `work-${index}-endedOn`),
    informal: formString(body, `work-${index}-informal`) === 'yes',
    howEnded: formString(body, `work-${index}-howEnded`),
  }));
  const qualifications = Array.from({ length: rowCount(body, 'qualificationRows') }, (_, index) => ({
    kind: formString(body, `qualification-${index}-kind`),
    title: formString(body, `qualification-${index}-title`),
    obtainedOn: readDateParts(body, `qualification-${index}-obtainedOn`),
    expiresOn: readDateParts(body, `qualification-${index}-expiresOn`),
  }));
  return {
    basedOnVersion: formString(body, 'basedOnVersion'),
    preferredJobTypes: multi(body, 'preferredJobTypes'),
    preferredHours: formString(body, 'preferredHours'),
    preferredPlaces: formString(body, 'preferredPlaces'),
    doesNotWant: formString(body, 'doesNotWant'),
    workHistory,
    qualifications,
    skills: formString(body, 'skills'),
    barriers: formString(body, 'barriers'),
    convictionDetails: formString(body, 'convictionDetails'),
    disclosureDecision: formString(body, 'disclosureDecision'),
    disclosurePlan: formString(body, 'disclosurePlan'),
    disclosureReviewedOn: readDateParts(body, 'disclosureReviewedOn'),
    licenceConditions: multi(body, 'licenceConditions'),
    licenceConditionNotes: formString(body, 'licenceConditionNotes'),
    identityDocuments: multi(body, 'identityDocuments'),
    rightToWorkNotes: formString(body, 'rightToWorkNotes'),
  };
}

/** The form for the current version (or a new profile), with blank rows to add to each list. */
export function profileFormFrom(current: ProfileView | null): ProfileFormValues {
  return withBlankRows({
    basedOnVersion: String(current?.version ?? 0),
    preferredJobTypes: current?.preferredJobTypes ?? [],
    preferredHours: current?.preferredHours ?? '',
    preferredPlaces: current?.preferredPlaces ?? '',
    doesNotWant: current?.doesNotWant ?? '',
    workHistory: (current?.workHistory ?? []).map((entry) => ({
      employer: entry.employer,
      role: entry.role,
      startedOn: parts(entry.startedOn),
      endedOn: parts(entry.endedOn),
      informal: entry.informal,
      howEnded: entry.howEnded ?? '',
    })),
    qualifications: (current?.qualifications ?? []).map((entry) => ({
      kind: entry.kindCode,
      title: entry.title,
      obtainedOn: parts(entry.obtainedOn),
      expiresOn: parts(entry.expiresOn),
    })),
    skills: current?.skills ?? '',
    barriers: current?.barriers ?? '',
    convictionDetails: current?.convictionDetails ?? '',
    disclosureDecision: current?.disclosureDecision ?? '',
    disclosurePlan: current?.disclosurePlan ?? '',
    disclosureReviewedOn: parts(current?.disclosureReviewedOn ?? null),
    licenceConditions: current?.licenceConditions ?? [],
    licenceConditionNotes: current?.licenceConditionNotes ?? '',
    identityDocuments: current?.identityDocuments ?? [],
    rightToWorkNotes: current?.rightToWorkNotes ?? '',
  });
}

/** Adds the blank rows a form offers after its filled ones. */
export function withBlankRows(values: ProfileFormValues): ProfileFormValues {
  return {
    ...values,
    workHistory: [...values.workHistory, ...Array.from({ length: EXTRA_ROWS }, blankWork)],
    qualifications: [...values.qualifications, ...Array.from({ length: EXTRA_ROWS }, blankQualification)],
  };
}

function readDate(date: DateParts, label: string, field: string, errors: DateFieldError[]): ReadDate {
  const before = errors.length;
  const parsed = parseDateInput(date, label, field, errors);
  if (parsed) return isoDate(parsed);
  return errors.length > before ? null : undefined;
}

export function profileInputFrom(values: ProfileFormValues): ProfileInput {
  const errors: DateFieldError[] = [];
  const version = /^\d{1,9}$/.test(values.basedOnVersion) ? Number(values.basedOnVersion) : null;
  return {
    basedOnVersion: version,
    preferredJobTypes: values.preferredJobTypes,
    preferredHours: values.preferredHours,
    preferredPlaces: values.preferredPlaces,
    doesNotWant: values.doesNotWant,
    workHistory: values.workHistory.map((row, index) => ({
      employer: row.employer,
      role: row.role,
      startedOn: readDate(row.startedOn, `Job ${index + 1}: the start date`, `work-${index}-startedOn`, errors),
      endedOn: readDate(row.endedOn, `Job ${index + 1}: the end date`, `work-${index}-endedOn`, errors),
      informal: row.informal,
      howEnded: row.howEnded,
    })),
    qualifications: values.qualifications.map((row, index) => ({
      kind: row.kind,
      title: row.title,
      obtainedOn: readDate(row.obtainedOn, `Qualification ${index + 1}: the date obtained`, `qualification-${index}-obtainedOn`, errors),
      expiresOn: readDate(row.expiresOn, `Qualification ${index + 1}: the expiry date`, `qualification-${index}-expiresOn`, errors),
    })),
    skills: values.skills,
    barriers: values.barriers,
    convictionDetails: values.convictionDetails,
    disclosureDecision: values.disclosureDecision,
    disclosurePlan: values.disclosurePlan,
    disclosureReviewedOn: readDate(values.disclosureReviewedOn, 'The date the disclosure plan was last reviewed', 'disclosureReviewedOn', errors),
    licenceConditions: values.licenceConditions,
    licenceConditionNotes: values.licenceConditionNotes,
    identityDocuments: values.identityDocuments,
    rightToWorkNotes: values.rightToWorkNotes,
    errors,
  };
}
