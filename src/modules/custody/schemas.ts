import { type Static, Type } from '@sinclair/typebox';
import type { CustodyView, ReleasePlanView } from './service.ts';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD' });
const NullableDate = Type.Union([IsoDate, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Coded = Type.Object({ code: Type.String(), label: Type.String() }, { additionalProperties: false });

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const EpisodeParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const ReleaseDatesObject = Type.Object(
  {
    conditional_release: NullableDate,
    hdc_eligibility: NullableDate,
    parole_eligibility: NullableDate,
    licence_end: NullableDate,
  },
  { additionalProperties: false },
);

export const ApiRelease = Type.Object(
  {
    releasedOn: IsoDate,
    releaseType: Coded,
    withoutNotice: Type.Boolean({ description: 'An early or unexpected release nobody told the service about' }),
    note: NullableString,
    version: Type.Integer({ description: 'Optimistic concurrency counter' }),
  },
  { additionalProperties: false },
);

export const ApiCustody = Type.Object(
  {
    episodeId: Type.String({ format: 'uuid' }),
    status: Type.Union([Coded, Type.Null()], { description: 'Remand or sentenced; null when not recorded' }),
    sentenceLengthDays: Type.Union([Type.Integer(), Type.Null()]),
    shortSentence: Type.Union([Type.Boolean(), Type.Null()], { description: 'Under 12 months; null when the length is not known' }),
    prisonHistory: Type.Array(
      Type.Object(
        { prison: Coded, arrivedOn: NullableDate, leftOn: NullableDate },
        { additionalProperties: false, description: 'A stay in one prison; the open one has leftOn null' },
      ),
    ),
    releaseDates: ReleaseDatesObject,
    expectedReleaseOn: Type.Union([IsoDate, Type.Null()], {
      description: 'The earliest of conditional release, HDC eligibility and parole eligibility',
    }),
    release: Type.Union([ApiRelease, Type.Null()]),
    expectedReleaseArea: NullableString,
    releaseAddressStatus: Type.Unsafe<'known' | 'unknown' | 'no_fixed_abode'>({ type: 'string', enum: ['known', 'unknown', 'no_fixed_abode'] }),
    releaseAddress: NullableString,
    localAuthority: NullableString,
  },
  { additionalProperties: false, description: 'Custody status, prison history, release dates and the release of one episode' },
);

export const ReleaseDatesBody = Type.Partial(ReleaseDatesObject, {
  additionalProperties: false,
  description: 'Only the kinds given change; null removes a date',
});

export const ReleaseBody = Type.Object(
  {
    releasedOn: IsoDate,
    releaseType: Type.String({ maxLength: 60, description: 'A code from the release_type reference list' }),
    withoutNotice: Type.Optional(Type.Boolean({ default: false })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Required to change a release already recorded' })),
  },
  { additionalProperties: false },
);

export function toApiCustody(view: CustodyView): Static<typeof ApiCustody> {
  const dates = Object.fromEntries(view.releaseDates.map((date) => [date.kind, date.onDate])) as Static<typeof ReleaseDatesObject>;
  return {
    episodeId: view.episodeId,
    status: view.status,
    sentenceLengthDays: view.sentenceDays,
    shortSentence: view.shortSentence,
    prisonHistory: view.stays.map((stay) => ({
      prison: { code: stay.prisonCode, label: stay.prisonLabel },
      arrivedOn: stay.arrivedOn,
      leftOn: stay.leftOn,
    })),
    releaseDates: dates,
    expectedReleaseOn: view.expectedReleaseOn,
    release: view.release
      ? {
          releasedOn: view.release.releasedOn,
          releaseType: { code: view.release.typeCode, label: view.release.typeLabel },
          withoutNotice: view.release.withoutNotice,
          note: view.release.note,
          version: view.release.version,
        }
      : null,
    expectedReleaseArea: view.expectedReleaseArea,
    releaseAddressStatus: view.releaseAddressStatus,
    releaseAddress: view.releaseAddress,
    localAuthority: view.localAuthority,
  };
}

const ChecklistState = Type.Union(
  [Type.Literal('to_do'), Type.Literal('done'), Type.Literal('not_needed'), Type.Literal('declined')],
  { description: 'to_do, done, not_needed, or declined (by the person)' },
);

export const ApiTaskList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          id: Type.String({ format: 'uuid' }),
          title: Type.String(),
          dueOn: IsoDate,
          status: Type.Unsafe<'overdue' | 'due' | 'done' | 'cancelled'>({ type: 'string', enum: ['overdue', 'due', 'done', 'cancelled'] }),
          completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          assigneeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
          assigneeName: NullableString,
          fromSchedule: Type.Boolean({ description: 'Made by the release-anchored schedule, and moved with the release date' }),
          version: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'An episode’s tasks, pending first by due date' },
);

export const ApiReleasePlan = Type.Object(
  {
    episodeId: Type.String({ format: 'uuid' }),
    meetAtGate: Type.Union([Type.Boolean(), Type.Null()], { description: 'Null until a plan is saved' }),
    gateWorkerId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    gateWorkerName: NullableString,
    meetingPoint: NullableString,
    meetingTime: Type.Union([Type.String({ description: 'HH:MM, 24-hour' }), Type.Null()]),
    note: NullableString,
    version: Type.Union([Type.Integer(), Type.Null()], { description: 'Null until a plan is saved; send it back to change the plan' }),
    checklist: Type.Array(
      Type.Object({ code: Type.String(), label: Type.String(), state: ChecklistState, note: NullableString }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false, description: 'The meet-at-the-gate plan and the release-day checklist' },
);

export const ReleasePlanBody = Type.Object(
  {
    meetAtGate: Type.Boolean(),
    gateWorkerId: Type.Optional(Type.String({ maxLength: 100, description: 'Required when meetAtGate: who meets them' })),
    meetingPoint: Type.Optional(Type.String({ maxLength: 200 })),
    meetingTime: Type.Optional(Type.String({ maxLength: 5, description: 'HH:MM, 24-hour' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    checklist: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z0-9_]{1,60}$' }),
        Type.Object({ state: ChecklistState, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        {
          additionalProperties: false,
          description: 'By release_checklist_item code. The whole plan is replaced: an item left out is to_do',
        },
      ),
    ),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Required to change a plan already saved' })),
  },
  { additionalProperties: false },
);

export function toApiReleasePlan(episodeId: string, view: ReleasePlanView): Static<typeof ApiReleasePlan> {
  const { plan } = view;
  return {
    episodeId,
    meetAtGate: plan.meetAtGate,
    gateWorkerId: plan.gateWorkerId,
    gateWorkerName: plan.gateWorkerName,
    meetingPoint: plan.meetingPoint,
    meetingTime: plan.meetingTime,
    note: plan.note,
    version: plan.version,
    checklist: view.checklist.map((item) => ({ code: item.code, label: item.label, state: item.state, note: item.note })),
  };
}
