/**
 * The rules for employers, their contact people and vacancies: what a form
 * or API body must hold, and the view model pages and the API show. Shared by
 * both, so a page and the API refuse the same things with the same words.
 */
import type { FieldError } from '../../platform/http/errors.ts';
import { isEmail } from '../../platform/http/forms.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type { EmployerRow, EmployerValues, VacancyValues } from './queries.ts';
import type { OpenToConvictions } from './tables.ts';
import { pounds as formatPounds } from '../../platform/calendar.ts';

export const EMPLOYER_LISTS = ['employer_sector', 'employer_size', 'soc_major_group', 'work_feature', 'licence_condition'] as const;

export const OPENNESS_LABELS: Record<OpenToConvictions, string> = {
  yes: 'Yes',
  case_by_case: 'Case by case',
  no: 'No',
  unknown: 'Not known',
};
export const OPENNESS = Object.keys(OPENNESS_LABELS) as OpenToConvictions[];

export const VACANCY_KIND_LABELS = { job: 'Job', work_experience: 'Work-experience placement' } as const;

const MAX_NAME = 200;
const MAX_TEXT = 2_000;
export const MAX_NOTE = 10_000;

export interface EmployerInput {
  name: string;
  sector: string;
  size: string;
  locations: string;
  jobTypes: string[];
  workFeatures: string[];
  openToConvictions: string;
  convictionsNote: string;
  placementsOffered: string;
  note: string;
}

function tooLong(value: string, max: number, field: string, label: string, errors: FieldError[]): void {
  if (value.length > max) errors.push({ field, text: `${label} must be ${max} characters or fewer` });
}

function codes(list: string, values: string[], field: string, errors: FieldError[], reference: ReferenceData, message: string): string[] {
  const unique = [...new Set(values)];
  if (unique.some((code) => !reference.offers(list, code))) errors.push({ field, text: message });
  return unique.filter((code) => reference.offers(list, code));
}

/** An employer's values from a form or API body; the name is the only thing required. */
export function checkEmployer(input: EmployerInput, reference: ReferenceData): { values?: EmployerValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', text: 'Enter the employer’s name' });
  tooLong(name, MAX_NAME, 'name', 'Name', errors);
  const sector = reference.check('employer_sector', input.sector, 'sector', errors, 'Select a sector from the list');
  const size = reference.check('employer_size', input.size, 'size', errors, 'Select a size from the list');
  tooLong(input.locations.trim(), MAX_TEXT, 'locations', 'Locations', errors);
  const jobTypes = codes('soc_major_group', input.jobTypes, 'jobTypes', errors, reference, 'Select job types from the list');
  const workFeatures = codes('work_feature', input.workFeatures, 'workFeatures', errors, reference, 'Select features of the work from the list');
  const openness = input.openToConvictions || 'unknown';
  if (!OPENNESS.includes(openness as OpenToConvictions)) {
    errors.push({ field: 'openToConvictions', text: 'Select whether the employer is open to people with convictions' });
  }
  tooLong(input.convictionsNote.trim(), MAX_TEXT, 'convictionsNote', 'Notes about convictions', errors);
  tooLong(input.placementsOffered.trim(), MAX_TEXT, 'placementsOffered', 'Work-experience placements offered', errors);
  tooLong(input.note.trim(), MAX_NOTE, 'note', 'Notes', errors);
  if (errors.length > 0) return { errors };
  return {
    errors,
    values: {
      name,
      sector_code: sector,
      size_code: size,
      locations: input.locations.trim() || null,
      job_types: jobTypes,
      work_features: workFeatures,
      open_to_convictions: openness as OpenToConvictions,
      convictions_note: input.convictionsNote.trim() || null,
      placements_offered: input.placementsOffered.trim() || null,
      note: input.note.trim() || null,
    },
  };
}

export interface EmployerPersonInput {
  name: string;
  role: string;
  phone: string;
  email: string;
}

