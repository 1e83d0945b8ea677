import { type Static, Type } from '@sinclair/typebox';
import type { EmployerInput, EmployerSearchResult, EmployerView, VacancyView } from './service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Openness = Type.Union([Type.Literal('yes'), Type.Literal('case_by_case'), Type.Literal('no'), Type.Literal('unknown')], {
  description: 'Whether the employer is open to people with convictions',
});
const Codes = (list: string) => Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30, description: `Codes from the '${list}' reference list` });

export const ApiEmployer = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    sector: Nullable(Type.String({ description: "A code from the 'employer_sector' reference list" })),
    size: Nullable(Type.String({ description: "A code from the 'employer_size' reference list" })),
    locations: Nullable(Type.String()),
    jobTypes: Codes('soc_major_group'),
    workFeatures: Codes('work_feature'),
    openToConvictions: Openness,
    convictionsNote: Nullable(Type.String()),
    placementsOffered: Nullable(Type.String()),
    note: Nullable(Type.String()),
    updatedAt: Type.String({ format: 'date-time' }),
    version: Type.Integer({ description: 'Optimistic concurrency counter' }),
  },
  { additionalProperties: false, description: 'An employer the service develops' },
);

const ConflictWarning = Type.Object(
  {
    licenceCondition: Type.String({ description: "A code from the 'licence_condition' reference list" }),
    workFeature: Type.String({ description: "A code from the 'work_feature' reference list" }),
    text: Type.String(),
  },
  { additionalProperties: false },
);

export const ApiEmployerMatch = Type.Object(
  {
    employer: ApiEmployer,
    warnings: Type.Array(ConflictWarning, { description: 'Licence conditions of the forEpisode person that conflict with the work' }),
    matchesPreferences: Type.Boolean({ description: 'The employer offers a job type the forEpisode person prefers' }),
  },
  { additionalProperties: false },
);

export const ApiEmployerList = Type.Object(
  {
    items: Type.Array(ApiEmployerMatch),
    total: Type.Integer({ description: 'How many employers match, across all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false },
);

export const EmployerListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name' })),
    sector: Type.Optional(Type.String({ maxLength: 60 })),
    area: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the locations, any case' })),
    openness: Type.Optional(Openness),
    forEpisode: Type.Optional(Type.String({ maxLength: 100, description: 'An episode id: warn about its person’s licence conditions and mark matches with their preferences' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const NewEmployer = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    sector: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    size: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    locations: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    jobTypes: Type.Optional(Codes('soc_major_group')),
    workFeatures: Type.Optional(Codes('work_feature')),
    openToConvictions: Type.Optional(Openness),
    convictionsNote: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    placementsOffered: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  },
  { additionalProperties: false },
);

const ApiEmployerPerson = Type.Object(
  { id: Type.String({ format: 'uuid' }), name: Type.String(), role: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()) },
  { additionalProperties: false },
);

const ApiVacancy = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('job'), Type.Literal('work_experience')]),
    title: Type.String(),
    jobType: Nullable(Type.String()),
    hoursPerWeek: Type.Union([Type.Number(), Type.Null()]),
    hourlyPay: Type.Union([Type.Number(), Type.Null()], { description: 'Pounds an hour' }),
    closesOn: Nullable(Type.String({ format: 'date' })),
    filled: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const ApiEmployerDetails = Type.Object(
  { employer: ApiEmployer, people: Type.Array(ApiEmployerPerson), vacancies: Type.Array(ApiVacancy) },
  { additionalProperties: false },
);

export const EmployerParams = Type.Object({ employerId: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

export const NewEmployerContact = Type.Object(
  {
    employerId: Type.String({ maxLength: 100 }),
    occurredOn: Type.String({ format: 'date', description: 'The UK calendar date of the contact; not in the future' }),
    method: Type.String({ minLength: 1, maxLength: 60, description: "A code from the 'employer_contact_method' reference list" }),
    purpose: Type.String({ minLength: 1, maxLength: 60, description: "A code from the 'employer_contact_purpose' reference list" }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    episodeIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: 'The episodes the contact was on behalf of' })),
    specialistId: Type.Optional(Type.String({ maxLength: 100, description: 'Who made the contact; required for API tokens, which are no one user' })),
  },
  { additionalProperties: false },
);

export const CreatedEmployerContact = Type.Object(
  { id: Type.String({ format: 'uuid' }), employerId: Type.String({ format: 'uuid' }), specialistId: Type.String({ format: 'uuid' }), episodeIds: Type.Array(Type.String()) },
  { additionalProperties: false },
);

export const WeeklyQuery = Type.Object(
  {
    specialistId: Type.Optional(Type.String({ maxLength: 100, description: 'Whose contacts; the token’s own user is not defined, so API callers name one' })),
    from: Type.Optional(Type.String({ format: 'date', description: 'Any date in the first week (default: 11 weeks before to)' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Any date in the last week (default: this week)' })),
  },
  { additionalProperties: false },
);

export const ApiWeekly = Type.Object(
  {
    specialistId: Type.String({ format: 'uuid' }),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    standard: Type.Integer({ description: 'Face-to-face employer contacts a week the IPS standard expects' }),
    weeks: Type.Array(
      Type.Object(
        {
          weekStart: Type.String({ format: 'date', description: 'The Monday' }),
          contacts: Type.Integer(),
          faceToFace: Type.Integer(),
          meetsStandard: Type.Boolean(),
          matchingPreferences: Type.Integer({ description: 'Contacts on behalf of someone whose preferred job types the employer offers' }),
          matchingShare: Type.Union([Type.Number(), Type.Null()], { description: 'matchingPreferences / contacts; null with no contacts' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function toApiEmployer(employer: EmployerView): Static<typeof ApiEmployer> {
  return {
    id: employer.id,
    name: employer.name,
    sector: employer.sector,
    size: employer.size,
    locations: employer.locations,
    jobTypes: employer.jobTypes,
    workFeatures: employer.workFeatures,
    openToConvictions: employer.openToConvictions,
    convictionsNote: employer.convictionsNote,
    placementsOffered: employer.placementsOffered,
    note: employer.note,
    updatedAt: employer.updatedAt.toISOString(),
    version: employer.version,
  };
}

export function toApiMatch(result: EmployerSearchResult): Static<typeof ApiEmployerMatch> {
  return {
    employer: toApiEmployer(result),
    warnings: result.warnings.map((warning) => ({
      licenceCondition: warning.condition,
      workFeature: warning.feature,
      text: `${warning.conditionLabel} conflicts with: ${warning.featureLabel}`,
    })),
    matchesPreferences: result.matchesPreferences,
  };
}

export function toApiVacancy(vacancy: VacancyView): Static<typeof ApiVacancy> {
  return {
    id: vacancy.id,
    kind: vacancy.kind,
    title: vacancy.title,
    jobType: vacancy.jobType,
    hoursPerWeek: vacancy.hoursPerWeek,
    hourlyPay: vacancy.hourlyPay,
    closesOn: vacancy.closesOn,
    filled: vacancy.filled,
  };
}

export function employerInputFromApi(body: Static<typeof NewEmployer>): EmployerInput {
  return {
    name: body.name,
    sector: body.sector ?? '',
    size: body.size ?? '',
    locations: body.locations ?? '',
    jobTypes: body.jobTypes ?? [],
    workFeatures: body.workFeatures ?? [],
    openToConvictions: body.openToConvictions ?? 'unknown',
    convictionsNote: body.convictionsNote ?? '',
    placementsOffered: body.placementsOffered ?? '',
    note: body.note ?? '',
  };
}
