import { type Static, Type } from '@sinclair/typebox';
import type { FieldError } from '../../platform/http/errors.ts';
import type { ActivityInput, ActivityView } from './activity-rules.ts';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer | typeof Type.Boolean>>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoDate = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description}, YYYY-MM-DD` });
const Kind = Type.Union(
  [
    Type.Literal('cv'),
    Type.Literal('application'),
    Type.Literal('interview'),
    Type.Literal('work_trial'),
    Type.Literal('work_placement'),
    Type.Literal('training_course'),
  ],
  { description: 'What kind of activity' },
);

export const ApiActivity = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    episodeId: Type.String({ format: 'uuid' }),
    kind: Kind,
    occurredOn: IsoDate('When it happened; the start date of a course or placement'),
    endsOn: Nullable(Type.String({ description: 'Training courses: the end date' })),
    employerId: Nullable(Type.String({ format: 'uuid' })),
    employer: Nullable(Type.String({ description: 'The employer’s name, from the employer record or as typed' })),
    title: Nullable(Type.String()),
    outcome: Nullable(Type.String({ description: "A code from the 'job_search_outcome' reference list" })),
    note: Nullable(Type.String()),
    provider: Nullable(Type.String()),
    completed: Nullable(Type.Boolean()),
    certificate: Nullable(Type.String()),
    fileId: Nullable(Type.String({ format: 'uuid', description: 'The CV, downloadable (signed in) at /files/{fileId}' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'A job search activity' },
);

export const ApiActivityList = Type.Object(
  {
    items: Type.Array(ApiActivity),
    total: Type.Integer({ description: 'How many activities match, across all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false },
);

export const ActivityListQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const NewActivity = Type.Object(
  {
    kind: Kind,
    occurredOn: IsoDate('When it happened (the start date of a course); only interviews and courses may be in the future'),
    endsOn: Type.Optional(Nullable(IsoDate('Training courses: the end date, not before the start'))),
    employerId: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'One of your organisation’s employers' }))),
    employerName: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'An employer not on record, by name' }))),
    title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    outcome: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    provider: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'Training courses: required' }))),
    completed: Type.Optional(Nullable(Type.Boolean())),
    certificate: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false, description: 'A CV activity is recorded without its file here: upload the file on the page.' },
);

export const ApiJobSearchDates = Type.Object(
  {
    jobSearchStartedOn: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
    firstEmployerContactOn: Nullable(Type.String({ description: 'The first face-to-face employer contact on the person’s behalf, YYYY-MM-DD' })),
    daysToFirstEmployerContact: Nullable(Type.Integer({ description: 'From the episode’s start (referral date); to today while there is none' })),
    overdue: Type.Boolean({ description: 'True past 30 days without a face-to-face employer contact' }),
    version: Nullable(Type.Integer({ description: 'Give it back to change the dates; null before the first save' })),
  },
  { additionalProperties: false },
);

export const DatesBody = Type.Object(
  {
    jobSearchStartedOn: Nullable(IsoDate('When the job search started; null to clear')),
    version: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version read; leave out for the first save' }))),
  },
  { additionalProperties: false },
);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const EpisodeParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

/** A pattern-valid date that is not on the calendar (31 February) is a field error, not a database error. */
export function realDate(value: string | null | undefined, field: string, errors: FieldError[]): string | undefined {
  if (!value) return undefined;
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value || value < '1900-01-01') {
    errors.push({ field, text: `${field} must be a real date` });
    return undefined;
  }
  return value;
}

export function activityInputFromApi(body: Static<typeof NewActivity>): ActivityInput {
  const errors: FieldError[] = [];
  const occurredOn = realDate(body.occurredOn, 'occurredOn', errors);
  const endsOn = realDate(body.endsOn, 'endsOn', errors) ?? null;
  return {
    kind: body.kind,
    occurredOn,
    endsOn,
    employerId: body.employerId ?? '',
    employerName: body.employerName ?? '',
    title: body.title ?? '',
    outcome: body.outcome ?? '',
    note: body.note ?? '',
    provider: body.provider ?? '',
    completed: body.completed ?? null,
    certificate: body.certificate ?? '',
    file: null,
    fileRequired: false,
    errors,
  };
}

export function toApiActivity(activity: ActivityView): Static<typeof ApiActivity> {
  return {
    id: activity.id,
    episodeId: activity.episodeId,
    kind: activity.kind,
    occurredOn: activity.occurredOn,
    endsOn: activity.endsOn,
    employerId: activity.employerId,
    employer: activity.employer,
    title: activity.title,
    outcome: activity.outcome,
    note: activity.note,
    provider: activity.provider,
    completed: activity.completed,
    certificate: activity.certificate,
    fileId: activity.file?.id ?? null,
    createdAt: activity.createdAt.toISOString(),
  };
}