export function checkEmployerPerson(input: EmployerPersonInput) {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  const email = input.email.trim();
  const phone = input.phone.trim();
  if (!name) errors.push({ field: 'name', text: 'Enter the contact’s name' });
  tooLong(name, MAX_NAME, 'name', 'Name', errors);
  tooLong(input.role.trim(), MAX_NAME, 'role', 'Role', errors);
  if (phone && !/^[0-9 +()-]{3,30}$/.test(phone)) errors.push({ field: 'phone', text: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982' });
  if (email && !isEmail(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.com' });
  if (errors.length > 0) return { errors };
  return { errors, values: { name, role: input.role.trim() || null, phone: phone || null, email: email || null } };
}

export interface VacancyInput {
  kind: string;
  title: string;
  jobType: string;
  hoursPerWeek: string;
  hourlyPay: string;
  closesOn: string | null;
  note: string;
  /** Errors found while reading the input, such as a closing date that is not a real date. */
  errors: FieldError[];
}

const AMOUNT = /^-?\d{1,7}(\.\d{1,2})?$/;

/** A vacancy or placement: a title, and hours and pay within what the job table allows. */
export function checkVacancy(input: VacancyInput, reference: ReferenceData): { values?: VacancyValues; errors: FieldError[] } {
  const errors: FieldError[] = [...input.errors];
  if (input.kind !== 'job' && input.kind !== 'work_experience') errors.push({ field: 'kind', text: 'Select whether this is a job or a work-experience placement' });
  const title = input.title.trim();
  if (!title) errors.push({ field: 'title', text: 'Enter the job title' });
  tooLong(title, MAX_NAME, 'title', 'Job title', errors);
  const jobType = reference.check('soc_major_group', input.jobType, 'jobType', errors, 'Select a job type from the list');
  let hours: number | null = null;
  if (input.hoursPerWeek) {
    const value = AMOUNT.test(input.hoursPerWeek) ? Number(input.hoursPerWeek) : Number.NaN;
    if (!(value > 0 && value <= 100)) errors.push({ field: 'hoursPerWeek', text: 'Hours a week must be a number more than 0 and no more than 100' });
    else hours = value;
  }
  let pay: number | null = null;
  if (input.hourlyPay) {
    const value = AMOUNT.test(input.hourlyPay.replace(/^£/, '')) ? Number(input.hourlyPay.replace(/^£/, '')) : Number.NaN;
    if (!(value >= 0 && value <= 1000)) errors.push({ field: 'hourlyPay', text: 'Hourly pay must be an amount from £0 to £1,000, like 12.21' });
    else pay = value;
  }
  tooLong(input.note.trim(), MAX_NOTE, 'note', 'Notes', errors);
  if (errors.length > 0) return { errors };
  return {
    errors,
    values: {
      kind: input.kind as VacancyValues['kind'],
      title,
      job_type_code: jobType,
      hours_per_week: hours,
      hourly_pay: pay,
      closes_on: input.closesOn,
      note: input.note.trim() || null,
    },
  };
}

export interface ConflictWarning {
  condition: string;
  conditionLabel: string;
  feature: string;
  featureLabel: string;
}

/** Each pair of a licence condition and a feature of the employer's work that it rules out. */
export function licenceConflicts(workFeatures: readonly string[], licenceConditions: readonly string[], reference: ReferenceData): ConflictWarning[] {
  const warnings: ConflictWarning[] = [];
  for (const condition of licenceConditions) {
    const item = reference.items('licence_condition').find((candidate) => candidate.code === condition);
    const conflicts = Array.isArray(item?.attributes.conflicts) ? (item.attributes.conflicts as unknown[]) : [];
    for (const feature of conflicts) {
      if (typeof feature === 'string' && workFeatures.includes(feature)) {
        warnings.push({
          condition,
          conditionLabel: reference.label('licence_condition', condition),
          feature,
          featureLabel: reference.label('work_feature', feature),
        });
      }
    }
  }
  return warnings;
}

export function toEmployerView(row: EmployerRow, reference: ReferenceData) {
  return {
    id: row.id,
    name: row.name,
    sector: row.sector_code,
    sectorLabel: reference.label('employer_sector', row.sector_code),
    size: row.size_code,
    sizeLabel: reference.label('employer_size', row.size_code),
    locations: row.locations,
    jobTypes: row.job_types,
    jobTypeLabels: row.job_types.map((code) => reference.label('soc_major_group', code)),
    workFeatures: row.work_features,
    workFeatureLabels: row.work_features.map((code) => reference.label('work_feature', code)),
    openToConvictions: row.open_to_convictions,
    opennessLabel: OPENNESS_LABELS[row.open_to_convictions] ?? row.open_to_convictions,
    convictionsNote: row.convictions_note,
    placementsOffered: row.placements_offered,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export type EmployerView = ReturnType<typeof toEmployerView>;

/** Money is kept in pounds; shown to the penny. */
export function pounds(value: number | null): string {
  return value === null ? '' : formatPounds(value);
}
