import { type Static, Type } from '@sinclair/typebox';
import type { JobEndInput, JobInput } from './job-checks.ts';
import type { JobView } from './job-view.ts';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Number | typeof Type.Boolean>>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoDate = (description: string) => Type.String({ format: 'date', description });
const Id = Type.String({ maxLength: 100 });

const Checkpoint = Type.Object(
  {
    weeks: Type.Integer({ enum: [13, 26, 52] }),
    dueOn: Nullable(Type.String({ format: 'date' })),
    status: Type.String({ enum: ['not-started', 'upcoming', 'due', 'sustained', 'not-sustained'] }),
    stillInWork: Nullable(Type.Boolean()),
    confirmedOn: Nullable(Type.String({ format: 'date' })),
  },
  { additionalProperties: false, description: 'A sustainment checkpoint, due 13, 26 or 52 weeks after the counted start' },
);

const Expectation = Type.Object(
  {
    key: Type.String(),
    label: Type.String(),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    status: Type.String({ enum: ['met', 'missed', 'not-yet-due'] }),
    metOn: Nullable(Type.String({ format: 'date' })),
  },
  { additionalProperties: false, description: 'One IPS expectation of in-work support' },
);

export const ApiJob = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    episodeId: Type.String({ format: 'uuid' }),
    employerId: Type.String({ format: 'uuid' }),
    employerName: Type.String(),
    title: Type.String(),
    jobType: Type.String({ description: "A code from the 'soc_major_group' reference list" }),
    startsOn: Type.String({ format: 'date' }),
    countedStartOn: Nullable(Type.String({ format: 'date', description: 'When they had done 4 hours of paid work: the start that counts' })),
    endsOn: Nullable(Type.String({ format: 'date' })),
    hoursPerWeek: Type.Number(),
    hourlyPay: Type.Number({ description: 'Pounds an hour' }),
    permanent: Type.Boolean(),
    selfEmployed: Type.Boolean(),
    openToAnyone: Type.Boolean(),
    competitive: Type.Boolean({ description: 'Derived when saved: open to anyone and paid at least the minimum wage for their age on the start date' }),
    minimumHourlyRate: Nullable(Type.Number()),
    explanation: Type.String({ description: 'Why the job is or is not competitive' }),
    benefitsCounsellingFlag: Nullable(Type.String({ description: 'Set when there was no benefits counselling in the 30 days before the start' })),
    endReason: Nullable(Type.String({ description: "A code from the 'job_end_reason' reference list" })),
    helpedWithNextJob: Nullable(Type.Boolean()),
    endNote: Nullable(Type.String()),
    checkpoints: Type.Array(Checkpoint),
    followAlong: Type.Array(Expectation),
    version: Type.Integer({ description: 'Optimistic concurrency counter' }),
  },
  { additionalProperties: false, description: 'A job the person took while supported' },
);

export const ApiJobList = Type.Object({ items: Type.Array(ApiJob) }, { additionalProperties: false });

const jobFields = {
  employerId: Type.String({ maxLength: 100, description: 'One of the organisation’s employers' }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  jobType: Type.String({ minLength: 1, maxLength: 60 }),
  startsOn: IsoDate('The first day of the job'),
  countedStartOn: Type.Optional(Nullable(IsoDate('When they had done 4 hours of paid work; not before the start, not in the future'))),
  hoursPerWeek: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  hourlyPay: Type.Number({ minimum: 0, maximum: 1000, description: 'Pounds an hour; below the minimum wage is saved but not competitive' }),
  permanent: Type.Boolean(),
  selfEmployed: Type.Optional(Type.Boolean({ default: false })),
  openToAnyone: Type.Boolean({ description: 'Not ring-fenced for people with convictions or disabilities' }),
};

const endFields = {
  endsOn: IsoDate('The last day of the job; not before it started, not in the future'),
  endReason: Type.String({ minLength: 1, maxLength: 60 }),
  helpedWithNextJob: Type.Boolean(),
  endNote: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
};

export const NewJob = Type.Object(
  {
    ...jobFields,
    endsOn: Type.Optional(IsoDate('For a job that has already ended')),
    endReason: Type.Optional(Type.String({ maxLength: 60 })),
    helpedWithNextJob: Type.Optional(Type.Boolean()),
    endNote: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  },
  { additionalProperties: false },
);

export const ChangedJob = Type.Object({ ...jobFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const JobEnd = Type.Object({ ...endFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const CheckpointConfirmation = Type.Object(
  {
    weeks: Type.Integer({ enum: [13, 26, 52] }),
    stillInWork: Type.Boolean(),
    confirmedOn: IsoDate('When you confirmed it; not before the checkpoint, not in the future'),
  },
  { additionalProperties: false },
);

export const SavedJob = Type.Object(
  {
    job: ApiJob,
    episode: Type.Object(
      { id: Type.String({ format: 'uuid' }), stage: Type.String(), inWorkOn: Nullable(Type.String({ format: 'date' })) },
      { additionalProperties: false, description: 'The episode’s stage after this change' },
    ),
  },
  { additionalProperties: false },
);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const EpisodeParams = Type.Object({ id: Id }, { additionalProperties: false });
export const JobParams = Type.Object({ id: Id, jobId: Id }, { additionalProperties: false });

export function toApiJob(job: JobView): Static<typeof ApiJob> {
  return {
    id: job.id,
    episodeId: job.episodeId,
    employerId: job.employerId,
    employerName: job.employerName,
    title: job.title,
    jobType: job.jobType,
    startsOn: job.startsOn,
    countedStartOn: job.countedStartOn,
    endsOn: job.endsOn,
    hoursPerWeek: job.hoursPerWeek,
    hourlyPay: job.hourlyPay,
    permanent: job.permanent,
    selfEmployed: job.selfEmployed,
    openToAnyone: job.openToAnyone,
    competitive: job.competitive,
    minimumHourlyRate: job.minimumHourlyRate,
    explanation: job.competitiveExplanation,
    benefitsCounsellingFlag: job.counsellingFlag,
    endReason: job.endReason,
    helpedWithNextJob: job.helpedWithNextJob,
    endNote: job.endNote,
    checkpoints: job.checkpoints.map((c) => ({
      weeks: c.weeks,
      dueOn: c.dueOn,
      status: c.status,
      stillInWork: c.confirmation?.stillInWork ?? null,
      confirmedOn: c.confirmation?.confirmedOn ?? null,
    })),
    followAlong: job.followAlong.map((e) => ({ key: e.key, label: e.label, from: e.from, to: e.to, status: e.status, metOn: e.metOn })),
    version: job.version,
  };
}

export function jobInputFromApi(body: Static<typeof NewJob> | Static<typeof ChangedJob>): JobInput {
  return {
    employerId: body.employerId,
    title: body.title,
    jobType: body.jobType,
    startsOn: body.startsOn,
    countedStartOn: body.countedStartOn ?? null,
    hoursPerWeek: body.hoursPerWeek,
    hourlyPay: body.hourlyPay,
    permanent: body.permanent,
    selfEmployed: body.selfEmployed ?? false,
    openToAnyone: body.openToAnyone,
  };
}

/** A new job's ending, when the body gives one; any ending field makes the rest required. */
export function endInputFromApi(body: Partial<Static<typeof JobEnd>>): JobEndInput | undefined {
  if (body.endsOn === undefined && body.endReason === undefined && body.helpedWithNextJob === undefined && !body.endNote) return undefined;
  return { endsOn: body.endsOn, endReason: body.endReason ?? '', helpedWithNextJob: body.helpedWithNextJob, note: body.endNote ?? '' };
}
